import { describe, expect, it } from 'vitest';
import type { CheckProgress } from '../../functions/core/ports';
import { runSpec } from '../../functions/core/run-spec';
import { SpecSchema } from '../../functions/core/spec';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

const spec = SpecSchema.parse({
  checks: ['slow', 'fast', 'broken'].map((name) => ({ kind: 'status', name, path: `/${name}`, status: 200 })),
});

describe('runSpec progress', () => {
  it('tells each check as it finishes, in finishing order, with its outcome and attempts', async () => {
    const heard: CheckProgress[] = [];
    // The finishing order is made by the script (each check waits for the one before it to be told),
    // not by timers, so a busy machine cannot reorder it.
    const told = (name: string) => {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      return { name, promise, resolve };
    };
    const fastTold = told('fast');
    const brokenTold = told('broken');
    const run = await runSpec({
      spec,
      baseUrl: 'https://x.test',
      launcher: new ScriptedBrowser({
        slow: [{ outcome: 'passed', afterMs: 0, after: brokenTold.promise }],
        fast: [{ outcome: 'passed', afterMs: 0 }],
        broken: [
          {
            outcome: 'failed',
            afterMs: 0,
            after: fastTold.promise,
            error: '/broken answered 500, expected 200',
          },
        ],
      }),
      deadlineMs: 600_000,
      onCheckFinished: (progress) => {
        heard.push(progress);
        for (const gate of [fastTold, brokenTold]) if (gate.name === progress.name) gate.resolve();
      },
    });
    expect(heard.map((progress) => [progress.name, progress.outcome, progress.attempts])).toEqual([
      ['fast', 'passed', 1],
      ['broken', 'failed', 2],
      ['slow', 'passed', 1],
    ]);
    expect(heard[1]?.error).toBe('/broken answered 500, expected 200');
    expect(run.checks.map((check) => check.name)).toEqual(['slow', 'fast', 'broken']);
  });

  it('never lets a failing listener change the seal', async () => {
    const run = await runSpec({
      spec,
      baseUrl: 'https://x.test',
      launcher: new ScriptedBrowser({}),
      deadlineMs: 600_000,
      onCheckFinished: () => {
        throw new Error('terminal gone');
      },
    });
    expect(run.checks.map((check) => check.outcome)).toEqual(['passed', 'passed', 'passed']);
  });
});
