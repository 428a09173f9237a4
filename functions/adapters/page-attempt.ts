// The attempt engine: one attempt of one check on a fresh page of the seal's browser. The page's
// lifecycle, the attempt's budget and the seal's deadline, whose fault a failure is (the wedge probe
// included) and the evidence all happen here, once; what a kind of check asks of the loaded page is
// its judge's (check-judges.ts).
import type { BrowserContext, Page, Response } from 'playwright-core';
import { boundText, MAX_URL_CHARS } from '../core/bound-text';
import { checkUrl } from '../core/check-url';
import {
  type BrowserHealth,
  CUT_OFF_BY_DEADLINE,
  checkerFaultText,
  classifyError,
  SIGN_IN_EXPIRED,
} from '../core/checker-fault';
import { matchesAppHost } from '../core/destination-policy';
import { errorText } from '../core/error-text';
import type { AttemptOutcome, RunCheckOptions } from '../core/ports';
import { settleWithin, valueWithin } from '../core/settle-within';
import type { Check } from '../core/spec';
import { AttemptEvidence } from './attempt-evidence';
import { browserResponsive } from './browser-responsive';
import { type CheckJudges, judgeOf } from './check-judges';
import type { NotFoundProbe } from './not-found-probe';
import { PageActivity } from './page-activity';
import { readPageMaterial } from './page-material';
import { GUARD_ERROR_HEADER, GUARD_HEADER } from './read-only-proxy';

/** How long past its budget an attempt may take before its page is closed under it. */
const BACKSTOP_GRACE_MS = 2_000;
/** A failure that is a wait running out (Playwright's timeout, a landmark that never showed). */
const TIMEOUT_TEXT =
  /Timeout \d+ms exceeded|did not finish within \d+ ms|^landmark .* not visible( within \d+ ms)?$/m;
/** How long closing a page may take before it is given up (the session then deals with the browser). */
const CLOSE_GRACE_MS = 1_000;
/** How long the picture of a page stuck past its budget may take before the page is closed anyway. */
const STUCK_PICTURE_MS = 1_500;

/** The browser's state as the whole seal sees it; shared by every attempt of the session. */
export interface SessionHealth {
  /** The browser (or its context) went away under the seal. */
  gone: boolean;
  /** The browser stopped answering: sticky for the seal, whose verdict can no longer be trusted to it. */
  unresponsive: boolean;
}

/** What the guard knows that the engine needs to judge where a navigation went. */
export interface AttemptGuard {
  /** The read-only proxy runs: off only for the guard-cost bench, where no host rule applies. */
  readonly guarded: boolean;
  readonly appHosts: readonly string[];
  /** URLs the guard refused as destinations (to say "(refused)" beside them). */
  readonly refusedDestinations: ReadonlySet<string>;
  /** The seal signs in with a storage state (cookies, localStorage). */
  readonly signedIn: boolean;
}

export interface AttemptEngineOptions {
  readonly context: BrowserContext;
  readonly judges: CheckJudges;
  readonly guard: AttemptGuard;
  readonly notFound: NotFoundProbe;
  readonly health: SessionHealth;
  /** App pages hand over their ARIA snapshot and timings (page-material.ts). */
  readonly pageMaterial: boolean;
}

export class AttemptEngine {
  constructor(private readonly options: AttemptEngineOptions) {}

  async run(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome> {
    const { context, health, guard, notFound } = this.options;
    const judge = judgeOf(this.options.judges, check);
    const url = checkUrl(baseUrl, check.path);
    const started = performance.now();
    if (health.gone || health.unresponsive) {
      // The browser already broke under a sibling: nothing this attempt could see would be production's.
      return checkerOutcome(url, started, { browserGone: health.gone, unresponsive: health.unresponsive });
    }
    const page = await context.newPage();
    // Popups a page opens go with it: they must not outlive the attempt or write into the next one.
    const popups: Page[] = [];
    page.on('popup', (popup) => popups.push(popup));
    let pageCrashed = false;
    page.on('crash', () => {
      pageCrashed = true;
    });
    // Bounded where they enter: a page that throws or logs without end cannot grow the seal or the heap.
    const evidence = new AttemptEvidence(page);
    const activity = new PageActivity(page);
    const timeoutText = `${check.path} did not finish within ${Math.round(options.timeoutMs)} ms`;

    // Playwright's own timeouts keep the page open so the failure can be photographed; the timer is
    // the backstop for a wedged page, and the seal's deadline closes the page at once.
    const budgetEnds = performance.now() + options.timeoutMs;
    const left = () => Math.max(1, Math.round(budgetEnds - performance.now()));
    let stoppedBy: 'timeout' | 'deadline' | null = null;
    let screenshotPng: Uint8Array | null = null;
    let fullPagePng: Uint8Array | null = null;
    let screenshotMissing: string | null = null;
    const stop = (why: 'timeout' | 'deadline') => {
      stoppedBy ??= why;
      // A stuck page is photographed (briefly) before it is closed; the deadline closes at once.
      const picture: Promise<unknown> =
        why === 'timeout'
          ? evidence.pictures(true, timeoutText).then((shots) => {
              screenshotPng = shots.screenshotPng;
              screenshotMissing = shots.screenshotMissing;
            })
          : Promise.resolve();
      void settleWithin(picture, STUCK_PICTURE_MS).finally(() => settleWithin(page.close(), CLOSE_GRACE_MS));
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs + BACKSTOP_GRACE_MS);
    const onDeadline = () => stop('deadline');
    // Removed in `finally`: a seal of many attempts must not pile listeners onto the one deadline signal.
    options.signal.addEventListener('abort', onDeadline, { once: true });

    let response: Response | null = null;
    let failure: string | null = null;
    let thrown: unknown = null;
    let rendered = false;
    try {
      if (judge.isAppPage) void notFound.start(baseUrl);
      response = await page.goto(url, { timeout: options.timeoutMs, waitUntil: 'load' });
      rendered = true;
      failure =
        (await this.guardVerdict(check, judge.staysOnAppHosts, response)) ??
        (await judge.judge(check, {
          page,
          response,
          baseUrl,
          pageErrors: evidence.pageErrors,
          activity,
          notFound,
          left,
          timeoutMs: options.timeoutMs,
          signedIn: guard.signedIn,
        }));
      // The page may have sent itself off the app's hosts after it loaded (`location = …`): say where.
      if (judge.isAppPage && !page.isClosed()) failure = this.offAppHosts(check, page.url()) ?? failure;
    } catch (error) {
      thrown = error;
      failure = describeNavigationError(error, check, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onDeadline);
    }

    // A check that did not pass is production's only if the browser was healthy when it ended
    // (functions/core/checker-fault.ts). Only a timeout can hide a wedge (a status, an exception, a
    // refused connection all came from a browser that answered): then a browser that cannot evaluate
    // `1` on a fresh page is wedged, and the timeout is not production's.
    const timedOut =
      stoppedBy === 'timeout' ||
      (failure !== null && TIMEOUT_TEXT.test(`${failure}\n${thrown instanceof Error ? thrown.message : ''}`));
    if (timedOut && stoppedBy !== 'deadline' && !health.gone && !pageCrashed) {
      if (!(await browserResponsive(context))) health.unresponsive = true;
    }
    const browserHealth: BrowserHealth = {
      browserGone: health.gone,
      pageCrashed,
      unresponsive: health.unresponsive,
    };
    const checkerFault =
      stoppedBy !== 'deadline' &&
      (failure !== null || stoppedBy === 'timeout') &&
      // When our own backstop closed the page, its "page has been closed" error is ours, not a crash.
      classifyError(stoppedBy === 'timeout' ? null : (thrown ?? failure), browserHealth) === 'checker';

    const finalUrl = page.isClosed() ? (response?.url() ?? null) : page.url();
    const unreachable = response ? await response.headerValue(GUARD_ERROR_HEADER).catch(() => null) : null;
    if (unreachable && failure !== null) {
      // The guard's stand-in page for an unreachable production: nothing of the app rendered.
      screenshotMissing = `nothing rendered: ${boundText(failure)}`;
    } else if (!stoppedBy && !checkerFault && !page.isClosed()) {
      try {
        ({ screenshotPng, fullPagePng, screenshotMissing } = await evidence.pictures(
          failure !== null,
          failure,
        ));
      } catch (error) {
        // A page that never rendered may have nothing to show; a rendered page that cannot be captured is worth a note.
        if (rendered) evidence.note(`smoke-seal: screenshot failed: ${errorText(error)}`);
      }
    }
    // The page's ARIA snapshot and timings, for the comparison with the last green seal (issue 21).
    const material =
      this.options.pageMaterial &&
      judge.isAppPage &&
      rendered &&
      !stoppedBy &&
      !checkerFault &&
      !page.isClosed()
        ? await readPageMaterial(page)
        : null;
    const redirectChain = await valueWithin(AttemptEvidence.redirectChain(response), CLOSE_GRACE_MS, []);
    await settleWithin(page.close(), CLOSE_GRACE_MS);
    await Promise.all(popups.map((popup) => settleWithin(popup.close(), CLOSE_GRACE_MS)));

    if (stoppedBy === 'deadline') return outcomeOf('unfinished', CUT_OFF_BY_DEADLINE);
    if (checkerFault) return outcomeOf('unfinished', checkerFaultText(browserHealth));
    if (stoppedBy === 'timeout') return outcomeOf('failed', timeoutText);
    // The seal's own session expired: the seal's fault, never production's (inconclusive, no rollback).
    if (failure === SIGN_IN_EXPIRED) return outcomeOf('unfinished', SIGN_IN_EXPIRED);
    return outcomeOf(failure === null ? 'passed' : 'failed', failure);

    function outcomeOf(outcome: AttemptOutcome['outcome'], error: string | null): AttemptOutcome {
      const checker = outcome === 'unfinished';
      return {
        outcome,
        url,
        finalUrl: finalUrl === 'about:blank' || finalUrl === null ? null : boundText(finalUrl, MAX_URL_CHARS),
        httpStatus: response?.status() ?? null,
        durationMs: performance.now() - started,
        error: error === null ? null : boundText(error),
        pageErrors: evidence.pageErrorList(),
        consoleErrors: evidence.consoleErrorList(),
        // A picture taken under a crashed or wedged browser shows the checker's state, not production's.
        screenshotPng: checker ? null : screenshotPng,
        fullPagePng: checker ? null : fullPagePng,
        screenshotMissing: checker ? null : screenshotMissing,
        material: checker ? null : material,
        redirectChain,
        failedRequests: evidence.failedRequests,
        pageErrorDetails: evidence.pageErrorDetails,
      };
    }
  }

  /** What the guard says about where the navigation went: production unreachable, or off the app's hosts. */
  private async guardVerdict(
    check: Check,
    staysOnAppHosts: boolean,
    response: Response | null,
  ): Promise<string | null> {
    const guardError = response ? await response.headerValue(GUARD_ERROR_HEADER).catch(() => null) : null;
    if (guardError && (await response?.headerValue(GUARD_HEADER).catch(() => null)) === 'upstream-error') {
      return `${check.path} ${guardError}`;
    }
    return staysOnAppHosts ? this.offAppHosts(check, response?.url() ?? null) : null;
  }

  /** When a page's navigation ended off the app's hosts: the check fails naming where it went. */
  private offAppHosts(check: Check, finalUrl: string | null): string | null {
    const { guard } = this.options;
    if (!finalUrl || finalUrl === 'about:blank' || !guard.guarded) return null;
    let url: URL;
    try {
      url = new URL(finalUrl);
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (matchesAppHost(url.hostname.replace(/^\[|\]$/g, ''), port, guard.appHosts)) return null;
    const shown = finalUrl.length > 200 ? `${finalUrl.slice(0, 199)}…` : finalUrl;
    const refused = guard.refusedDestinations.has(finalUrl) ? ' (refused)' : '';
    return `${check.path} was redirected off the app's hosts to ${shown}${refused}`;
  }
}

/** An attempt that never started: the browser had already broken under a sibling. */
function checkerOutcome(url: string, started: number, health: BrowserHealth): AttemptOutcome {
  return {
    outcome: 'unfinished',
    url,
    finalUrl: null,
    httpStatus: null,
    durationMs: performance.now() - started,
    error: checkerFaultText(health),
    pageErrors: [],
    consoleErrors: [],
    screenshotPng: null,
  };
}

/** Turns Chromium's net:: codes into what an operator reads; unreachable production is a failed check. */
function describeNavigationError(error: unknown, check: Check, timeoutMs: number): string {
  const text = errorText(error);
  const code = /net::(ERR_[A-Z_]+)/.exec(text)?.[1];
  if (code === 'ERR_CONNECTION_REFUSED') return `${check.path} unreachable: connection refused`;
  if (code === 'ERR_NAME_NOT_RESOLVED') return `${check.path} unreachable: DNS name not resolved`;
  if (code === 'ERR_TOO_MANY_REDIRECTS') return `${check.path} redirect loop (too many redirects)`;
  if (code?.startsWith('ERR_CERT_') || code?.startsWith('ERR_SSL_'))
    return `${check.path} TLS error: ${code}`;
  if (code === 'ERR_CONNECTION_RESET' || code === 'ERR_EMPTY_RESPONSE' || code === 'ERR_CONNECTION_CLOSED') {
    return `${check.path} unreachable: ${code}`;
  }
  if (code) return `${check.path} failed to load: ${code}`;
  if (/Timeout \d+ms exceeded/.test(text)) {
    return `${check.path} did not finish within ${Math.round(timeoutMs)} ms`;
  }
  return `${check.path}: ${text}`;
}
