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
import { checkUrl } from '../core/check-url';
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
import type { Check } from '../core/spec';
import { AttemptEvidence } from './attempt-evidence';
import { judgeDataCheck } from './data-check';
import { NotFoundProbe } from './not-found-probe';
import { PageActivity } from './page-activity';

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
    const userDataDir = await mkdtemp(join(tmpdir(), 'smoke-seal-profile-'));
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
      const session = new ChromiumSession(
        context,
        userDataDir,
        this.options.scripts ?? {},
        this.options.notFoundProbe ?? true,
      );
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
  private readonly notFound: NotFoundProbe;

  constructor(
    private readonly context: BrowserContext,
    private readonly userDataDir: string,
    private readonly scripts: Readonly<Record<string, ScriptCheckFn>>,
    probeNotFound: boolean,
  ) {
    this.notFound = new NotFoundProbe(context, probeNotFound);
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
    const url = checkUrl(baseUrl, check.path);
    const started = performance.now();
    const page = await this.context.newPage();
    const evidence = new AttemptEvidence(page);
    const activity = new PageActivity(page);
    const { pageErrors, consoleErrors } = evidence;

    // Playwright's own timeouts keep the page open so the failure can be photographed; the timer is
    // the backstop for a wedged page, and the seal's deadline closes the page at once.
    const budgetEnds = performance.now() + options.timeoutMs;
    const left = () => Math.max(1, Math.round(budgetEnds - performance.now()));
    let stoppedBy: 'timeout' | 'deadline' | null = null;
    let screenshotPng: Uint8Array | null = null;
    let screenshotMissing: string | null = null;
    const stop = (why: 'timeout' | 'deadline') => {
      stoppedBy ??= why;
      // A wedged page is photographed (briefly) before it is closed; the deadline closes at once.
      const picture: Promise<unknown> =
        why === 'timeout'
          ? evidence
              .pictures(true, `${check.path} did not finish within ${options.timeoutMs} ms`)
              .then((shots) => {
                screenshotPng = shots.screenshotPng;
                screenshotMissing = shots.screenshotMissing;
              })
          : Promise.resolve();
      void Promise.race([picture, new Promise((resolve) => setTimeout(resolve, 1_500))])
        .catch(() => undefined)
        .finally(() => page.close().catch(() => undefined));
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs + BACKSTOP_GRACE_MS);
    const onDeadline = () => stop('deadline');
    options.signal.addEventListener('abort', onDeadline, { once: true });

    let response: Response | null = null;
    let failure: string | null = null;
    let rendered = false;
    try {
      if (check.kind === 'page') void this.notFound.start(baseUrl);
      response = await page.goto(url, { timeout: options.timeoutMs, waitUntil: 'load' });
      rendered = true;
      failure =
        check.kind === 'script'
          ? await this.judge(check, page, baseUrl, pageErrors, left)
          : await judgeDataCheck(check, {
              page,
              response,
              baseUrl,
              pageErrors,
              activity,
              notFound: this.notFound,
              left,
              timeoutMs: options.timeoutMs,
            });
    } catch (error) {
      failure = describeNavigationError(error, check, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onDeadline);
    }

    const finalUrl = page.isClosed() ? (response?.url() ?? null) : page.url();
    let fullPagePng: Uint8Array | null = null;
    if (!stoppedBy && !page.isClosed()) {
      try {
        const shots = await evidence.pictures(failure !== null, failure);
        ({ screenshotPng, fullPagePng, screenshotMissing } = shots);
      } catch (error) {
        // A page that never rendered may have nothing to show; a rendered page that cannot be captured is worth a note.
        if (rendered) consoleErrors.push(`smoke-seal: screenshot failed: ${errorText(error)}`);
      }
    }
    const redirectChain = await AttemptEvidence.redirectChain(response).catch(() => []);
    await page.close().catch(() => undefined);

    if (stoppedBy === 'deadline') {
      return outcomeOf('unfinished', 'cut off by the seal deadline');
    }
    if (stoppedBy === 'timeout') {
      return outcomeOf('failed', `${check.path} did not finish within ${options.timeoutMs} ms`);
    }
    return outcomeOf(failure === null ? 'passed' : 'failed', failure);

    function outcomeOf(outcome: AttemptOutcome['outcome'], error: string | null): AttemptOutcome {
      return {
        outcome,
        url,
        finalUrl: finalUrl === 'about:blank' ? null : finalUrl,
        httpStatus: response?.status() ?? null,
        durationMs: performance.now() - started,
        error,
        pageErrors,
        consoleErrors,
        screenshotPng,
        fullPagePng,
        screenshotMissing,
        redirectChain,
        failedRequests: evidence.failedRequests,
        pageErrorDetails: evidence.pageErrorDetails,
      };
    }
  }

  /** Runs a script check; returns why it failed, or null when it passed. */
  private async judge(
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

  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      await rm(this.userDataDir, { recursive: true, force: true });
    }
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
