// BrowserLauncher on headless Chromium from @sparticuz/chromium, driven by playwright-core.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { type BrowserContext, type Page, chromium as playwright, type Response } from 'playwright-core';
import { boundText, MAX_URL_CHARS } from '../core/bound-text';
import { checkUrl } from '../core/check-url';
import {
  type BrowserHealth,
  CUT_OFF_BY_DEADLINE,
  checkerFaultText,
  classifyError,
} from '../core/checker-fault';
import { matchesAppHost } from '../core/destination-policy';
import { errorText } from '../core/error-text';
import type {
  AttemptOutcome,
  BrowserLauncher,
  BrowserSession,
  BrowserTarget,
  RefusedRequests,
  RunCheckOptions,
  StorageState,
} from '../core/ports';
import { RefusalTally } from '../core/refusal-tally';
import { settleWithin, valueWithin } from '../core/settle-within';
import type { Check } from '../core/spec';
import { AttemptEvidence } from './attempt-evidence';
import { BOUND_CONSOLE_SCRIPT } from './bound-console-script';
import { browserProcesses } from './browser-processes';
import { browserResponsive } from './browser-responsive';
import { judgeDataCheck } from './data-check';
import { killBrowserProcesses } from './kill-browser-processes';
import { NotFoundProbe } from './not-found-probe';
import { PageActivity } from './page-activity';
import {
  GUARD_ERROR_HEADER,
  GUARD_HEADER,
  ReadOnlyProxy,
  type ReadOnlyProxyOptions,
} from './read-only-proxy';

/** A check written in code against a Playwright page; it throws (or rejects) to fail. */
export type ScriptCheckFn = (page: Page, context: { readonly baseUrl: string }) => Promise<void>;

/**
 * @sparticuz/chromium's defaults that weaken the browser's security model. A smoke check must see
 * production as a user's browser does, so these go.
 */
export const INSECURE_CHROMIUM_FLAGS: readonly string[] = [
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

/**
 * What keeps every byte of the browser inside the read-only proxy: no QUIC (it would not use the proxy),
 * WebRTC limited to proxied traffic (no UDP leaves), the proxy's leaf key trusted for this browser only.
 */
export function guardArgs(leafSpkiSha256: string): string[] {
  return [
    '--disable-quic',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--webrtc-ip-handling-policy=disable_non_proxied_udp',
    `--ignore-certificate-errors-spki-list=${leafSpkiSha256}`,
  ];
}
/** How many URLs the guard refused as destinations are remembered to name a navigation that ended there. */
const MAX_REFUSED_DESTINATIONS = 1_000;
/** How long past its budget an attempt may take before its page is closed under it. */
const BACKSTOP_GRACE_MS = 2_000;
/** A failure that is a wait running out (Playwright's timeout, a landmark that never showed). */
const TIMEOUT_TEXT =
  /Timeout \d+ms exceeded|did not finish within \d+ ms|^landmark .* not visible( within \d+ ms)?$/m;
/** How long closing a page, or the browser, may take before it is given up (the browser then SIGKILLed). */
const CLOSE_GRACE_MS = 1_000;
/** Closing the browser at the end of a seal: past it, the browser is SIGKILLed (it is of no more use). */
const BROWSER_CLOSE_GRACE_MS = 500;

export interface ChromiumLauncherOptions {
  /** Named script checks that a spec can reference (`kind: "script"`). */
  readonly scripts?: Readonly<Record<string, ScriptCheckFn>>;
  /** Defaults to the binary inside @sparticuz/chromium, decompressed to /tmp on first use. */
  readonly executablePath?: string;
  /** Extra flags, e.g. for measurements. */
  readonly extraArgs?: readonly string[];
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Probe the app's not-found page once per seal (docs/spec.md); off only for measurements. */
  readonly notFoundProbe?: boolean;
  /** AWS_LAMBDA_RUNTIME_API ("host:port"), never reachable from the browser. Defaults to the environment's. */
  readonly runtimeApi?: string;
  /** Seams of the read-only proxy: a name resolver and an address classification (tests), an extra upstream CA. */
  readonly guard?: Pick<ReadOnlyProxyOptions, 'lookup' | 'classifyAddress' | 'extraCa'>;
  /**
   * The bench's guard-cost measurement only (bench/guard-cost.ts): `'off'` launches without the proxy.
   * Nothing in configuration, the CLI or the handlers reaches it. @default 'proxy'
   */
  readonly guardMode?: 'proxy' | 'off';
  /** Where the per-seal profile directory is made (default: the temp folder). */
  readonly profileRoot?: string;
}

/** The Chromium flags a seal runs with: the library's serverless set minus the insecure ones. */
export function chromiumArgs(extra: readonly string[] = []): string[] {
  return [...sparticuz.args.filter((flag) => !INSECURE_CHROMIUM_FLAGS.includes(flag)), ...extra];
}

export class ChromiumLauncher implements BrowserLauncher {
  constructor(private readonly options: ChromiumLauncherOptions = {}) {}

  async launch(target: BrowserTarget): Promise<BrowserSession> {
    const executablePath = this.options.executablePath ?? (await sparticuz.executablePath());
    // A fresh profile per seal, removed on close: a warm Lambda must not fill /tmp.
    const userDataDir = await mkdtemp(join(this.options.profileRoot ?? tmpdir(), 'smoke-seal-profile-'));
    const tally = new RefusalTally();
    const refusedDestinations = new Set<string>();
    let proxy: ReadOnlyProxy | null = null;
    let context: BrowserContext | null = null;
    try {
      if (this.options.guardMode !== 'off') {
        proxy = await ReadOnlyProxy.start({
          appHosts: target.appHosts,
          runtimeApi: this.options.runtimeApi ?? process.env.AWS_LAMBDA_RUNTIME_API,
          auth: target.auth,
          ...this.options.guard,
          onRefusal: (refusal) => {
            tally.add(refusal);
            if (refusal.destination && refusedDestinations.size < MAX_REFUSED_DESTINATIONS) {
              refusedDestinations.add(refusal.url);
            }
          },
        });
      }
      // With the library's --single-process flag one context is what Chromium offers; checks run as
      // pages of it (docs/architecture.md has the measurements behind this choice).
      context = await playwright.launchPersistentContext(userDataDir, {
        executablePath,
        args: chromiumArgs([
          ...(proxy ? guardArgs(proxy.leafSpkiSha256) : []),
          ...(this.options.extraArgs ?? []),
        ]),
        headless: true,
        // Every request of every page, worker and APIRequestContext goes to the read-only proxy; Playwright
        // proxies loopback too (it adds `<-loopback>` when no bypass names a loopback host).
        ...(proxy ? { proxy: { server: proxy.url } } : {}),
        baseURL: target.baseUrl,
        serviceWorkers: 'block',
        viewport: this.options.viewport ?? { width: 1280, height: 800 },
        acceptDownloads: false,
        // Chromium and Playwright's fetch talk only to the proxy, which presents this seal's own leaves and
        // checks production's certificate itself as strictly as the browser (docs/spec.md).
        ignoreHTTPSErrors: proxy !== null,
      });
      await context.addInitScript({ content: BOUND_CONSOLE_SCRIPT });
      if (target.auth?.storageState) await applyStorageState(context, target.auth.storageState);
      const session = new ChromiumSession(
        context,
        userDataDir,
        this.options.scripts ?? {},
        { proxy, tally, refusedDestinations, appHosts: target.appHosts },
        this.options.notFoundProbe ?? true,
      );
      return session;
    } catch (error) {
      await context?.close().catch(() => undefined);
      await proxy?.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
      throw error;
    }
  }
}

/** Cookies as they are; each origin's localStorage set by an init script before the page's own scripts. */
async function applyStorageState(context: BrowserContext, state: StorageState): Promise<void> {
  if (state.cookies.length > 0) await context.addCookies(state.cookies.map((cookie) => ({ ...cookie })));
  for (const { origin, localStorage } of state.origins) {
    if (localStorage.length === 0) continue;
    await context.addInitScript(
      ({ origin: wanted, entries }) => {
        if (location.origin !== wanted) return;
        for (const { name, value } of entries) window.localStorage.setItem(name, value);
      },
      { origin, entries: localStorage.map((entry) => ({ ...entry })) },
    );
  }
}

interface SessionGuard {
  readonly proxy: ReadOnlyProxy | null;
  readonly tally: RefusalTally;
  readonly refusedDestinations: ReadonlySet<string>;
  readonly appHosts: readonly string[];
}

class ChromiumSession implements BrowserSession {
  /** The seal is closing the browser itself: a close from now on is not a crash. */
  private closing = false;
  /** The browser (or its context) went away under the seal. */
  private gone = false;
  /** The browser stopped answering: sticky for the seal, whose verdict can no longer be trusted to it. */
  private unresponsive = false;
  /** The browser's processes, found after launch. */
  private pids: readonly number[] = [];
  private readonly notFound: NotFoundProbe;

  constructor(
    private readonly context: BrowserContext,
    readonly profileDir: string,
    private readonly scripts: Readonly<Record<string, ScriptCheckFn>>,
    private readonly guard: SessionGuard,
    probeNotFound: boolean,
  ) {
    this.notFound = new NotFoundProbe(context, probeNotFound);
    context.on('close', () => {
      if (!this.closing) this.gone = true;
    });
    // Found now, in the background, so a close that hangs can kill them at once (a /proc scan is slow).
    void browserProcesses(profileDir).then((pids) => {
      this.pids = pids;
    });
  }

  refusedRequests(): RefusedRequests {
    return this.guard.tally.snapshot();
  }

  async runCheck(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome> {
    const url = checkUrl(baseUrl, check.path);
    const started = performance.now();
    if (this.gone || this.unresponsive) {
      // The browser already broke under a sibling: nothing this attempt could see would be production's.
      return this.checkerOutcome(url, started, { browserGone: this.gone, unresponsive: this.unresponsive });
    }
    const page = await this.context.newPage();
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
          ? evidence
              .pictures(true, `${check.path} did not finish within ${options.timeoutMs} ms`)
              .then((shots) => {
                screenshotPng = shots.screenshotPng;
                screenshotMissing = shots.screenshotMissing;
              })
          : Promise.resolve();
      void settleWithin(picture, 1_500).finally(() => settleWithin(page.close(), CLOSE_GRACE_MS));
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs + BACKSTOP_GRACE_MS);
    const onDeadline = () => stop('deadline');
    options.signal.addEventListener('abort', onDeadline, { once: true });

    let response: Response | null = null;
    let failure: string | null = null;
    let thrown: unknown = null;
    let rendered = false;
    try {
      if (check.kind === 'page') void this.notFound.start(baseUrl);
      response = await page.goto(url, { timeout: options.timeoutMs, waitUntil: 'load' });
      rendered = true;
      failure =
        (await this.guardVerdict(check, response)) ??
        (check.kind === 'script'
          ? await this.judgeScript(check, page, baseUrl, evidence.pageErrors, left)
          : await judgeDataCheck(check, {
              page,
              response,
              baseUrl,
              pageErrors: evidence.pageErrors,
              activity,
              notFound: this.notFound,
              left,
              timeoutMs: options.timeoutMs,
            }));
      // The page may have sent itself off the app's hosts after it loaded (`location = …`): say where.
      if (check.kind === 'page' && !page.isClosed()) failure = this.offAppHosts(check, page.url()) ?? failure;
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
    if (timedOut && stoppedBy !== 'deadline' && !this.gone && !pageCrashed) {
      if (!(await browserResponsive(this.context))) this.unresponsive = true;
    }
    const health: BrowserHealth = { browserGone: this.gone, pageCrashed, unresponsive: this.unresponsive };
    const checkerFault =
      stoppedBy !== 'deadline' &&
      (failure !== null || stoppedBy === 'timeout') &&
      // When our own backstop closed the page, its "page has been closed" error is ours, not a crash.
      classifyError(stoppedBy === 'timeout' ? null : (thrown ?? failure), health) === 'checker';

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
    const redirectChain = await valueWithin(AttemptEvidence.redirectChain(response), CLOSE_GRACE_MS, []);
    await settleWithin(page.close(), CLOSE_GRACE_MS);
    await Promise.all(popups.map((popup) => settleWithin(popup.close(), CLOSE_GRACE_MS)));

    if (stoppedBy === 'deadline') {
      return outcomeOf('unfinished', CUT_OFF_BY_DEADLINE);
    }
    if (checkerFault) {
      return outcomeOf('unfinished', checkerFaultText(health));
    }
    if (stoppedBy === 'timeout') {
      return outcomeOf('failed', `${check.path} did not finish within ${options.timeoutMs} ms`);
    }
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
        redirectChain,
        failedRequests: evidence.failedRequests,
        pageErrorDetails: evidence.pageErrorDetails,
      };
    }
  }

  private checkerOutcome(url: string, started: number, health: BrowserHealth): AttemptOutcome {
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

  /** What the guard says about where the navigation went: production unreachable, or off the app's hosts. */
  private async guardVerdict(check: Check, response: Response | null): Promise<string | null> {
    const guardError = response ? await response.headerValue(GUARD_ERROR_HEADER).catch(() => null) : null;
    if (guardError && (await response?.headerValue(GUARD_HEADER).catch(() => null)) === 'upstream-error') {
      return `${check.path} ${guardError}`;
    }
    return check.kind === 'script' ? null : this.offAppHosts(check, response?.url() ?? null);
  }

  /** Runs a script check; returns why it failed, or null when it passed. */
  private async judgeScript(
    check: Extract<Check, { kind: 'script' }>,
    page: Page,
    baseUrl: string,
    pageErrors: readonly string[],
    left: () => number,
  ): Promise<string | null> {
    const script = this.scripts[check.script];
    if (!script) return `no script check named "${check.script}" is registered`;
    page.setDefaultTimeout(left());
    try {
      await script(page, { baseUrl });
    } catch (error) {
      return `${check.name}: ${errorText(error)}`;
    }
    return pageErrors[0] ?? null;
  }

  /** Bounded whatever the pages do: a browser that will not close in time is SIGKILLed, then its profile removed. */
  async close(): Promise<void> {
    this.closing = true;
    try {
      const closed = !this.gone && (await settleWithin(this.context.close(), BROWSER_CLOSE_GRACE_MS));
      if (!closed) await killBrowserProcesses(this.profileDir, this.pids);
    } finally {
      await this.guard.proxy?.close().catch(() => undefined);
      await rm(this.profileDir, { recursive: true, force: true });
    }
  }

  /** When a page's navigation ended off the app's hosts: the check fails naming where it went. */
  private offAppHosts(check: Check, finalUrl: string | null): string | null {
    if (!finalUrl || finalUrl === 'about:blank' || this.guard.proxy === null) return null;
    let url: URL;
    try {
      url = new URL(finalUrl);
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (matchesAppHost(url.hostname.replace(/^\[|\]$/g, ''), port, this.guard.appHosts)) return null;
    const shown = finalUrl.length > 200 ? `${finalUrl.slice(0, 199)}…` : finalUrl;
    const refused = this.guard.refusedDestinations.has(finalUrl) ? ' (refused)' : '';
    return `${check.path} was redirected off the app's hosts to ${shown}${refused}`;
  }
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
  if (/Timeout \d+ms exceeded/.test(text)) return `${check.path} did not finish within ${timeoutMs} ms`;
  return `${check.path}: ${text}`;
}
