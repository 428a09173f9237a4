// Runs a spec in one browser: bounded concurrency, a timeout per attempt, one retry, one deadline.

import { boundText, MAX_URL_CHARS } from './bound-text';
import { checkUrl } from './check-url';
import { BROWSER_CRASHED, CUT_OFF_BY_DEADLINE, classifyError } from './checker-fault';
import { errorText } from './error-text';
import type {
  AttemptOutcome,
  BrowserLauncher,
  BrowserSession,
  CheckProgress,
  RefusedRequests,
  SpecSuite,
  SuiteCheckRun,
  TargetAuth,
} from './ports';
import type { CheckOutcome } from './seal';
import type { Check, Spec } from './spec';

export type CheckRun = SuiteCheckRun;

export interface SpecRun {
  readonly checks: readonly CheckRun[];
  readonly refused: RefusedRequests;
  /** Requests with a body let through as reads (a GraphQL query, a listed endpoint); absent when none. */
  readonly bodyReads?: RefusedRequests;
  readonly launchMs: number | null;
  readonly checksMs: number | null;
  /** Set when the checker itself broke (no browser, deadline before any check ran). */
  readonly toolingError: string | null;
}

export interface RunSpecInput {
  readonly spec: Spec;
  readonly baseUrl: string;
  /** The app's hosts; defaults to the base URL's host. */
  readonly appHosts?: readonly string[];
  /** `apps[].readOnly.allow`: endpoints that only read though they take a body. */
  readonly readOnlyAllow?: readonly string[];
  readonly auth?: TargetAuth;
  readonly launcher: BrowserLauncher;
  /** Milliseconds from now until the whole seal must be decided, launch included. */
  readonly deadlineMs: number;
  /** Why the app's Playwright spec could not be loaded: the seal is inconclusive unless a data check failed. */
  readonly specError?: string;
  /** Told as each check finishes (progress on a terminal); what it throws is ignored. */
  readonly onCheckFinished?: (progress: CheckProgress) => void;
  /**
   * The app's own Playwright suite, run by Playwright Test after the spec's data checks (if any),
   * with what is left of the deadline. Its tests are checks of the seal like the data checks.
   */
  readonly suite?: SpecSuite;
}

/** Below this, starting (or retrying) an attempt would only produce a cut-off. */
const MIN_ATTEMPT_MS = 250;

export async function runSpec(input: RunSpecInput): Promise<SpecRun> {
  if (!input.suite) return runDataChecks(input);
  const started = performance.now();
  const data = input.spec.checks.length > 0 ? await runDataChecks({ ...input, specError: undefined }) : null;
  const suiteRun = await input.suite.run({
    target: {
      baseUrl: input.baseUrl,
      appHosts: input.appHosts ?? [new URL(input.baseUrl).host],
      auth: input.auth,
    },
    deadlineMs: Math.max(0, input.deadlineMs - (performance.now() - started)),
    onCheckFinished: (check) => tell(input.onCheckFinished, check),
  });
  const checks = [...suiteRun.checks, ...(data?.checks ?? [])];
  const refused = data
    ? {
        count: data.refused.count + suiteRun.refused.count,
        requests: [...suiteRun.refused.requests, ...data.refused.requests],
      }
    : suiteRun.refused;
  return {
    checks,
    refused: boundRefused(refused),
    launchMs: data?.launchMs ?? suiteRun.launchMs,
    checksMs: performance.now() - started,
    toolingError: input.specError ?? suiteRun.toolingError ?? data?.toolingError ?? null,
  };
}

async function runDataChecks(input: RunSpecInput): Promise<SpecRun> {
  const { spec, baseUrl, launcher } = input;
  if (spec.checks.length === 0) {
    // Only a Playwright spec that did not load: nothing to run, no browser to start.
    return {
      checks: [],
      refused: { count: 0, requests: [] },
      launchMs: null,
      checksMs: null,
      toolingError: input.specError ?? 'the spec has no checks',
    };
  }
  const started = performance.now();
  const deadlineAt = started + input.deadlineMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('seal deadline expired')), input.deadlineMs);
  timer.unref?.();
  const remaining = () => deadlineAt - performance.now();

  let session: BrowserSession;
  const launching = launcher.launch({
    baseUrl,
    appHosts: input.appHosts ?? [new URL(baseUrl).host],
    auth: input.auth,
    ...(input.readOnlyAllow && input.readOnlyAllow.length > 0 ? { readOnlyAllow: input.readOnlyAllow } : {}),
  });
  try {
    session = await raceDeadline(launching, deadline.signal);
  } catch (error) {
    clearTimeout(timer);
    // A browser that starts after the deadline gave up on it must not linger.
    launching.then((late) => late.close()).catch(() => undefined);
    const toolingError = deadline.signal.aborted
      ? `the seal deadline (${input.deadlineMs} ms) expired before the browser started`
      : `Chromium failed to launch: ${errorText(error)}`;
    return {
      checks: spec.checks.map((check) => notStarted(check, baseUrl, 'not run: the browser did not start')),
      refused: { count: 0, requests: [] },
      launchMs: null,
      checksMs: null,
      toolingError,
    };
  }
  const launchMs = performance.now() - started;

  try {
    const results = new Array<CheckRun>(spec.checks.length);
    let next = 0;
    const worker = async () => {
      while (next < spec.checks.length) {
        const index = next++;
        const check = spec.checks[index]!;
        results[index] = await runCheck(session, check, baseUrl, spec, deadline.signal, remaining);
        tell(input.onCheckFinished, results[index]!);
      }
    };
    const checksStarted = performance.now();
    await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.checks.length) }, worker));
    const checksMs = performance.now() - checksStarted;
    const noneRan = results.every((result) => result.attempts.length === 0);
    return {
      checks: results,
      refused: boundRefused(session.refusedRequests()),
      ...bodyReadsOf(session),
      launchMs,
      checksMs,
      toolingError: noneRan
        ? `the seal deadline (${input.deadlineMs} ms) expired before any check ran`
        : (input.specError ?? checkerFaultOf(results)),
    };
  } finally {
    clearTimeout(timer);
    await session.close().catch(() => {
      // Closing a crashed browser fails; the verdict is already decided and the profile dir is removed by the adapter.
    });
  }
}

async function runCheck(
  session: BrowserSession,
  check: Check,
  baseUrl: string,
  spec: Spec,
  deadline: AbortSignal,
  remaining: () => number,
): Promise<CheckRun> {
  const attempts: AttemptOutcome[] = [];
  const maxAttempts = 1 + spec.retries;
  while (attempts.length < maxAttempts) {
    if (deadline.aborted || remaining() < MIN_ATTEMPT_MS) break;
    // Whole milliseconds: a budget like 1234.5 ms would come back in Playwright's words as "Timeout 1234.5ms
    // exceeded", which the engine would not read as a timeout (and so not probe the browser for a wedge).
    const timeoutMs = Math.floor(Math.max(MIN_ATTEMPT_MS, Math.min(spec.checkTimeoutMs, remaining())));
    const attempt = await attemptOnce(session, check, baseUrl, timeoutMs, deadline);
    attempts.push(attempt);
    if (attempt.outcome !== 'failed') break;
  }
  const last = attempts.at(-1);
  if (!last) {
    return notStarted(check, baseUrl, 'not started: the seal deadline expired');
  }
  // A check that failed once then was cut off by the deadline still failed in production. A retry
  // cut off by a checker fault (a crashed or wedged browser) is not: the failure it retried may have
  // been the first sign of that fault, so the check stays unfinished (docs/spec.md, "Whose fault").
  const failedEarlier = attempts.some((attempt) => attempt.outcome === 'failed');
  const outcome: CheckOutcome =
    last.outcome === 'unfinished' && failedEarlier && last.error === CUT_OFF_BY_DEADLINE
      ? 'failed'
      : last.outcome;
  const decisive = outcome === 'failed' ? (attempts.findLast((a) => a.outcome === 'failed') ?? last) : last;
  return {
    name: check.name,
    kind: check.kind,
    path: check.path,
    url: decisive.url,
    outcome,
    httpStatus: decisive.httpStatus,
    durationMs: attempts.reduce((sum, attempt) => sum + attempt.durationMs, 0),
    error: outcome === 'passed' ? null : decisive.error,
    attempts,
  };
}

async function attemptOnce(
  session: BrowserSession,
  check: Check,
  baseUrl: string,
  timeoutMs: number,
  deadline: AbortSignal,
): Promise<AttemptOutcome> {
  const started = performance.now();
  // Each attempt gets its own signal, tied to the deadline only while it runs: whatever the adapter
  // hangs on it goes with the attempt, so the seal's one signal never collects a listener per attempt.
  const attempt = attemptSignal(deadline);
  try {
    // The adapter honours the signal; the race is the backstop if a page wedges the driver.
    return await raceDeadline(
      session.runCheck(check, baseUrl, { timeoutMs, signal: attempt.signal }),
      deadline,
    );
  } catch (error) {
    // What escapes the adapter is the checker's own failure (the browser died, a driver error),
    // never production's: the check is unfinished, which can make the seal inconclusive, not red.
    const cutOff = deadline.aborted;
    return {
      outcome: 'unfinished',
      url: checkUrl(baseUrl, check.path),
      finalUrl: null,
      httpStatus: null,
      durationMs: performance.now() - started,
      error: cutOff
        ? CUT_OFF_BY_DEADLINE
        : classifyError(error) === 'checker'
          ? BROWSER_CRASHED
          : `checker error: ${boundText(errorText(error), 500)}`,
      pageErrors: [],
      consoleErrors: [],
      screenshotPng: null,
    };
  } finally {
    attempt.release();
  }
}

/** A signal aborted with the deadline, unhooked from it by `release()` when the attempt ends. */
function attemptSignal(deadline: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  if (deadline.aborted) {
    controller.abort(deadline.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const forward = () => controller.abort(deadline.reason);
  deadline.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    release: () => deadline.removeEventListener('abort', forward),
  };
}

/** URLs a page asked for are the page's text: cut where they enter the seal, whatever the adapter kept. */
function boundRefused(refused: RefusedRequests): RefusedRequests {
  return {
    count: refused.count,
    requests: refused.requests.map((request) => ({
      method: boundText(request.method, 20),
      url: boundText(request.url, MAX_URL_CHARS),
      reason: boundText(request.reason),
      count: request.count,
    })),
  };
}

function bodyReadsOf(session: BrowserSession): { bodyReads?: RefusedRequests } {
  const reads = session.bodyReads?.();
  return reads && reads.count > 0 ? { bodyReads: boundRefused(reads) } : {};
}

/** The first checker fault an attempt met (a crash, a wedged browser, a driver error), as the seal's tooling error. */
function checkerFaultOf(results: readonly CheckRun[]): string | null {
  for (const result of results) {
    for (const attempt of result.attempts) {
      if (
        attempt.outcome === 'unfinished' &&
        attempt.error !== null &&
        attempt.error !== CUT_OFF_BY_DEADLINE
      ) {
        return attempt.error;
      }
    }
  }
  return null;
}

function tell(listener: RunSpecInput['onCheckFinished'], run: CheckRun): void {
  try {
    listener?.({
      name: run.name,
      path: run.path,
      outcome: run.outcome,
      durationMs: run.durationMs,
      attempts: run.attempts.length,
      error: run.error,
    });
  } catch {
    // Progress is a courtesy to a terminal; it never changes a seal.
  }
}

function notStarted(check: Check, baseUrl: string, error: string): CheckRun {
  return {
    name: check.name,
    kind: check.kind,
    path: check.path,
    url: checkUrl(baseUrl, check.path),
    outcome: 'unfinished',
    httpStatus: null,
    durationMs: 0,
    error,
    attempts: [],
  };
}

function raceDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
