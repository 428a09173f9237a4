// Launchers for the isolation comparison: the same check logic on two process models and two ways to isolate.
import {
  type Browser,
  type BrowserContext,
  type Page,
  chromium as playwright,
  type Response,
} from 'playwright-core';
import { chromiumArgs } from '../functions/adapters/chromium-browser';
import { landmarkLocator } from '../functions/adapters/landmark-locator';
import { errorText } from '../functions/core/error-text';
import type {
  AttemptOutcome,
  BrowserLauncher,
  BrowserSession,
  RefusedRequests,
  RunCheckOptions,
} from '../functions/core/ports';
import { type Check, expectedStatuses } from '../functions/core/spec';

export const ISOLATION_VARIANTS = [
  'single-pages',
  'single-contexts',
  'multi-pages',
  'multi-contexts',
] as const;
export type IsolationVariant = (typeof ISOLATION_VARIANTS)[number];

export const VARIANT_LABELS: Readonly<Record<IsolationVariant, string>> = {
  'single-pages': '--single-process, pages of one context (what ships)',
  'single-contexts': '--single-process, a context per check',
  'multi-pages': 'multi-process, pages of one context',
  'multi-contexts': 'multi-process, a context per check (full isolation)',
};

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A bench copy of the adapter's check (navigate, status, landmark, title, screenshot) behind the
 * same read-only guard, so the four variants differ only in process model and isolation.
 */
export class IsolationLauncher implements BrowserLauncher {
  constructor(
    private readonly variant: IsolationVariant,
    private readonly executablePath: string,
  ) {}

  async launch(): Promise<BrowserSession> {
    const single = this.variant.startsWith('single');
    const args = chromiumArgs().filter((flag) => single || flag !== '--single-process');
    const browser = await playwright.launch({ executablePath: this.executablePath, args, headless: true });
    const session = new IsolationSession(browser, this.variant.endsWith('contexts'));
    await session.open();
    return session;
  }
}

class IsolationSession implements BrowserSession {
  private shared: BrowserContext | null = null;
  private refused = 0;

  constructor(
    private readonly browser: Browser,
    private readonly contextPerCheck: boolean,
  ) {}

  async open(): Promise<void> {
    if (!this.contextPerCheck) this.shared = await this.guardedContext();
  }

  private async guardedContext(): Promise<BrowserContext> {
    const context = await this.browser.newContext({
      serviceWorkers: 'block',
      viewport: { width: 1280, height: 800 },
      acceptDownloads: false,
    });
    await context.route('**/*', (route) => {
      if (ALLOWED_METHODS.has(route.request().method())) return route.fallback();
      this.refused++;
      return route.abort('blockedbyclient');
    });
    await context.routeWebSocket(/.*/, (socket) => {
      this.refused++;
      socket.close({ code: 1008, reason: 'blocked' });
    });
    return context;
  }

  async runCheck(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome> {
    const url = new URL(check.path, baseUrl).toString();
    const started = performance.now();
    const context = this.shared ?? (await this.guardedContext());
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`uncaught ${error.name}: ${errorText(error)}`));
    let response: Response | null = null;
    let failure: string | null = null;
    let screenshotPng: Uint8Array | null = null;
    try {
      response = await page.goto(url, { timeout: options.timeoutMs, waitUntil: 'load' });
      failure = await judge(check, page, response, pageErrors, options.timeoutMs);
      screenshotPng = await page.screenshot({
        type: 'png',
        timeout: 3_000,
        animations: 'disabled',
        caret: 'hide',
      });
    } catch (error) {
      failure = `${check.path}: ${errorText(error)}`;
    } finally {
      await page.close().catch(() => undefined);
      if (!this.shared) await context.close().catch(() => undefined);
    }
    return {
      outcome: failure === null ? 'passed' : 'failed',
      url,
      finalUrl: response?.url() ?? null,
      httpStatus: response?.status() ?? null,
      durationMs: performance.now() - started,
      error: failure,
      pageErrors,
      consoleErrors: [],
      screenshotPng,
    };
  }

  refusedRequests(): RefusedRequests {
    return { count: this.refused, requests: [] };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

async function judge(
  check: Check,
  page: Page,
  response: Response | null,
  pageErrors: readonly string[],
  timeoutMs: number,
): Promise<string | null> {
  const status = response?.status() ?? null;
  if (check.kind === 'status') {
    return status !== null && expectedStatuses(check).includes(status)
      ? null
      : `${check.path} answered ${status}`;
  }
  if (check.kind === 'script') return 'script checks are not part of the bench';
  if (status === null || status < 200 || status > 299) return `${check.path} answered ${status}`;
  const landmark = landmarkLocator(page, check.landmark);
  await landmark.first().waitFor({ state: 'visible', timeout: timeoutMs });
  if (check.requireTitle && (await page.title()).trim() === '') return 'the page has an empty title';
  return pageErrors[0] ?? null;
}
