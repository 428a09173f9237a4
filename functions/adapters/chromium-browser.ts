// BrowserLauncher on headless Chromium from @sparticuz/chromium, driven by playwright-core.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import {
  type BrowserContext,
  type Page,
  chromium as playwright,
  type Response,
  type Route,
} from 'playwright-core';
import { boundText, MAX_URL_CHARS } from '../core/bound-text';
import { BoundedTextList } from '../core/bounded-text-list';
import {
  type BrowserHealth,
  CUT_OFF_BY_DEADLINE,
  checkerFaultText,
  classifyError,
} from '../core/checker-fault';
import { errorText } from '../core/error-text';
import type {
  AttemptOutcome,
  BrowserLauncher,
  BrowserSession,
  BrowserTarget,
  RefusedRequests,
  RunCheckOptions,
} from '../core/ports';
import type { RefusedRequest } from '../core/seal';
import { settleWithin } from '../core/settle-within';
import type { Check, Landmark } from '../core/spec';
import { browserProcesses } from './browser-processes';
import { browserResponsive } from './browser-responsive';
import { killBrowserProcesses } from './kill-browser-processes';
import { settledTitle } from './settled-title';

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

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How many refused URLs a seal lists; the count stays exact. */
const MAX_REFUSED_LISTED = 50;
/** How long past its budget an attempt may take before its page is closed under it. */
const BACKSTOP_GRACE_MS = 2_000;
/** A failure that is a wait running out (Playwright's timeout, a landmark that never showed). */
const TIMEOUT_TEXT = /Timeout \d+ms exceeded|did not finish within \d+ ms|^landmark .* not visible$/m;
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
    void target; // the rebuilt guard (issue 10) confines the browser to it
    const executablePath = this.options.executablePath ?? (await sparticuz.executablePath());
    // A fresh profile per seal, removed on close: a warm Lambda must not fill /tmp.
    const userDataDir = await mkdtemp(join(this.options.profileRoot ?? tmpdir(), 'smoke-seal-profile-'));
    try {
      // With the library's --single-process flag one context is what Chromium offers; checks run as
      // pages of it (docs/architecture.md has the measurements behind this choice).
      const context = await playwright.launchPersistentContext(userDataDir, {
        executablePath,
        args: chromiumArgs(this.options.extraArgs),
        headless: true,
        serviceWorkers: 'block',
        viewport: this.options.viewport ?? { width: 1280, height: 800 },
        acceptDownloads: false,
        ignoreHTTPSErrors: false,
      });
      const session = new ChromiumSession(context, userDataDir, this.options.scripts ?? {});
      await session.installGuard();
      return session;
    } catch (error) {
      await rm(userDataDir, { recursive: true, force: true });
      throw error;
    }
  }
}

class ChromiumSession implements BrowserSession {
  private readonly refused: RefusedRequest[] = [];
  private refusedCount = 0;
  /** The seal is closing the browser itself: a close from now on is not a crash. */
  private closing = false;
  /** The browser (or its context) went away under the seal. */
  private gone = false;
  /** The browser stopped answering: sticky for the seal, whose verdict can no longer be trusted to it. */
  private unresponsive = false;
  /** The browser's processes, found after launch. */
  private pids: readonly number[] = [];

  constructor(
    private readonly context: BrowserContext,
    readonly profileDir: string,
    private readonly scripts: Readonly<Record<string, ScriptCheckFn>>,
  ) {
    context.on('close', () => {
      if (!this.closing) this.gone = true;
    });
    // Found now, in the background, so a close that hangs can kill them at once (a /proc scan is slow).
    void browserProcesses(profileDir).then((pids) => {
      this.pids = pids;
    });
  }

  /** The read-only guard: at the context level, so every page and frame of the seal is covered. */
  async installGuard(): Promise<void> {
    await this.context.route('**/*', (route: Route) => {
      const request = route.request();
      const method = request.method();
      if (ALLOWED_METHODS.has(method)) return route.fallback();
      this.refuse({ method, url: request.url(), reason: 'mutating request blocked by the read-only guard' });
      return route.abort('blockedbyclient');
    });
    await this.context.routeWebSocket(/.*/, (socket) => {
      this.refuse({
        method: 'WEBSOCKET',
        url: socket.url(),
        reason: 'WebSocket blocked by the read-only guard',
      });
      // Never connected to the server: close the page's end.
      socket.close({ code: 1008, reason: 'blocked by smoke-seal read-only guard' });
    });
  }

  private refuse(request: RefusedRequest): void {
    this.refusedCount++;
    if (this.refused.length < MAX_REFUSED_LISTED) this.refused.push(request);
  }

  refusedRequests(): RefusedRequests {
    return { count: this.refusedCount, requests: [...this.refused] };
  }

  async runCheck(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome> {
    const url = new URL(check.path, baseUrl).toString();
    const started = performance.now();
    // Bounded where they enter: a page that throws or logs without end cannot grow the seal or the heap.
    const pageErrorLog = new BoundedTextList();
    const consoleLog = new BoundedTextList();
    if (this.gone || this.unresponsive) {
      // The browser already broke under a sibling: nothing this attempt could see would be production's.
      return this.checkerOutcome(url, started, { browserGone: this.gone, unresponsive: this.unresponsive });
    }
    const page = await this.context.newPage();
    let pageCrashed = false;
    page.on('crash', () => {
      pageCrashed = true;
    });
    page.on('pageerror', (error) => pageErrorLog.add(() => `uncaught ${error.name}: ${errorText(error)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleLog.add(() => message.text());
    });
    const pageErrors = pageErrorLog;

    // Playwright's own timeouts keep the page open so the failure can be photographed; the timer is
    // the backstop for a wedged page, and the seal's deadline closes the page at once.
    const budgetEnds = performance.now() + options.timeoutMs;
    const left = () => Math.max(1, Math.round(budgetEnds - performance.now()));
    let stoppedBy: 'timeout' | 'deadline' | null = null;
    const stop = (why: 'timeout' | 'deadline') => {
      stoppedBy ??= why;
      void page.close().catch(() => undefined);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs + BACKSTOP_GRACE_MS);
    const onDeadline = () => stop('deadline');
    options.signal.addEventListener('abort', onDeadline, { once: true });

    let response: Response | null = null;
    let failure: string | null = null;
    let thrown: unknown = null;
    let rendered = false;
    try {
      response = await page.goto(url, { timeout: options.timeoutMs, waitUntil: 'load' });
      rendered = true;
      failure = await this.judge(check, page, response, baseUrl, pageErrors, left);
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
    let screenshotPng: Uint8Array | null = null;
    if (!stoppedBy && !checkerFault && !page.isClosed()) {
      try {
        screenshotPng = await screenshot(page, rendered);
      } catch (error) {
        consoleLog.add(`smoke-seal: ${errorText(error)}`);
      }
    }
    await settleWithin(page.close(), CLOSE_GRACE_MS);

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
      return {
        outcome,
        url,
        finalUrl: finalUrl === 'about:blank' || finalUrl === null ? null : boundText(finalUrl, MAX_URL_CHARS),
        httpStatus: response?.status() ?? null,
        durationMs: performance.now() - started,
        error: error === null ? null : boundText(error),
        pageErrors: pageErrorLog.list('page errors'),
        consoleErrors: consoleLog.list('console errors'),
        screenshotPng,
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

  /** Returns why the check failed, or null when it passed. */
  private async judge(
    check: Check,
    page: Page,
    response: Response | null,
    baseUrl: string,
    pageErrors: BoundedTextList,
    left: () => number,
  ): Promise<string | null> {
    const status = response?.status() ?? null;
    if (check.kind === 'status') {
      if (status === check.status) return null;
      const exposed =
        check.status === 404 && status !== null && status < 400 ? ' (admin surface exposed)' : '';
      return `${check.path} answered ${status ?? 'nothing'}, expected ${check.status}${exposed}`;
    }
    if (check.kind === 'script') {
      const script = this.scripts[check.script];
      if (!script) return `no script check named "${check.script}" is registered`;
      page.setDefaultTimeout(left());
      try {
        await script(page, { baseUrl });
      } catch (error) {
        return `${check.name}: ${errorText(error)}`;
      }
      return pageErrors.first ?? null;
    }
    if (status === null || status < 200 || status > 299) {
      return `${check.path} answered ${status ?? 'nothing'}`;
    }
    if (pageErrors.first !== undefined) return pageErrors.first;
    const landmark = landmarkLocator(page, check.landmark);
    try {
      await landmark.first().waitFor({ state: 'visible', timeout: left() });
    } catch {
      return `landmark ${describeLandmark(check.landmark)} not visible`;
    }
    if (check.requireTitle && (await settledTitle(page, left())).trim() === '')
      return 'the page has an empty title';
    // An exception thrown while we looked for the landmark counts too.
    return pageErrors.first ?? null;
  }

  /** Bounded whatever the pages do: a browser that will not close in time is SIGKILLed, then its profile removed. */
  async close(): Promise<void> {
    this.closing = true;
    try {
      const closed = !this.gone && (await settleWithin(this.context.close(), BROWSER_CLOSE_GRACE_MS));
      if (!closed) await killBrowserProcesses(this.profileDir, this.pids);
    } finally {
      await rm(this.profileDir, { recursive: true, force: true });
    }
  }
}

function landmarkLocator(page: Page, landmark: Landmark) {
  if ('selector' in landmark) return page.locator(landmark.selector);
  return page.getByRole(landmark.role, landmark.name ? { name: landmark.name } : {});
}

export function describeLandmark(landmark: Landmark): string {
  if ('selector' in landmark) return `"${landmark.selector}"`;
  return landmark.name ? `${landmark.role} "${landmark.name}"` : landmark.role;
}

async function screenshot(page: Page, rendered: boolean): Promise<Uint8Array | null> {
  try {
    return await page.screenshot({ type: 'png', timeout: 3_000, animations: 'disabled', caret: 'hide' });
  } catch (error) {
    // A page that never rendered may have nothing to show; a rendered page that cannot be captured is worth a note.
    if (rendered) throw new Error(`screenshot failed: ${errorText(error)}`, { cause: error });
    return null;
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
