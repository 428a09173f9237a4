// Asks the browser for a trivial evaluation on a fresh blank page: a browser that cannot answer is wedged, not production slow.
import type { BrowserContext, Page } from 'playwright-core';
import { settleWithin } from '../core/settle-within';

/**
 * True when a new blank page of `context` evaluates `1` within `ms`. A fresh page, not the check's:
 * the check's page may be mid-navigation or on an error page, where an evaluation waits or throws
 * for reasons that say nothing about the browser.
 */
export async function browserResponsive(context: BrowserContext, ms = 5_000): Promise<boolean> {
  let answered = false;
  let probe: Page | null = null;
  const work = (async () => {
    probe = await context.newPage();
    await probe.evaluate(() => 1);
    answered = true;
  })();
  await settleWithin(work, ms);
  const opened = probe as Page | null;
  if (opened) void settleWithin(opened.close(), ms);
  else void work.then(() => (probe as Page | null)?.close().catch(() => undefined)).catch(() => undefined);
  return answered;
}
