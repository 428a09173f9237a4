// Asks, in each Playwright worker, whether a failed test's page and browser still answer: a wedged page is production's, a silent browser the checker's.

/** How long a page may take to evaluate `1` before it counts as stopped (its main thread busy). */
export const PAGE_PROBE_MS = 3_000;
/** How long the browser process may take to answer CDP's `SystemInfo.getProcessInfo` before it counts as silent. */
export const BROWSER_PROBE_MS = 5_000;
/** A silent page's renderers are looked at this many times, this far apart (Linux /proc). */
export const RENDERER_SAMPLES = 5;
export const RENDERER_SAMPLE_MS = 200;
/** The words a red test's message starts with when its page stopped answering while the browser did. */
export const PAGE_STOPPED_RESPONDING = 'page stopped responding';

/** One probe, a JSON line of the probe file: the worker and the moment (the seal matches them to a test's attempt). */
export interface ProbeLine {
  readonly worker: number;
  readonly at: number;
  /** Some page of the closing context did not evaluate `1` within PAGE_PROBE_MS. */
  readonly pageSilent: boolean;
  /**
   * Asked only when a page was silent: did the browser process answer over CDP within BROWSER_PROBE_MS
   * (`silent` too when one of its renderers was stopped).
   */
  readonly browser: 'answered' | 'silent' | 'not asked';
  /** A renderer of the browser stayed runnable through every sample but one: a main thread that never yields. */
  readonly busy: boolean;
  /** The silent page's address (bounded). */
  readonly url: string | null;
}

/**
 * CommonJS source of the probe, written next to the overlay config and installed by it in each
 * worker process (never in the runner). `install({ core, test, out })`: `core` and `test` are the
 * paths of the `playwright-core` and `playwright/test` the runner's workers load, `out` the probe
 * file. It listens on playwright-core's client instrumentation (the hook Playwright Test itself uses
 * for traces and screenshots) for a browser context about to close. When the current test failed
 * (by its timeout, an action's or an expectation's), before Playwright's own trace and snapshot work:
 * 1. every page of the context is asked to evaluate `1` over CDP (`Runtime.evaluate`, answered by
 *    the page's main thread), PAGE_PROBE_MS each; all answer: nothing is written;
 * 2. else the browser process is asked for its processes (`SystemInfo.getProcessInfo`, answered by
 *    the browser's own thread), BROWSER_PROBE_MS; no answer: the browser is silent;
 * 3. else its renderers' states are sampled (/proc): one runnable throughout is a main thread that
 *    never yields (`busy`); one stopped throughout makes the browser silent. A page waiting on a
 *    pending navigation is silent to CDP too (Chromium holds its commands) but sleeps: not busy.
 * The answers go to `out`, one ProbeLine each. Calls are internal (`_wrapApiCall(…, { internal: true })`,
 * as Playwright's own screenshot on failure): no step in the team's report. Whatever fails here is
 * swallowed: the probe never changes a test.
 */
export const BROWSER_PROBE_SOURCE = String.raw`'use strict';
const fs = require('node:fs');
const PAGE_MS = ${PAGE_PROBE_MS};
const BROWSER_MS = ${BROWSER_PROBE_MS};
const SAMPLES = ${RENDERER_SAMPLES};
const SAMPLE_MS = ${RENDERER_SAMPLE_MS};

function within(promise, ms) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('silent'), ms);
  });
  return Promise.race([promise.then(() => 'answered', () => 'failed'), late]).finally(() => clearTimeout(timer));
}

function internal(owner, fn) {
  return typeof owner._wrapApiCall === 'function' ? owner._wrapApiCall(fn, { internal: true }) : fn();
}

/** The current test failed (or timed out): from Playwright's test info, else the context's close reason. */
function testFailed(testPath, context) {
  if (/^Test timeout of/.test(String(context._closeReason || ''))) return true;
  try {
    const info = require(testPath).test.info();
    return info.status !== 'passed' && info.status !== 'skipped' && info.status !== undefined;
  } catch {
    return false;
  }
}

// The page's renderer evaluates 1 over CDP. Not page.evaluate: mid-navigation that waits for the next
// document, where Runtime.evaluate answers from the current one at once unless the main thread is busy.
async function pageAnswer(context, page) {
  let session = null;
  const asking = internal(page, async () => {
    session = await context.newCDPSession(page);
    await session.send('Runtime.evaluate', { expression: '1', returnByValue: true });
  });
  const answer = await within(asking, PAGE_MS);
  asking.then(() => session && session.detach().catch(() => undefined), () => undefined);
  return answer;
}

/** The one-letter state of a process (R running or runnable, S sleeping, T stopped), or null. */
function processState(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}

/**
 * The renderers' states, sampled SAMPLES times: a main thread in an endless loop keeps its renderer
 * runnable (R) in every sample, even on a busy machine; a page waiting for the network sleeps (S).
 */
async function renderersLook(pids) {
  if (process.platform !== 'linux' || pids.length === 0) return { busy: false, stopped: false };
  const runs = new Map(pids.map((pid) => [pid, 0]));
  const stops = new Map(pids.map((pid) => [pid, 0]));
  for (let i = 0; i < SAMPLES; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    for (const pid of pids) {
      const state = processState(pid);
      if (state === 'R') runs.set(pid, runs.get(pid) + 1);
      if (state === 'T' || state === 't') stops.set(pid, stops.get(pid) + 1);
    }
  }
  return {
    busy: [...runs.values()].some((count) => count >= SAMPLES - 1),
    stopped: [...stops.values()].some((count) => count === SAMPLES),
  };
}

async function probe(context) {
  const pages = context.pages().filter((page) => !page.isClosed()).slice(0, 10);
  if (pages.length === 0) return null;
  const answers = await Promise.all(pages.map((page) => pageAnswer(context, page)));
  const silent = answers.findIndex((answer) => answer === 'silent');
  if (silent < 0) return null;
  let url = null;
  try {
    url = String(pages[silent].url()).slice(0, 300);
  } catch {}
  const owner = context.browser();
  if (!owner || typeof owner.newBrowserCDPSession !== 'function') {
    return { pageSilent: true, browser: 'not asked', busy: false, url };
  }
  // A page's CDP commands wait while its navigation is pending, so silence alone says little: ask the
  // browser process (answered by its own thread) for its renderers, and look at what they are doing.
  let session = null;
  let info = null;
  const asking = internal(owner, async () => {
    session = await owner.newBrowserCDPSession();
    info = await session.send('SystemInfo.getProcessInfo');
  });
  const answer = await within(asking, BROWSER_MS);
  asking.then(() => session && session.detach().catch(() => undefined), () => undefined);
  if (answer !== 'answered' || !info) return { pageSilent: true, browser: 'silent', busy: false, url };
  const renderers = (info.processInfo || [])
    .filter((process) => process.type === 'renderer')
    .map((process) => Number(process.id))
    .filter((pid) => Number.isInteger(pid) && pid > 0)
    .slice(0, 50);
  const look = await renderersLook(renderers);
  // A renderer stopped under the test (SIGSTOP) is not the page's doing: the checker's, like a silent browser.
  if (look.stopped) return { pageSilent: true, browser: 'silent', busy: false, url };
  return { pageSilent: true, browser: 'answered', busy: look.busy, url };
}

module.exports = function install({ core, test, out }) {
  const playwright = require(core);
  const instrumentation = playwright && playwright._instrumentation;
  if (!instrumentation || typeof instrumentation.addListener !== 'function') return;
  const worker = Number(process.env.TEST_WORKER_INDEX);
  instrumentation.addListener({
    runBeforeCloseBrowserContext: async (context) => {
      try {
        if (!testFailed(test, context)) return;
        const found = await probe(context);
        if (!found) return;
        fs.appendFileSync(out, JSON.stringify({ worker, at: Date.now(), ...found }) + '\n');
      } catch {}
    },
  });
};
`;
