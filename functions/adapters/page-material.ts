// What a page check leaves for the comparison with the last green seal: its ARIA snapshot and its timings.
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { MAX_ARIA_SNAPSHOT_CHARS, type PageMaterial, type PageTimings } from '../core/baseline';

/** Both reads together never hold an attempt longer than this. */
const MATERIAL_TIMEOUT_MS = 2_000;

// Run in the page: numbers only come back, and a page that overrides these APIs only spoils its own timings.
const TIMINGS_SCRIPT = `(async () => {
  const observed = (type) => new Promise((resolve) => {
    let observer;
    const entries = [];
    try {
      observer = new PerformanceObserver((list) => { entries.push(...list.getEntries()); });
      observer.observe({ type, buffered: true });
    } catch { resolve([]); return; }
    setTimeout(() => { entries.push(...observer.takeRecords()); observer.disconnect(); resolve(entries); }, 30);
  });
  const [paints, shifts] = await Promise.all([observed('largest-contentful-paint'), observed('layout-shift')]);
  const nav = performance.getEntriesByType('navigation')[0];
  const lcp = paints.length > 0 ? paints[paints.length - 1].startTime : null;
  let cls = 0;
  for (const shift of shifts) if (!shift.hadRecentInput) cls += shift.value;
  return {
    ttfbMs: nav ? nav.responseStart : null,
    domContentLoadedMs: nav && nav.domContentLoadedEventEnd > 0 ? nav.domContentLoadedEventEnd : null,
    loadMs: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
    lcpMs: lcp,
    cls: shifts.length > 0 || paints.length > 0 ? cls : null,
  };
})()`;

const number = z
  .number()
  .finite()
  .nonnegative()
  .nullable()
  .catch(null)
  .transform((value) => (value === null ? null : Math.round(value * 1000) / 1000));
const TimingsFromPage = z.object({
  ttfbMs: number,
  domContentLoadedMs: number,
  loadMs: number,
  lcpMs: number,
  cls: number,
});

/** Never throws: what cannot be read in time is null, and the check's verdict never waits on it for long. */
export async function readPageMaterial(page: Page): Promise<PageMaterial> {
  const [ariaSnapshot, timings] = await Promise.all([ariaOf(page), timingsOf(page)]);
  return { ariaSnapshot, timings };
}

async function ariaOf(page: Page): Promise<string | null> {
  try {
    const snapshot = await page.locator('body').ariaSnapshot({ timeout: MATERIAL_TIMEOUT_MS });
    return snapshot.slice(0, MAX_ARIA_SNAPSHOT_CHARS);
  } catch {
    return null;
  }
}

async function timingsOf(page: Page): Promise<PageTimings | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const raw = await Promise.race([
      page.evaluate(TIMINGS_SCRIPT),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), MATERIAL_TIMEOUT_MS);
      }),
    ]);
    const parsed = TimingsFromPage.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
