// Once per seal: what the app answers for a path that cannot exist, so a page check can tell it apart.
import { randomBytes } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { checkUrl } from '../core/check-url';
import type { PagePrint } from '../core/not-found-fingerprint';
import { PageActivity } from './page-activity';
import { readPagePrint } from './page-print';
import { waitUntilSettled } from './wait-for-landmark';

/** The probe's own budget: it runs beside the checks and never holds one longer than this. */
export const PROBE_TIMEOUT_MS = 8_000;
/**
 * Shorter than a check's settle period: every passing page check waits for the probe, so it sits on
 * the seal's critical path. A single-page app draws its not-found page from its own script within it.
 */
export const PROBE_QUIET_MS = 250;

export interface NotFoundPrint {
  readonly print: PagePrint;
  /** The path the probe asked for, removed from texts before comparing. */
  readonly path: string;
}

/**
 * Loads `/smoke-seal-not-found-<random>` once, on a page behind the same read-only guard, the first
 * time a page check asks. Any failure (a timeout, a crash, a refused connection) gives null: the probe
 * never makes a seal red by itself, it only lets a page check recognise the not-found page.
 */
export class NotFoundProbe {
  private readonly prints = new Map<string, Promise<NotFoundPrint | null>>();

  constructor(
    private readonly context: BrowserContext,
    private readonly enabled = true,
  ) {}

  /**
   * Starts the probe if it has not started: called as a page check begins, so the probe loads beside
   * the checks rather than after the first one.
   */
  start(baseUrl: string): Promise<NotFoundPrint | null> {
    let print = this.prints.get(baseUrl);
    if (!print) {
      print = this.enabled ? this.probe(baseUrl).catch(() => null) : Promise.resolve(null);
      this.prints.set(baseUrl, print);
    }
    return print;
  }

  /** The not-found page of the app at `baseUrl`, waiting at most `waitMs` for it. */
  async forBase(baseUrl: string, waitMs: number): Promise<NotFoundPrint | null> {
    if (!this.enabled) return null;
    const print = this.start(baseUrl);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<null>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, waitMs), null);
    });
    try {
      return await Promise.race([print, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async probe(baseUrl: string): Promise<NotFoundPrint | null> {
    const path = `/smoke-seal-not-found-${randomBytes(6).toString('hex')}`;
    const page = await this.context.newPage();
    const budgetEnds = performance.now() + PROBE_TIMEOUT_MS;
    const left = () => Math.max(1, Math.round(budgetEnds - performance.now()));
    const timer = setTimeout(() => void page.close().catch(() => undefined), PROBE_TIMEOUT_MS + 1_000);
    try {
      const activity = new PageActivity(page);
      const response = await page.goto(checkUrl(baseUrl, path), { timeout: left(), waitUntil: 'load' });
      const status = response?.status() ?? null;
      if (status === null || status < 200 || status > 299) return { path, print: emptyPrint(status) };
      await waitUntilSettled(page, activity, left, PROBE_QUIET_MS);
      // An app that sends unknown paths elsewhere (a redirect to the home page, client-side or not)
      // has shown no not-found page: what the probe sees is a real page, never to be failed.
      if (!new URL(page.url()).pathname.endsWith(path)) return { path, print: emptyPrint(null) };
      return { path, print: await readPagePrint(page, status) };
    } finally {
      clearTimeout(timer);
      await page.close().catch(() => undefined);
    }
  }
}

function emptyPrint(status: number | null): PagePrint {
  return { status, title: '', heading: '', text: '' };
}
