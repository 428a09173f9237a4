// SpecSuite on Playwright Test itself: the team's spec and config, run by its runner behind the read-only guard.
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { boundText } from '../../core/bound-text';
import {
  BROWSER_CRASHED,
  BROWSER_UNRESPONSIVE,
  CUT_OFF_BY_DEADLINE,
  classifyError,
} from '../../core/checker-fault';
import { errorText } from '../../core/error-text';
import type {
  ArtifactBytes,
  AttemptOutcome,
  RefusedRequests,
  SpecSuite,
  SuiteCheckRun,
  SuiteRun,
  SuiteRunInput,
} from '../../core/ports';
import { RefusalTally } from '../../core/refusal-tally';
import type { CheckOutcome } from '../../core/seal';
import { chromiumExecutable } from '../chromium-binary';
import { chromiumArgs, guardArgs } from '../chromium-browser';
import { ReadOnlyProxy, type ReadOnlyProxyOptions, type Refusal } from '../read-only-proxy';
import { PAGE_PROBE_MS, PAGE_STOPPED_RESPONDING, type ProbeLine } from './browser-probe';
import { checkSpecImports } from './check-spec-imports';
import { NODE_FENCE_MARK } from './node-network-fence';
import { PlaywrightSpecError } from './playwright-spec-error';
import { commonFolder } from './resolve-spec-paths';
import { type PlaywrightExit, runPlaywright } from './run-playwright';
import { specFilesUnder } from './spec-files-under';

/** Evidence caps per failed test (docs/spec.md, "Evidence"): bigger files are left out, with a note. */
export const EVIDENCE_CAPS = {
  screenshot: 2 * 1024 * 1024,
  'error-context': 256 * 1024,
  trace: 10 * 1024 * 1024,
} as const;
/** All of one seal's Playwright evidence together: past it, later failed tests keep their errors only. */
export const MAX_EVIDENCE_BYTES = 40 * 1024 * 1024;
/** What a worker costs (its Node process and a multi-process Chromium with one page), and what the seal keeps. */
const WORKER_MB = 600;
const RESERVED_MB = 400;
/** The runner's own end (reporting, closing browsers) inside the seal's deadline. */
const WIND_DOWN_MS = 4_000;
const KILL_MARGIN_MS = 1_000;

/** Playwright's words for a checker fault of its own (besides the browser's, in checker-fault.ts). */
const RUNNER_FAULTS = [
  /Worker process exited unexpectedly/i,
  /browserType\.launch/i,
  /Internal error/i,
  /Test was interrupted/i,
];

export interface PlaywrightSuiteOptions {
  /** The spec: files and folders, absolute (resolveSpecPaths). */
  readonly specPaths: readonly string[];
  /** The team's playwright.config, absolute; null when there is none. */
  readonly teamConfig: string | null;
  readonly grep?: string;
  readonly grepInvert?: string;
  /** The seal's defaults where the team's config sets none. */
  readonly retries: number;
  readonly timeoutMs: number;
  /** Tests at once; defaults to what the function's memory holds. */
  readonly workers?: number;
  /** Defaults to the Chromium inside @sparticuz/chromium. */
  readonly executablePath?: string;
  /** AWS_LAMBDA_RUNTIME_API, never reachable. Defaults to the environment's. */
  readonly runtimeApi?: string;
  readonly guard?: Pick<ReadOnlyProxyOptions, 'lookup' | 'classifyAddress' | 'extraCa'>;
  /** The spec's console output and the runner's, line by line (the seal's log). */
  readonly log?: (line: string) => void;
  /** Where each run's folder is made (default: the temp folder). */
  readonly tmpRoot?: string;
  /** The field errors name (`--spec`, `apps[0].spec.playwright`). */
  readonly where: string;
  /**
   * A spec that does not load or selects no test, found by the run itself (its reporter's onBegin):
   * `throw` (the CLI: run() throws PlaywrightSpecError, exit 64) or, by default, the run's tooling
   * error (Lambda: inconclusive). The messages are list()'s.
   */
  readonly unusableSpec?: 'throw' | 'tooling-error';
}

/** One test as the runner lists it. */
export interface ListedTest {
  readonly project: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly titlePath: readonly string[];
}

interface ReportedResult {
  readonly status: string;
  readonly retry: number;
  readonly workerIndex?: number;
  readonly startMs: number | null;
  readonly durationMs: number;
  /** Playwright's message; led by PAGE_STOPPED_RESPONDING when the probe found the page wedged. */
  error: string | null;
  /** The browser probe, when this attempt failed: the browser itself did not answer (the checker's fault). */
  browserSilent?: boolean;
  /** The guard refused Node network in the spec's processes during this attempt (its message, or the fence's log). */
  guard: boolean;
  /** A write the test itself sent (a form's submission, Playwright's request context) that the guard refused while it ran. */
  ownWrite?: string;
  readonly attachments: readonly { name: string; contentType: string; path: string }[];
}

interface ReportedTest extends ListedTest {
  readonly id: string;
  readonly expectedStatus: string;
  readonly outcome?: string;
  readonly results?: readonly ReportedResult[];
}

interface Report {
  readonly begun: boolean;
  /** The tests the runner loaded and selected (its onBegin), and the first of them listed. */
  readonly total: number;
  readonly listed: ReportedTest[];
  readonly tests: ReportedTest[];
  readonly notRun: ReportedTest[];
  readonly errors: string[];
  readonly end: { status: string; leftOut: number } | null;
}

/** Tests at once for a function of `memoryMb`: what its memory holds with room to spare, at least 1, at most 4. */
export function workersForMemory(memoryMb: number): number {
  return Math.max(1, Math.min(4, Math.floor((memoryMb - RESERVED_MB) / WORKER_MB)));
}

function functionMemoryMb(): number {
  const lambda = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (Number.isFinite(lambda) && lambda > 0) return lambda;
  // A laptop: its memory, or its container's limit when lower.
  const constrained = process.constrainedMemory?.() ?? 0;
  const bytes = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.round(bytes / 1024 / 1024);
}

export class PlaywrightSuite implements SpecSuite {
  constructor(private readonly options: PlaywrightSuiteOptions) {}

  /**
   * The spec's imports checked as at synth (checkSpecImports): no network or process module, files
   * that compile; any installed package (on a laptop). Throws PlaywrightSpecError naming the file.
   */
  async checkImports(): Promise<void> {
    const entries = this.options.specPaths.flatMap((path) =>
      statSync(path).isFile() ? [path] : specFilesUnder(path),
    );
    if (this.options.teamConfig) entries.push(this.options.teamConfig);
    await checkSpecImports(entries, this.specDir(), this.options.where, { shippedPackagesOnly: false });
  }

  /** The tests the seal would run (Playwright's `--list`): the spec loads, grep matches. Throws PlaywrightSpecError naming the field. */
  async list(): Promise<ListedTest[]> {
    const runDir = await mkdtemp(join(this.options.tmpRoot ?? tmpdir(), 'smoke-seal-spec-'));
    try {
      const exit = await runPlaywright({
        runDir,
        settings: this.settings({ baseURL: 'http://127.0.0.1:9', proxyServer: 'http://127.0.0.1:9' }, 60_000),
        args: ['--list', '--pass-with-no-tests', ...this.selectionArgs()],
        nodeProxy: '127.0.0.1:9',
        caPem: null,
        killAfterMs: 60_000,
        log: this.options.log,
      });
      const report = await readReport(exit.reporterOut);
      const listed = [...report.tests, ...report.notRun].map(listedOf);
      // Any error while listing is a spec that does not load, as before the run reported it itself.
      const unusable = await this.unusableSpec(report, exit, report.errors.length > 0 ? 0 : listed.length);
      if (unusable) throw new PlaywrightSpecError(unusable);
      return listed;
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  }

  async run(input: SuiteRunInput): Promise<SuiteRun> {
    const started = performance.now();
    const deadlineAt = started + input.deadlineMs;
    const tally = new RefusalTally();
    const ownWrites: OwnWrite[] = [];
    const runDir = await mkdtemp(join(this.options.tmpRoot ?? tmpdir(), 'smoke-seal-spec-'));
    let proxy: ReadOnlyProxy | null = null;
    try {
      try {
        proxy = await ReadOnlyProxy.start({
          appHosts: input.target.appHosts,
          runtimeApi: this.options.runtimeApi ?? process.env.AWS_LAMBDA_RUNTIME_API,
          auth: input.target.auth,
          ...this.options.guard,
          onRefusal: (refusal) => {
            tally.add(refusal);
            const own = ownWriteOf(refusal);
            if (own && ownWrites.length < MAX_OWN_WRITES) ownWrites.push(own);
          },
        });
      } catch (error) {
        return toolingOnly(`the read-only proxy did not start: ${errorText(error)}`, tally.snapshot());
      }
      let storageState: string | null = null;
      if (input.target.auth?.storageState) {
        storageState = join(runDir, 'storage-state.json');
        await writeFile(storageState, JSON.stringify(input.target.auth.storageState));
      }
      const left = deadlineAt - performance.now();
      const globalTimeoutMs = Math.max(1_000, Math.round(left - WIND_DOWN_MS));
      const proxyPort = new URL(proxy.url).port;
      const progress = new ProgressReader(join(runDir, 'results.jsonl'), (test) => {
        try {
          input.onCheckFinished?.(this.checkOf(test, input.target.baseUrl, []));
        } catch {
          // progress never changes a seal
        }
      });
      let exit: PlaywrightExit;
      try {
        exit = await runPlaywright({
          runDir,
          settings: this.settings(
            { baseURL: input.target.baseUrl, proxyServer: proxy.url, storageState },
            globalTimeoutMs,
            await this.executablePath(),
            proxy.leafSpkiSha256,
          ),
          // No test selected is told by the reporter (zero tests at onBegin), in the seal's words below.
          args: ['--pass-with-no-tests', ...this.selectionArgs()],
          nodeProxy: `127.0.0.1:${proxyPort}`,
          caPem: await proxy.caPem(),
          killAfterMs: Math.max(0, left - KILL_MARGIN_MS),
          log: this.options.log,
        });
      } finally {
        progress.stop();
      }
      const report = await readReport(exit.reporterOut);
      // What `--list` once caught before the run: a spec or config that does not load, no test selected.
      // A runner ended by a signal (killed, out of memory) is the checker's, whatever it left unwritten.
      const unusable =
        exit.killed || exit.startError || exit.signal !== null
          ? null
          : await this.unusableSpec(report, exit, report.total);
      if (unusable && this.options.unusableSpec === 'throw') throw new PlaywrightSpecError(unusable);
      if (unusable) return toolingOnly(unusable, tally.snapshot());
      const fence = await readFenceLog(exit.fenceLog);
      for (const { what } of fence) {
        tally.add({ method: 'NODE', url: what, reason: "refused to the spec's Node code" });
      }
      markGuardRefusals(report, fence);
      markOwnWrites(report, ownWrites);
      markProbes(report, await readProbeLog(exit.probeOut));
      const checks = await this.checksOf(report, input.target.baseUrl, exit);
      const skipped = await readSkipped(exit.skippedOut);
      for (const project of skipped) {
        checks.push({
          name: `[${project.name || 'project'}] (project skipped)`.slice(0, 300),
          kind: 'test',
          path: '/',
          url: input.target.baseUrl,
          outcome: 'skipped',
          httpStatus: null,
          durationMs: 0,
          error: project.reason,
          attempts: [],
        });
      }
      return {
        checks,
        refused: tally.snapshot(),
        launchMs: null,
        toolingError: toolingErrorOf(report, exit, checks),
      };
    } finally {
      await proxy?.close().catch(() => undefined);
      await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * Why the spec cannot be used, from a run or a listing that began with `selected` tests: its config or a
   * file did not load (the runner's first error), or nothing matched grep (naming the projects left out).
   */
  private async unusableSpec(report: Report, exit: PlaywrightExit, selected: number): Promise<string | null> {
    const where = this.options.where;
    // With nothing to list, Playwright may end (code 0) before it begins a reporter: no test matched.
    const nothing = !report.begun && report.errors.length === 0 && exit.code === 0;
    if (!nothing && (!report.begun || (selected === 0 && report.errors.length > 0))) {
      const why = report.errors[0] ?? exit.startError ?? lastLines(exit.outputTail);
      return `${where}: the spec failed to load: ${why}`;
    }
    if (selected > 0) return null;
    const skipped = await readSkipped(exit.skippedOut);
    const note =
      skipped.length > 0
        ? `; projects left out: ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`
        : '';
    const grep = this.options.grepInvert
      ? `"${this.options.grep ?? '.'}" and not "${this.options.grepInvert}"`
      : `"${this.options.grep ?? '.'}"`;
    return `${grepField(where)}: no test in ${this.options.specPaths.join(', ')} matches ${grep}${note}`;
  }

  private async executablePath(): Promise<string> {
    return this.options.executablePath ?? (await chromiumExecutable());
  }

  private selectionArgs(): string[] {
    const args: string[] = [];
    if (this.options.grep) args.push('--grep', this.options.grep);
    if (this.options.grepInvert) args.push('--grep-invert', this.options.grepInvert);
    // Only the tests under the spec's paths: regular expressions over a file's path, as Playwright filters.
    for (const path of this.options.specPaths) args.push(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return args;
  }

  private settings(
    target: { baseURL: string; proxyServer: string; storageState?: string | null },
    globalTimeoutMs: number,
    executablePath = '/nonexistent-chromium',
    leafSpki?: string,
  ) {
    const specDirectory = this.specDir();
    return {
      teamConfig: this.options.teamConfig,
      teamDir: this.options.teamConfig ? dirOf(this.options.teamConfig) : specDirectory,
      specPath: specDirectory,
      specDir: specDirectory,
      baseURL: target.baseURL,
      proxyServer: target.proxyServer,
      executablePath,
      // Multi-process: a context per test, as Playwright gives it (--single-process dies with the first close).
      args: chromiumArgs(leafSpki ? guardArgs(leafSpki) : []).filter((flag) => flag !== '--single-process'),
      workers: this.options.workers ?? workersForMemory(functionMemoryMb()),
      globalTimeoutMs,
      retries: this.options.retries,
      timeoutMs: this.options.timeoutMs,
      storageState: target.storageState ?? null,
    };
  }

  private specDir(): string {
    return commonFolder(
      this.options.specPaths,
      (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
    );
  }

  private async checksOf(report: Report, baseUrl: string, exit: PlaywrightExit): Promise<SuiteCheckRun[]> {
    const budget = { left: MAX_EVIDENCE_BYTES };
    const checks: SuiteCheckRun[] = [];
    for (const test of report.tests) {
      const attempts: AttemptOutcome[] = [];
      for (const result of test.results ?? []) {
        attempts.push(await attemptOf(result, baseUrl, budget));
      }
      checks.push(this.checkOf(test, baseUrl, attempts));
    }
    const cutOff = exit.killed || report.end?.status === 'timedout' || report.end?.status === 'interrupted';
    for (const test of report.notRun) {
      checks.push({
        ...this.checkOf(test, baseUrl, []),
        outcome: 'unfinished',
        error: cutOff ? CUT_OFF_BY_DEADLINE : 'not run: the Playwright runner stopped before it',
      });
    }
    checks.sort((a, b) => orderOf(a).localeCompare(orderOf(b), 'en', { numeric: true }));
    return nameUniquely(checks);
  }

  private checkOf(test: ReportedTest, baseUrl: string, attempts: AttemptOutcome[]): SuiteCheckRun {
    const results = test.results ?? [];
    const outcome = outcomeOf(test);
    const last = results.at(-1);
    const decisive = outcome === 'failed' ? (results.findLast((r) => !isPassing(r, test)) ?? last) : last;
    return {
      name: checkName(test),
      kind: 'test',
      path: '/',
      url: baseUrl,
      outcome,
      httpStatus: null,
      durationMs: results.reduce((sum, result) => sum + result.durationMs, 0),
      error: outcome === 'passed' || outcome === 'skipped' ? null : errorOf(decisive, outcome),
      attempts,
      playwright: {
        project: test.project,
        file: test.file,
        line: test.line,
        column: test.column,
        titlePath: [...test.titlePath],
      },
    };
  }
}

function dirOf(path: string): string {
  return path.slice(0, Math.max(1, path.length - basename(path).length - 1));
}

function grepField(where: string): string {
  return where === '--spec' ? '--grep' : `${where}.grep`;
}

function isPassing(result: ReportedResult, test: ReportedTest): boolean {
  return result.status === test.expectedStatus || result.status === 'skipped';
}

/** A failure is the checker's when Playwright says the browser, a worker or the runner broke, or the guard refused. */
function checkerFault(result: ReportedResult | undefined): boolean {
  if (!result) return false;
  if (result.status === 'interrupted') return true;
  if (result.guard || result.browserSilent || result.ownWrite) return true;
  const text = result.error ?? '';
  return classifyError(new Error(text)) === 'checker' || RUNNER_FAULTS.some((pattern) => pattern.test(text));
}

function outcomeOf(test: ReportedTest): CheckOutcome {
  const results = test.results ?? [];
  if (test.outcome === 'skipped' || (results.length > 0 && results.every((r) => r.status === 'skipped'))) {
    return 'skipped';
  }
  if (test.outcome === 'expected' || test.outcome === 'flaky') return 'passed';
  if (results.length === 0) return 'unfinished';
  const last = results.at(-1)!;
  if (!checkerFault(last)) return 'failed';
  // Cut off by the deadline (or a crash) after a genuine failure: production still failed (docs/spec.md).
  const failedBefore = results.slice(0, -1).some((r) => !isPassing(r, test) && !checkerFault(r));
  return failedBefore && last.status === 'interrupted' ? 'failed' : 'unfinished';
}

function errorOf(result: ReportedResult | undefined, outcome: CheckOutcome): string {
  if (!result) return 'not run';
  if (outcome === 'unfinished') {
    if (result.status === 'interrupted') return CUT_OFF_BY_DEADLINE;
    if (result.browserSilent) return BROWSER_UNRESPONSIVE;
    if (result.ownWrite) {
      return `the read-only guard refused a write the test sent itself (${result.ownWrite}) and the test failed after it: a seal cannot judge a test that writes; sign in with a storage state (apps[].auth) and tag only read-only tests @qa-readonly`;
    }
    if (result.guard) {
      const line =
        (result.error ?? '').split('\n').find((l) => l.includes(NODE_FENCE_MARK)) ?? NODE_FENCE_MARK;
      return line.slice(line.indexOf(NODE_FENCE_MARK)).slice(0, 500);
    }
    if (/Worker process exited unexpectedly/i.test(result.error ?? ''))
      return 'the Playwright worker crashed';
    return BROWSER_CRASHED;
  }
  return result.error ?? `test ${result.status}`;
}

/** File, line, column, project: the order Playwright lists tests in. */
function orderOf(check: SuiteCheckRun): string {
  const at = check.playwright;
  return at ? `${at.file}\u0000${at.line}\u0000${at.column}\u0000${at.project}` : check.name;
}

function checkName(test: ListedTest): string {
  const title = test.titlePath.join(' › ') || test.file;
  const name = test.project ? `[${test.project}] ${title}` : title;
  return name.length > 300 ? `${name.slice(0, 299)}…` : name;
}

/** The same title in two files: the file and line tell them apart. */
function nameUniquely(checks: SuiteCheckRun[]): SuiteCheckRun[] {
  const counts = new Map<string, number>();
  for (const check of checks) counts.set(check.name, (counts.get(check.name) ?? 0) + 1);
  return checks.map((check) =>
    counts.get(check.name)! > 1 && check.playwright
      ? { ...check, name: `${check.name} (${check.playwright.file}:${check.playwright.line})`.slice(0, 300) }
      : check,
  );
}

async function attemptOf(
  result: ReportedResult,
  baseUrl: string,
  budget: { left: number },
): Promise<AttemptOutcome> {
  const outcome: CheckOutcome =
    result.status === 'passed'
      ? 'passed'
      : result.status === 'skipped'
        ? 'skipped'
        : checkerFault(result)
          ? 'unfinished'
          : 'failed';
  const artifacts: ArtifactBytes[] = [];
  let screenshotPng: Uint8Array | null = null;
  const notes: string[] = [];
  if (outcome === 'failed') {
    for (const attachment of result.attachments) {
      const kind = artifactKind(attachment);
      if (!kind) continue;
      const bytes = await readCapped(attachment.path, EVIDENCE_CAPS[kind], budget);
      if (typeof bytes === 'string') {
        notes.push(`${kind}: ${bytes}`);
        continue;
      }
      if (kind === 'screenshot' && !screenshotPng) screenshotPng = bytes;
      else if (kind !== 'screenshot') {
        artifacts.push({ kind, name: basename(attachment.path), contentType: attachment.contentType, bytes });
      }
    }
  }
  return {
    outcome,
    url: baseUrl,
    finalUrl: null,
    httpStatus: null,
    durationMs: result.durationMs,
    error: outcome === 'passed' || outcome === 'skipped' ? null : (result.error ?? `test ${result.status}`),
    pageErrors: [],
    consoleErrors: notes,
    screenshotPng,
    artifactBytes: artifacts,
  };
}

function artifactKind(attachment: { name: string; contentType: string }): ArtifactBytes['kind'] | null {
  if (attachment.name === 'trace' && attachment.contentType === 'application/zip') return 'trace';
  if (attachment.name === 'error-context') return 'error-context';
  if (attachment.contentType === 'image/png' && /^screenshot/.test(attachment.name)) return 'screenshot';
  return null;
}

async function readCapped(path: string, cap: number, budget: { left: number }): Promise<Uint8Array | string> {
  try {
    const size = (await stat(path)).size;
    if (size > cap) return `left out: ${size} bytes, over the cap of ${cap}`;
    if (size > budget.left)
      return `left out: the seal's evidence budget of ${MAX_EVIDENCE_BYTES} bytes is spent`;
    budget.left -= size;
    return new Uint8Array(await readFile(path));
  } catch (error) {
    return `not readable: ${errorText(error)}`;
  }
}

function listedOf(test: ReportedTest): ListedTest {
  return {
    project: test.project,
    file: test.file,
    line: test.line,
    column: test.column,
    titlePath: test.titlePath,
  };
}

async function readReport(file: string): Promise<Report> {
  const report: Report = { begun: false, total: 0, listed: [], tests: [], notRun: [], errors: [], end: null };
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return report;
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line cut by a kill
    }
    if (entry.type === 'begin') {
      (report as { begun: boolean }).begun = true;
      (report as { total: number }).total = Number(entry.tests ?? 0);
      if (Array.isArray(entry.listed))
        report.listed.push(...(entry.listed as ReportedTest[]).slice(0, 2_000));
    } else if (entry.type === 'test') report.tests.push(entry as unknown as ReportedTest);
    else if (entry.type === 'error') report.errors.push(String(entry.message ?? '').slice(0, 2_000));
    else if (entry.type === 'end') {
      (report as { end: Report['end'] }).end = {
        status: String(entry.status),
        leftOut: Number(entry.leftOut ?? 0),
      };
      report.notRun.push(...((entry.notRun as ReportedTest[] | undefined) ?? []));
    }
  }
  if (report.begun && !report.end) {
    // The runner died before its end: the tests it began with and never reported were not run.
    const reported = new Set(report.tests.map((test) => test.id));
    report.notRun.push(...report.listed.filter((test) => !reported.has(test.id)));
  }
  return report;
}

async function readSkipped(file: string): Promise<{ name: string; reason: string }[]> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return Array.isArray(parsed)
      ? parsed.slice(0, 20).map((p: { name?: unknown; reason?: unknown }) => ({
          name: String(p.name ?? '').slice(0, 100),
          reason: String(p.reason ?? '').slice(0, 200),
        }))
      : [];
  } catch {
    return [];
  }
}

interface FenceRefusal {
  readonly at: number;
  readonly what: string;
}

async function readFenceLog(file: string): Promise<FenceRefusal[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .slice(0, 200)
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { at?: unknown; what?: unknown };
          return { at: Number(entry.at ?? 0), what: String(entry.what ?? '').slice(0, 300) };
        } catch {
          return { at: 0, what: 'a refused Node network call' };
        }
      });
  } catch {
    return [];
  }
}

/**
 * A test that failed while the guard refused its Node code (or any running then: the conservative
 * side) is not production's failure, even when the spec hid the refusal (a worker thread's exit code).
 */
function markGuardRefusals(report: Report, fence: readonly FenceRefusal[]): void {
  if (fence.length === 0) return;
  for (const { result, during } of failedAttempts(report, 500)) {
    if (fence.some((refusal) => during(refusal.at))) result.guard = true;
  }
}

/**
 * Each attempt that did not end as its test expected, with a test of whether a moment fell in its run
 * (from 50 ms before its start to `graceMs` after its end: the refusal, the probe, may be logged late).
 */
function* failedAttempts(
  report: Report,
  graceMs: number,
): Generator<{ result: ReportedResult; during: (at: number) => boolean }> {
  for (const test of report.tests) {
    for (const result of test.results ?? []) {
      if (result.status === test.expectedStatus || result.startMs === null) continue;
      const start = result.startMs;
      const end = start + result.durationMs + graceMs;
      yield { result, during: (at) => at >= start - 50 && at <= end };
    }
  }
}

/** At most this many of the test's own refused writes are kept to place in the tests' runs. */
const MAX_OWN_WRITES = 500;

interface OwnWrite {
  readonly at: number;
  /** `POST /session, a form's submission`: method, path and who sent it, bounded. */
  readonly what: string;
}

/** A refused write the test sent itself: a form it submitted, or a call of Playwright's request context. */
function ownWriteOf(refusal: Refusal): OwnWrite | null {
  if (refusal.at === undefined || (refusal.sentBy !== 'navigation' && refusal.sentBy !== 'request-context')) {
    return null;
  }
  let path: string;
  try {
    path = new URL(refusal.url).pathname;
  } catch {
    path = refusal.url;
  }
  const by = refusal.sentBy === 'navigation' ? "a form's submission" : "Playwright's request context";
  return { at: refusal.at, what: `${refusal.method} ${boundText(path, 200)}, ${by}` };
}

/**
 * A test that failed after the guard refused a write it sent itself (its form submission, its
 * `request.post`) is not production's failure: the write never reached the app, so what followed
 * cannot be judged. With several workers a refusal is placed by time alone (the conservative side, as
 * for the Node fence); a page's own background writes (analytics, beacons) never count.
 */
function markOwnWrites(report: Report, writes: readonly OwnWrite[]): void {
  if (writes.length === 0) return;
  for (const { result, during } of failedAttempts(report, 500)) {
    const write = writes.find((refused) => during(refused.at));
    if (write) result.ownWrite ??= write.what;
  }
}

async function readProbeLog(file: string): Promise<ProbeLine[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .slice(0, 200)
      .flatMap((line) => {
        try {
          const entry = JSON.parse(line) as Partial<ProbeLine>;
          return [
            {
              worker: Number(entry.worker),
              at: Number(entry.at),
              pageSilent: entry.pageSilent === true,
              browser:
                entry.browser === 'answered' || entry.browser === 'silent' ? entry.browser : 'not asked',
              busy: entry.busy === true,
              url: typeof entry.url === 'string' ? entry.url.slice(0, 300) : null,
            },
          ];
        } catch {
          return []; // a line cut by a kill
        }
      });
  } catch {
    return [];
  }
}

/**
 * A failed attempt meets the probe its worker ran while it ended (browser-probe.ts): a browser that
 * did not answer (or a renderer stopped) makes it the checker's fault; a page that did not answer
 * while its renderer kept running and the browser answered stays red, its message led by "page
 * stopped responding"; a page silent only because its navigation waits on the network is left as
 * Playwright reported it.
 */
function markProbes(report: Report, probes: readonly ProbeLine[]): void {
  if (probes.length === 0) return;
  for (const { result, during } of failedAttempts(report, 2_000)) {
    const mine = probes.filter((probe) => probe.worker === result.workerIndex && during(probe.at));
    if (mine.some((probe) => probe.browser === 'silent')) {
      result.browserSilent = true;
      continue;
    }
    const wedged = mine.find((probe) => probe.pageSilent && probe.browser === 'answered' && probe.busy);
    if (wedged) {
      const page = wedged.url ? ` (${wedged.url})` : '';
      result.error = `${PAGE_STOPPED_RESPONDING}${page}: its main thread kept running and did not answer within ${PAGE_PROBE_MS / 1000} s while the browser did\n${result.error ?? `test ${result.status}`}`;
    }
  }
}

function toolingErrorOf(
  report: Report,
  exit: PlaywrightExit,
  checks: readonly SuiteCheckRun[],
): string | null {
  if (exit.startError) return `the Playwright runner could not start: ${exit.startError}`;
  if (!report.begun) {
    const why = report.errors[0] ?? lastLines(exit.outputTail);
    return exit.killed
      ? 'the seal deadline expired before the Playwright runner started'
      : `the Playwright runner could not start: ${why}`;
  }
  if (report.errors.length > 0 && !checks.some((check) => check.outcome === 'failed')) {
    return `the Playwright run broke outside the tests: ${report.errors[0]!.split('\n')[0]}`;
  }
  if (!report.end) {
    return exit.killed
      ? 'the seal deadline expired: the Playwright runner was stopped'
      : `the Playwright runner stopped without finishing (exit ${exit.code ?? exit.signal})`;
  }
  if (report.end.leftOut > 0) return null;
  const unfinished = checks.find(
    (check) => check.outcome === 'unfinished' && check.error !== CUT_OFF_BY_DEADLINE,
  );
  return unfinished?.error ?? null;
}

function toolingOnly(error: string, refused: RefusedRequests): SuiteRun {
  return { checks: [], refused, launchMs: null, toolingError: error };
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').slice(-5).join(' ').trim();
  return lines.slice(-800) || 'no output';
}

/** Tails the reporter's file while the run goes, telling each finished test once. */
class ProgressReader {
  private readonly timer: NodeJS.Timeout;
  private read = 0;

  constructor(
    private readonly file: string,
    private readonly onTest: (test: ReportedTest) => void,
  ) {
    this.timer = setInterval(() => void this.poll(), 500);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return;
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const lines = complete.split('\n').filter(Boolean);
    for (const line of lines.slice(this.read)) {
      try {
        const entry = JSON.parse(line) as { type?: string };
        if (entry.type === 'test') this.onTest(entry as ReportedTest);
      } catch {
        // ignored
      }
    }
    this.read = lines.length;
  }
}
