// Watches one page's network so a check can tell a settled page from one still loading.
import type { Page, Request } from 'playwright-core';

/** A request in flight this long is a long poll or a stream, not loading: it does not keep a page busy. */
const LONG_HELD_MS = 3_000;

export class PageActivity {
  private readonly inFlight = new Map<Request, number>();
  private lastChange = performance.now();

  constructor(page: Page) {
    page.on('request', (request) => {
      this.inFlight.set(request, performance.now());
      this.lastChange = performance.now();
    });
    const done = (request: Request) => {
      this.inFlight.delete(request);
      this.lastChange = performance.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  }

  /** True when no request started or ended for `quietMs`, long-held ones aside. */
  networkQuietFor(quietMs: number): boolean {
    const now = performance.now();
    if (now - this.lastChange < quietMs) return false;
    for (const started of this.inFlight.values()) if (now - started < LONG_HELD_MS) return false;
    return true;
  }
}
