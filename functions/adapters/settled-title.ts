// Reads a page's title from a settled document: a page that navigates itself is read after its next load, not mid-swap.
import type { Page } from 'playwright-core';
import { boundText } from '../core/bound-text';

/** How often an empty or vanished title is read again before it counts. */
const TITLE_READS = 4;
const BETWEEN_READS_MS = 150;

/**
 * The page's title, bounded. A document being replaced (the page navigates itself) has no title yet
 * and its evaluation throws "Execution context was destroyed": both are read again after the next
 * load, a few times, so a restless page is judged on a settled document.
 */
export async function settledTitle(page: Page, timeoutMs: number): Promise<string> {
  let title = '';
  for (let read = 0; read < TITLE_READS; read++) {
    try {
      await page.waitForLoadState('load', { timeout: Math.max(1, timeoutMs) });
      title = await page.title();
      if (title.trim() !== '') return boundText(title);
    } catch (error) {
      if (!/Execution context was destroyed|navigation|frame was detached/i.test(String(error))) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, BETWEEN_READS_MS));
  }
  return boundText(title);
}
