import { describe, expect, it } from 'vitest';
import type { RunCheckOptions } from '../../functions/core/ports';
import { runSpec } from '../../functions/core/run-spec';
import { type Check, type Spec, SpecSchema } from '../../functions/core/spec';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

function spec(names: string[], overrides: Partial<Spec> = {}): Spec {
  return SpecSchema.parse({
    checks: names.map((name) => ({ kind: 'status', name, path: `/${name}`, status: 200 })),
    ...overrides,
  });
}

describe('runSpec', () => {
  it('runs checks concurrently, never more at once than the bound', async () => {
    const browser = new ScriptedBrowser({});
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const run = await runSpec({
      spec: spec(names, { concurrency: 3 }),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 5_000,
    });
    expect(run.checks.map((check) => check.outcome)).toEqual(names.map(() => 'passed'));
    expect(browser.maxRunning).toBe(3);
    expect(browser.launches).toBe(1);
    expect(browser.closed).toBe(1);
  });

  it('keeps results in spec order whatever order they finish in', async () => {
    const browser = new ScriptedBrowser({
      a: [{ outcome: 'passed', afterMs: 60 }],
      b: [{ outcome: 'passed', afterMs: 1 }],
    });
    const run = await runSpec({
      spec: spec(['a', 'b']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 5_000,
    });
    expect(run.checks.map((check) => check.name)).toEqual(['a', 'b']);
  });

  it('retries a failed check once and records both attempts', async () => {
    const browser = new ScriptedBrowser({
      up: [
        { outcome: 'failed', afterMs: 1 },
        { outcome: 'passed', afterMs: 1 },
      ],
    });
    const run = await runSpec({
      spec: spec(['up']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 5_000,
    });
    expect(run.checks[0]).toMatchObject({ outcome: 'passed', error: null });
    expect(run.checks[0]?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'passed']);
  });

  it('fails a check that fails twice, keeping the error of the last failure', async () => {
    const browser = new ScriptedBrowser({
      up: [
        { outcome: 'failed', afterMs: 1, error: '/up answered 502' },
        { outcome: 'failed', afterMs: 1, error: '/up answered 503' },
      ],
    });
    const run = await runSpec({
      spec: spec(['up']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 5_000,
    });
    expect(run.checks[0]).toMatchObject({ outcome: 'failed', error: '/up answered 503' });
    expect(run.checks[0]?.attempts).toHaveLength(2);
  });

  it('holds the deadline against a check that hangs and ignores its abort signal', async () => {
    const browser = new ScriptedBrowser({ slow: ['hang'] });
    const run = await runSpec({
      spec: spec(['fast', 'slow']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 400,
    });
    expect(run.checks.map((check) => check.outcome)).toEqual(['passed', 'unfinished']);
    expect(run.checks[1]?.error).toBe('cut off by the seal deadline');
    expect(run.toolingError).toBeNull();
    expect(browser.closed).toBe(1);
  });

  it('reports a browser that will not launch as a tooling error, with every check unfinished', async () => {
    const browser = new ScriptedBrowser({}, new Error('spawn /tmp/chromium ENOENT'));
    const run = await runSpec({
      spec: spec(['a', 'b']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 5_000,
    });
    expect(run.toolingError).toBe('Chromium failed to launch: spawn /tmp/chromium ENOENT');
    expect(run.checks.every((check) => check.outcome === 'unfinished' && check.attempts.length === 0)).toBe(
      true,
    );
  });

  it('treats a checker failure inside an attempt as unfinished, not as a production failure', async () => {
    const browser = new ScriptedBrowser({});
    const launched = await browser.launch();
    const crashing = {
      launch: async () => ({
        ...launched,
        runCheck: async () => {
          throw new Error('page.goto: Target page, context or browser has been closed');
        },
      }),
    };
    const run = await runSpec({
      spec: spec(['up']),
      baseUrl: 'https://x.test',
      launcher: crashing,
      deadlineMs: 5_000,
    });
    expect(run.checks[0]).toMatchObject({
      outcome: 'unfinished',
      error: 'the browser crashed (or closed)',
    });
    expect(run.checks[0]?.attempts).toHaveLength(1);
  });

  it('keeps a check unfinished when its retry met a crashed browser, never promoting it to failed', async () => {
    const browser = new ScriptedBrowser({
      up: [{ outcome: 'failed', afterMs: 1, error: '/up answered 503' }],
    });
    const launched = await browser.launch();
    let calls = 0;
    const crashingOnRetry = {
      launch: async () => ({
        ...launched,
        runCheck: async (check: Check, baseUrl: string, options: RunCheckOptions) => {
          if (calls++ === 0) return launched.runCheck(check, baseUrl, options);
          throw new Error('page.goto: Target page, context or browser has been closed');
        },
      }),
    };
    const run = await runSpec({
      spec: spec(['up']),
      baseUrl: 'https://x.test',
      launcher: crashingOnRetry,
      deadlineMs: 5_000,
    });
    expect(run.checks[0]).toMatchObject({ outcome: 'unfinished', error: 'the browser crashed (or closed)' });
    expect(run.checks[0]?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'unfinished']);
    expect(run.toolingError).toBe('the browser crashed (or closed)');
  });

  it('still fails a check whose retry the deadline cut off after a production failure', async () => {
    const browser = new ScriptedBrowser({
      up: [{ outcome: 'failed', afterMs: 1, error: '/up answered 503' }, 'hang'],
    });
    const run = await runSpec({
      spec: spec(['up']),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 400,
    });
    expect(run.checks[0]).toMatchObject({ outcome: 'failed', error: '/up answered 503' });
    expect(run.toolingError).toBeNull();
  });

  it('cuts refused URLs a page made up to a bounded length, keeping the exact count', async () => {
    const browser = new ScriptedBrowser({});
    const launched = await browser.launch();
    const huge = `https://x.test/${'a'.repeat(500_000)}`;
    const launcher = {
      launch: async () => ({
        ...launched,
        refusedRequests: () => ({
          count: 7,
          requests: [{ method: 'POST', url: huge, reason: 'r'.repeat(9_000), count: 7 }],
        }),
      }),
    };
    const run = await runSpec({ spec: spec(['up']), baseUrl: 'https://x.test', launcher, deadlineMs: 5_000 });
    expect(run.refused.count).toBe(7);
    expect(run.refused.requests[0]?.url.length).toBeLessThanOrEqual(2_000);
    expect(run.refused.requests[0]?.reason.length).toBeLessThanOrEqual(500);
  });

  it('gives each attempt a whole number of milliseconds when the deadline is what limits it', async () => {
    // A fractional budget comes back in Playwright's words ("Timeout 4999.37ms exceeded"), which the
    // attempt engine would not read as a timeout, and so would not probe the browser for a wedge.
    const budgets: number[] = [];
    const launcher = {
      launch: async () => ({
        runCheck: async (_check: Check, _baseUrl: string, options: RunCheckOptions) => {
          budgets.push(options.timeoutMs);
          return {
            outcome: 'failed' as const,
            url: 'https://x.test/up',
            finalUrl: null,
            httpStatus: 500,
            durationMs: 1,
            error: 'answered 500',
            pageErrors: [],
            consoleErrors: [],
            screenshotPng: null,
          };
        },
        refusedRequests: () => ({ count: 0, requests: [] }),
        close: async () => undefined,
      }),
    };
    await runSpec({
      spec: spec(['up'], { checkTimeoutMs: 60_000, retries: 1 }),
      baseUrl: 'https://x.test',
      launcher,
      deadlineMs: 30_000,
    });
    expect(budgets).toHaveLength(2);
    for (const budget of budgets) {
      expect(Number.isInteger(budget), `budget ${budget}`).toBe(true);
      expect(budget).toBeLessThanOrEqual(30_000);
    }
  });

  it('does not start a check once the deadline has passed', async () => {
    const browser = new ScriptedBrowser({ a: ['hang'] });
    const run = await runSpec({
      spec: spec(['a', 'b'], { concurrency: 1 }),
      baseUrl: 'https://x.test',
      launcher: browser,
      deadlineMs: 300,
    });
    expect(run.checks[1]).toMatchObject({
      outcome: 'unfinished',
      error: 'not started: the seal deadline expired',
    });
    expect(browser.calls).toEqual(['a']);
  });
});
