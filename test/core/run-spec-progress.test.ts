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
    const run = await runSpec({
      spec,
      baseUrl: 'https://x.test',
      launcher: new ScriptedBrowser({
        slow: [{ outcome: 'passed', afterMs: 80 }],
        fast: [{ outcome: 'passed', afterMs: 1 }],
        broken: [{ outcome: 'failed', afterMs: 1, error: '/broken answered 500, expected 200' }],
      }),
      deadlineMs: 5_000,
      onCheckFinished: (progress) => heard.push(progress),
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
      deadlineMs: 5_000,
      onCheckFinished: () => {
        throw new Error('terminal gone');
      },
    });
    expect(run.checks.map((check) => check.outcome)).toEqual(['passed', 'passed', 'passed']);
  });
});
