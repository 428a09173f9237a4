// The time-to-red rule for a missing landmark (docs/spec.md, "When a missing landmark fails").
import type { Locator, Page } from 'playwright-core';
import type { PageActivity } from './page-activity';

/** No DOM mutation and no network activity for this long: the page has settled. */
export const SETTLE_QUIET_MS = 500;
/** After the page settled without the landmark, how long it still has to appear. */
export const SETTLED_GRACE_MS = 1_000;

export type LandmarkWait = 'visible' | 'settled-without' | 'timeout';

/**
 * Waits for the landmark to be visible. Fails early when the page has settled (loaded, then quiet
 * for SETTLE_QUIET_MS) and the landmark still is not there after SETTLED_GRACE_MS; a page that keeps
 * changing gets the whole budget (`left()`).
 */
export async function waitForLandmark(
  page: Page,
  landmark: Locator,
  activity: PageActivity,
  left: () => number,
): Promise<LandmarkWait> {
  // Any visible match passes: a page may hold a hidden copy first (a collapsed mobile menu's list).
  const anyVisible = landmark.filter({ visible: true }).first();
  const visible = anyVisible.waitFor({ state: 'visible', timeout: left() }).then(
    () => 'visible' as const,
    () => 'timeout' as const,
  );
  const settled = waitUntilSettled(page, activity, left).then(async (quiet) => {
    if (!quiet) return visible;
    await new Promise((resolve) => setTimeout(resolve, Math.min(SETTLED_GRACE_MS, left())));
    return 'settled' as const;
  });
  const first = await Promise.race([visible, settled]);
  if (first !== 'settled') return first;
  const now = await anyVisible.isVisible().catch(() => false);
  return now ? 'visible' : 'settled-without';
}

/** True once the page is quiet; false when the budget ran out first or the page went away. */
export async function waitUntilSettled(
  page: Page,
  activity: PageActivity,
  left: () => number,
  quietMs = SETTLE_QUIET_MS,
): Promise<boolean> {
  while (left() > quietMs) {
    const domQuiet = await page
      .evaluate(`(${domQuietFor})(${JSON.stringify({ quietMs, maxMs: Math.min(3_000, left()) })})`)
      .catch(() => null);
    if (typeof domQuiet !== 'boolean') return false;
    if (domQuiet && activity.networkQuietFor(quietMs)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Runs in the page: resolves true after `quietMs` without a DOM mutation, false after `maxMs`.
 * A string, so no bundler helper (esbuild's __name) leaks into the page.
 */
const domQuietFor = `({ quietMs, maxMs }) => new Promise((resolve) => {
  let quiet;
  const observer = new MutationObserver(() => {
    clearTimeout(quiet);
    quiet = setTimeout(finish, quietMs, true);
  });
  const limit = setTimeout(finish, maxMs, false);
  function finish(result) {
    observer.disconnect();
    clearTimeout(quiet);
    clearTimeout(limit);
    resolve(result);
  }
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  quiet = setTimeout(finish, quietMs, true);
})`;
