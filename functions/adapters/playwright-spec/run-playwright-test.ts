// Runs one check made of Playwright tests (one test, or a serial group in order) on fresh pages of the seal's context.
import type { BrowserContext, Page } from 'playwright-core';
import type { AttemptOutcome } from '../../core/ports';
import { currentTest, type SealTestInfo, TestSkipped, type TestState } from './current-test';
import { FixtureBroke, FixtureResolver } from './resolve-fixtures';
import { type Modifier, scopeChain, type TestCase, testTags, titlePath, type UseOptions } from './spec-tree';
import type { TestSession } from './test-session';

/** Bounds on what a test's failure and its pages put in the seal. */
const MAX_ERROR_CHARS = 2_000;
const MAX_PAGE_MESSAGES = 20;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export interface RunTestsOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** The check's id, for testInfo.retry. */
  readonly checkId: string;
}

type Verdict = { outcome: AttemptOutcome['outcome']; error: string | null };

/** Everything one attempt saw, across the pages its tests opened. */
class AttemptPages {
  readonly pages: Page[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];
  lastStatus: number | null = null;
  crashed = false;

  track(page: Page): void {
    this.pages.push(page);
    page.on('pageerror', (error) => this.note(this.pageErrors, `uncaught ${error.name}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.note(this.consoleErrors, message.text());
    });
    page.on('crash', () => {
      this.crashed = true;
    });
    page.on('popup', (popup) => this.track(popup));
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.lastStatus = response.status();
      }
    });
  }

  private note(list: string[], text: string): void {
    if (list.length < MAX_PAGE_MESSAGES) list.push(text.slice(0, 500));
  }

  /** The page a failure is shown on: the test's `page`, or the first one it opened that is still open. */
  main(from = 0): Page | undefined {
    return this.pages.slice(from).find((page) => !page.isClosed());
  }

  async closeAll(from = 0): Promise<void> {
    await Promise.all(this.pages.slice(from).map((page) => page.close().catch(() => undefined)));
  }
}

export async function runPlaywrightTests(
  tests: readonly TestCase[],
  session: TestSession,
  options: RunTestsOptions,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const retry = session.nextAttempt(options.checkId);
  const pages = new AttemptPages();
  let verdict: Verdict = { outcome: 'skipped', error: null };
  let screenshotPng: Uint8Array | null = null;
  let finalUrl: string | null = null;
  const notRun: string[] = [];
  for (const [index, test] of tests.entries()) {
    const one = await runOne(test, session, options, retry, pages);
    screenshotPng = one.screenshotPng ?? screenshotPng;
    finalUrl = one.finalUrl ?? finalUrl;
    if (one.outcome === 'skipped') continue;
    const label = tests.length > 1 ? `${test.title}: ` : '';
    verdict = { outcome: one.outcome, error: one.error === null ? null : `${label}${one.error}` };
    if (one.outcome !== 'passed') {
      // A serial group stops at its first failure, as Playwright's serial mode does.
      notRun.push(...tests.slice(index + 1).map((rest) => rest.title));
      break;
    }
  }
  if (notRun.length > 0 && verdict.error) {
    verdict.error = bound(`${verdict.error}\n(not run after it: ${notRun.join(', ')})`);
  }
  await pages.closeAll();
  return {
    outcome: verdict.outcome,
    url: new URL('/', session.baseUrl).toString(),
    finalUrl: finalUrl && finalUrl !== 'about:blank' ? finalUrl : null,
    httpStatus: pages.lastStatus,
    durationMs: performance.now() - started,
    error: verdict.error,
    pageErrors: pages.pageErrors,
    consoleErrors: pages.consoleErrors,
    screenshotPng,
  };
}

async function runOne(
  test: TestCase,
  session: TestSession,
  options: RunTestsOptions,
  retry: number,
  pages: AttemptPages,
): Promise<Verdict & { screenshotPng: Uint8Array | null; finalUrl: string | null }> {
  const firstPage = pages.pages.length;
  const chain = scopeChain(test.scope);
  const modifiers: Modifier[] = [...chain.flatMap((scope) => scope.modifiers), ...test.modifiers];
  const use = mergedUse(chain.map((scope) => scope.use));
  const annotations = [...test.annotations];
  let expectFailure = false;
  let slow = false;
  let timeoutMs =
    [...chain].reverse().find((scope) => scope.timeout !== undefined)?.timeout ?? options.timeoutMs;
  const started = performance.now();

  const info: SealTestInfo = {
    title: test.title,
    titlePath: [test.file, ...titlePath(test)],
    file: test.file,
    tags: testTags(test),
    annotations,
    retry,
    project: { name: 'smoke-seal', use: { baseURL: session.baseUrl } },
    config: { projects: [] },
    errors: [],
    status: 'passed',
    get expectedStatus() {
      return expectFailure ? 'failed' : 'passed';
    },
    get timeout() {
      return timeoutMs;
    },
    setTimeout: (ms: number) => state.onTimeoutChange(ms),
    skip: (condition = true, description?: string) => {
      if (condition) throw new TestSkipped('skip', description);
    },
    fixme: (condition = true, description?: string) => {
      if (condition) throw new TestSkipped('fixme', description);
    },
    fail: (condition = true, description?: string) => {
      if (condition) {
        expectFailure = true;
        annotations.push({ type: 'fail', description });
      }
    },
    slow: (condition = true) => {
      if (condition && !slow) {
        slow = true;
        state.onTimeoutChange(timeoutMs * 3);
      }
    },
    attach: async () => undefined,
    outputPath: () => {
      throw new Error('testInfo.outputPath: a seal writes no files from spec code');
    },
  } as SealTestInfo;

  // The per-test budget, like Playwright's test timeout: hooks, fixtures and body together.
  let timedOut = false;
  let onTimeout!: () => void;
  const timeoutReached = new Promise<void>((resolve) => {
    onTimeout = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        timedOut = true;
        onTimeout();
      },
      Math.max(1, started + timeoutMs - performance.now()),
    );
  };
  const state: TestState = {
    info,
    softErrors: [],
    steps: [],
    expectFailure: false,
    timeoutMs,
    onTimeoutChange: (ms: number) => {
      timeoutMs = ms === 0 ? 24 * 3_600_000 : ms;
      arm();
    },
  };
  arm();
  let cutOff = false;
  const deadline = new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  }).then(() => {
    cutOff = true;
  });

  const resolver = new FixtureResolver(
    {
      ...session.scopeBuiltins(),
      context: () => sharedContext(session.context),
      page: () => newPage(session.context, use, pages),
    },
    test.fixtures,
    use.fixtureValues,
    info,
  );

  const body = currentTest.run(state, async () => {
    for (const modifier of modifiers) {
      const holds =
        typeof modifier.condition === 'function'
          ? Boolean(await modifier.condition(await resolver.object(modifier.needs)))
          : modifier.condition;
      if (!holds) continue;
      if (modifier.kind === 'skip' || modifier.kind === 'fixme') {
        throw new TestSkipped(modifier.kind, modifier.description);
      }
      if (modifier.kind === 'fail') info.fail(true, modifier.description);
      if (modifier.kind === 'slow') info.slow(true);
    }
    await session.beforeAll(chain);
    await resolver.auto();
    let failure: unknown = null;
    try {
      for (const scope of chain) {
        for (const hook of scope.hooks.filter((entry) => entry.kind === 'beforeEach')) {
          await hook.fn(await resolver.object(hook.needs), info);
        }
      }
      if (test.fn) await test.fn(await resolver.object(test.needs), info);
    } catch (error) {
      failure = error;
    }
    // afterEach hooks run after a failure too, innermost first; the first error is the one reported.
    for (const scope of [...chain].reverse()) {
      for (const hook of scope.hooks.filter((entry) => entry.kind === 'afterEach')) {
        try {
          await hook.fn(await resolver.object(hook.needs), info);
        } catch (error) {
          failure ??= error;
        }
      }
    }
    if (failure !== null) throw failure;
  });

  let error: unknown = null;
  try {
    await Promise.race([body, timeoutReached, deadline]);
  } catch (caught) {
    error = caught;
  } finally {
    clearTimeout(timer);
  }
  body.catch(() => undefined);

  let screenshotPng: Uint8Array | null = null;
  const main = pages.main(firstPage);
  const finalUrl = main ? main.url() : null;
  if (!cutOff && main && !session.contextClosed) screenshotPng = await screenshot(main);
  if (timedOut || cutOff) {
    // Unblocks whatever the body still awaits on these pages.
    await pages.closeAll(firstPage);
  }
  const teardownError = await resolver.tearDown();
  await pages.closeAll(firstPage);

  let verdict: Verdict;
  if (cutOff) verdict = { outcome: 'unfinished', error: 'cut off by the seal deadline' };
  else if (session.contextClosed)
    verdict = { outcome: 'unfinished', error: 'checker error: the browser closed under the test' };
  else if (pages.crashed) verdict = { outcome: 'unfinished', error: 'checker error: the page crashed' };
  else if (error instanceof TestSkipped) verdict = { outcome: 'skipped', error: error.message };
  else if (error instanceof FixtureBroke)
    verdict = { outcome: 'unfinished', error: `checker error: ${clean(error.message)}` };
  else if (timedOut) verdict = { outcome: 'failed', error: `Test timeout of ${timeoutMs}ms exceeded.` };
  else if (error !== null) verdict = { outcome: 'failed', error: describeFailure(error, state) };
  else if (state.softErrors.length > 0)
    verdict = { outcome: 'failed', error: bound(state.softErrors.map(clean).join('\n\n')) };
  else if (teardownError)
    verdict = { outcome: 'unfinished', error: `checker error: ${clean(teardownError.message)}` };
  else verdict = { outcome: 'passed', error: null };

  if (expectFailure && verdict.outcome === 'failed') verdict = { outcome: 'passed', error: null };
  else if (expectFailure && verdict.outcome === 'passed') {
    verdict = { outcome: 'failed', error: 'expected to fail (test.fail), but passed' };
  }
  return { ...verdict, screenshotPng, finalUrl };
}

function describeFailure(error: unknown, state: TestState): string {
  const message = error instanceof Error ? error.message : String(error);
  const hook = error instanceof Error && 'sealHook' in error ? `${String(error.sealHook)} hook: ` : '';
  const steps = error instanceof Error && 'sealStep' in error ? (error.sealStep as string[]) : [];
  const where = steps.length > 0 ? `step "${steps.join(' › ')}": ` : '';
  const soft = state.softErrors.length > 0 ? `\n\n${state.softErrors.map(clean).join('\n\n')}` : '';
  return bound(`${hook}${where}${clean(message)}${soft}`);
}

function clean(text: string): string {
  return text.replace(ANSI, '').trim();
}

function bound(text: string): string {
  return text.length <= MAX_ERROR_CHARS ? text : `${text.slice(0, MAX_ERROR_CHARS - 1)}…`;
}

function mergedUse(layers: readonly Partial<UseOptions>[]): UseOptions {
  const merged: UseOptions = { fixtureValues: {} };
  for (const layer of layers) {
    const { fixtureValues, ...rest } = layer;
    Object.assign(merged, rest);
    Object.assign(merged.fixtureValues, fixtureValues ?? {});
  }
  return merged;
}

async function newPage(context: BrowserContext, use: UseOptions, pages: AttemptPages): Promise<Page> {
  const page = await context.newPage();
  pages.track(page);
  if (use.viewport) await page.setViewportSize(use.viewport);
  if (use.extraHTTPHeaders) await page.setExtraHTTPHeaders(use.extraHTTPHeaders);
  if (use.colorScheme !== undefined) await page.emulateMedia({ colorScheme: use.colorScheme });
  if (use.actionTimeout !== undefined) page.setDefaultTimeout(use.actionTimeout);
  if (use.navigationTimeout !== undefined) page.setDefaultNavigationTimeout(use.navigationTimeout);
  return page;
}

/** The seal's one context; closing it would end every check's browser, so a test may not. */
function sharedContext(context: BrowserContext): BrowserContext {
  return new Proxy(context, {
    get(target, property, receiver) {
      if (property === 'close') {
        return async () => {
          throw new Error(
            'context.close() is not allowed in a seal: every check shares this browser context',
          );
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function screenshot(page: Page): Promise<Uint8Array | null> {
  try {
    return await page.screenshot({ type: 'png', timeout: 3_000, animations: 'disabled', caret: 'hide' });
  } catch {
    return null;
  }
}
