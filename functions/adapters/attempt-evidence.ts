// What one attempt saw, bounded where it enters: page errors with stacks, failed requests, redirects, pictures.
import type { Page, Response } from 'playwright-core';
import { boundText } from '../core/bound-text';
import { errorText } from '../core/error-text';
import type { FailedRequest, PageErrorDetail, RedirectHop } from '../core/seal';

const MAX_PAGE_ERRORS = 10;
const MAX_CONSOLE_ERRORS = 20;
const MAX_FAILED_REQUESTS = 20;
const MAX_REDIRECTS = 10;
const MAX_URL_CHARS = 300;
const MAX_STACK_CHARS = 2_000;
const MAX_TEXT_CHARS = 500;
/** A picture must not hold up the verdict for long. */
const SCREENSHOT_TIMEOUT_MS = 5_000;

export interface AttemptPictures {
  readonly screenshotPng: Uint8Array | null;
  readonly fullPagePng: Uint8Array | null;
  /** Why there is no picture, when nothing rendered. */
  readonly screenshotMissing: string | null;
}

export class AttemptEvidence {
  readonly pageErrors: string[] = [];
  readonly pageErrorDetails: PageErrorDetail[] = [];
  readonly consoleErrors: string[] = [];
  readonly failedRequests: FailedRequest[] = [];
  /** Exact counts: only the first few are kept, and a huge text is never read past the cap. */
  private pageErrorCount = 0;
  private consoleErrorCount = 0;

  constructor(private readonly page: Page) {
    page.on('pageerror', (error) => {
      this.pageErrorCount++;
      if (this.pageErrors.length >= MAX_PAGE_ERRORS) return;
      const message = boundText(`uncaught ${error.name}: ${errorText(error)}`, MAX_TEXT_CHARS);
      this.pageErrors.push(message);
      this.pageErrorDetails.push({
        message,
        stack: error.stack ? boundText(error.stack, MAX_STACK_CHARS) : null,
      });
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // Chromium's "Failed to load resource" names no URL; failedRequests says which one, with its method.
      if (text.startsWith('Failed to load resource')) return;
      this.consoleErrorCount++;
      if (this.consoleErrors.length >= MAX_CONSOLE_ERRORS) return;
      this.consoleErrors.push(boundText(text, MAX_TEXT_CHARS));
    });
    page.on('response', (response) => {
      const status = response.status();
      if (status < 400 || this.isMainDocument(response)) return;
      this.addFailed({ method: response.request().method(), url: response.url(), status, failure: null });
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // The read-only guard's refusals are listed, grouped, in the seal's refused requests.
      if (failure.includes('ERR_BLOCKED_BY_CLIENT')) return;
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) return;
      this.addFailed({ method: request.method(), url: request.url(), status: null, failure });
    });
  }

  /** A line of the checker's own (a screenshot that failed), kept with the console errors. */
  note(text: string): void {
    this.consoleErrorCount++;
    this.consoleErrors.push(boundText(text, MAX_TEXT_CHARS));
  }

  /** The kept page errors, plus one line saying how many were left out. */
  pageErrorList(): string[] {
    return withRest(this.pageErrors, this.pageErrorCount, 'page errors');
  }

  /** The kept console errors, plus one line saying how many were left out. */
  consoleErrorList(): string[] {
    return withRest(this.consoleErrors, this.consoleErrorCount, 'console errors');
  }

  /** The check's own document: its status is the check's httpStatus, not a failed subresource. */
  private isMainDocument(response: Response): boolean {
    const request = response.request();
    return request.isNavigationRequest() && request.frame() === this.page.mainFrame();
  }

  private addFailed(entry: FailedRequest): void {
    if (this.failedRequests.length >= MAX_FAILED_REQUESTS) return;
    this.failedRequests.push({ ...entry, url: boundText(entry.url, MAX_URL_CHARS) });
  }

  /** The first response of the navigation (before any redirect was followed) and its Location. */
  static async firstResponse(
    response: Response | null,
  ): Promise<{ status: number | null; location: string | null }> {
    if (!response) return { status: null, location: null };
    let request = response.request();
    while (request.redirectedFrom()) request = request.redirectedFrom()!;
    const first = request === response.request() ? response : await request.response();
    if (!first) return { status: null, location: null };
    const location = await first.headerValue('location').catch(() => null);
    return {
      status: first.status(),
      location: location ? safeResolve(location, first.url()) : null,
    };
  }

  /** Every response of the navigation, first to last. */
  static async redirectChain(response: Response | null): Promise<RedirectHop[]> {
    if (!response) return [];
    const requests = [];
    for (let request = response.request(); request; request = request.redirectedFrom()!) {
      requests.unshift(request);
      if (!request.redirectedFrom()) break;
    }
    const hops: RedirectHop[] = [];
    for (const request of requests.slice(-MAX_REDIRECTS)) {
      const answer = request === response.request() ? response : await request.response();
      hops.push({ url: boundText(request.url(), MAX_URL_CHARS), status: answer?.status() ?? 0 });
    }
    return hops;
  }

  /**
   * The pictures of an attempt: the viewport, and the full page when it failed. None when nothing
   * rendered (Chromium's error page or a blank page): a white image tells the person on call nothing.
   */
  async pictures(failed: boolean, failure: string | null): Promise<AttemptPictures> {
    if (this.page.isClosed()) return { screenshotPng: null, fullPagePng: null, screenshotMissing: null };
    const where = this.page.url();
    if (where === 'about:blank' || where.startsWith('chrome-error://')) {
      return {
        screenshotPng: null,
        fullPagePng: null,
        screenshotMissing: `nothing rendered${failure ? `: ${boundText(failure, MAX_TEXT_CHARS)}` : ''}`,
      };
    }
    const options = {
      type: 'png',
      timeout: SCREENSHOT_TIMEOUT_MS,
      animations: 'disabled',
      caret: 'hide',
    } as const;
    const screenshotPng = await this.page.screenshot(options);
    // A page no taller than the viewport is all in the first picture: no second capture.
    const taller =
      failed &&
      (await this.page
        .evaluate('document.documentElement.scrollHeight > window.innerHeight + 1')
        .catch(() => false)) === true;
    const fullPagePng = taller
      ? await this.page.screenshot({ ...options, fullPage: true }).catch(() => null)
      : null;
    return { screenshotPng, fullPagePng, screenshotMissing: null };
  }
}

function withRest(kept: readonly string[], total: number, noun: string): string[] {
  const left = total - kept.length;
  return left > 0 ? [...kept, `… and ${left} more ${noun} (${total} in all)`] : [...kept];
}

function safeResolve(location: string, base: string): string | null {
  try {
    return new URL(location, base).toString();
  } catch {
    return null;
  }
}
