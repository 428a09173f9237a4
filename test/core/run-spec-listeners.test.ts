import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { checkUrl } from '../../functions/core/check-url';
import type { BrowserLauncher } from '../../functions/core/ports';
import { runSpec } from '../../functions/core/run-spec';
import { SpecSchema } from '../../functions/core/spec';

describe('runSpec abort listeners', () => {
  it('leaves no listener per attempt on the seal deadline, whatever the adapter hangs on its signal', async () => {
    // Like an adapter that waits for the deadline with a listener it never removes.
    const listenersSeen: number[] = [];
    const signals = new Set<AbortSignal>();
    const launcher: BrowserLauncher = {
      launch: async () => ({
        runCheck: async (check, baseUrl, options) => {
          options.signal.addEventListener('abort', () => undefined, { once: true });
          signals.add(options.signal);
          listenersSeen.push(Math.max(...[...signals].map((s) => getEventListeners(s, 'abort').length)));
          return {
            outcome: 'passed',
            url: checkUrl(baseUrl, check.path),
            finalUrl: null,
            httpStatus: 200,
            durationMs: 1,
            error: null,
            pageErrors: [],
            consoleErrors: [],
            screenshotPng: null,
          };
        },
        refusedRequests: () => ({ count: 0, requests: [] }),
        close: async () => undefined,
      }),
    };
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const spec = SpecSchema.parse({
        concurrency: 1,
        checks: Array.from({ length: 30 }, (_, index) => ({
          kind: 'status',
          name: `c${index}`,
          path: `/c${index}`,
          status: 200,
        })),
      });
      const run = await runSpec({ spec, baseUrl: 'https://x.test', launcher, deadlineMs: 600_000 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(run.checks.every((check) => check.outcome === 'passed')).toBe(true);
      // On one shared signal the count climbs to 30 (and Node warns past 10); per attempt it stays small.
      expect(Math.max(...listenersSeen)).toBeLessThanOrEqual(2);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('still aborts the attempt that is running when the deadline expires', async () => {
    let aborted = false;
    const launcher: BrowserLauncher = {
      launch: async () => ({
        runCheck: (check, baseUrl, options) =>
          new Promise((resolve) => {
            options.signal.addEventListener('abort', () => {
              aborted = true;
              resolve({
                outcome: 'unfinished',
                url: checkUrl(baseUrl, check.path),
                finalUrl: null,
                httpStatus: null,
                durationMs: 1,
                error: 'cut off',
                pageErrors: [],
                consoleErrors: [],
                screenshotPng: null,
              });
            });
          }),
        refusedRequests: () => ({ count: 0, requests: [] }),
        close: async () => undefined,
      }),
    };
    const spec = SpecSchema.parse({ checks: [{ kind: 'status', name: 'a', path: '/a', status: 200 }] });
    const run = await runSpec({ spec, baseUrl: 'https://x.test', launcher, deadlineMs: 300 });
    expect(aborted).toBe(true);
    expect(run.checks[0]?.outcome).toBe('unfinished');
  });
});
