// sealApp with the app's Playwright suite (the SpecSuite port, faked in memory): checks, verdicts, evidence.
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, SpecSuite, SuiteCheckRun, SuiteRun } from '../../functions/core/ports';
import { sealApp } from '../../functions/core/seal-app';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';

const BASE = 'https://app.example.com/';

function attempt(outcome: AttemptOutcome['outcome'], extra: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return {
    outcome,
    url: BASE,
    finalUrl: null,
    httpStatus: null,
    durationMs: 10,
    error: outcome === 'passed' ? null : 'Error: expect(locator).toHaveText(expected) failed',
    pageErrors: [],
    consoleErrors: [],
    screenshotPng: null,
    ...extra,
  };
}

function check(name: string, attempts: AttemptOutcome[]): SuiteCheckRun {
  const last = attempts.at(-1)!;
  return {
    name,
    kind: 'test',
    path: '/',
    url: BASE,
    outcome: last.outcome,
    httpStatus: null,
    durationMs: 10,
    error: last.error,
    attempts,
    playwright: { project: 'chromium', file: 'todo.spec.ts', line: 3, column: 1, titlePath: [name] },
  };
}

class FakeSuite implements SpecSuite {
  calls = 0;
  constructor(private readonly result: SuiteRun) {}
  async run(): Promise<SuiteRun> {
    this.calls++;
    return this.result;
  }
}

async function seal(suite: SpecSuite, evidence = new MemoryEvidenceStore()) {
  const outcome = await sealApp(
    {
      sealId: `app:manual:${Math.random().toString(36).slice(2)}`,
      app: 'app',
      trigger: 'manual',
      baseUrl: BASE,
      appHosts: ['app.example.com'],
      spec: { checks: [], checkTimeoutMs: 15_000, concurrency: 4, retries: 1 },
      rollbackTemplate: 'echo {app} {releaseId}',
      release: null,
      deadlineMs: 60_000,
      suite,
    },
    {
      launcher: {
        launch: async () => {
          throw new Error('no browser: the suite has its own');
        },
      },
      store: new MemorySealStore(),
      evidence,
      clock: { now: () => new Date('2026-12-03T12:00:00Z') },
    },
  );
  return { seal: outcome.seal, evidence };
}

describe('a seal of an app that brings its Playwright suite', () => {
  it('is red naming the failed test, and stores its trace and error context beside the report', async () => {
    const trace = new Uint8Array([80, 75, 3, 4]);
    const suite = new FakeSuite({
      checks: [
        check('adds a todo', [attempt('passed')]),
        check('clears completed', [
          attempt('failed', {
            screenshotPng: new Uint8Array([137, 80]),
            artifactBytes: [
              { kind: 'trace', name: 'trace.zip', contentType: 'application/zip', bytes: trace },
              {
                kind: 'error-context',
                name: 'error-context.md',
                contentType: 'text/markdown',
                bytes: new Uint8Array([35]),
              },
            ],
          }),
        ]),
      ],
      refused: { count: 0, requests: [] },
      launchMs: null,
      toolingError: null,
    });
    const { seal: sealed, evidence } = await seal(suite);
    expect(suite.calls).toBe(1);
    expect(sealed.status).toBe('red');
    expect(sealed.summary).toContain('clears completed: Error: expect(locator).toHaveText(expected) failed');
    const stored = sealed.checks[1]!.attempts[0]!;
    expect(stored.artifacts?.map((artifact) => artifact.kind)).toEqual(['trace', 'error-context']);
    expect(sealed.checks[1]!.playwright).toMatchObject({
      project: 'chromium',
      file: 'todo.spec.ts',
      line: 3,
    });
    const traceFile = stored.artifacts![0]!.file;
    expect([...evidence.files.keys()].some((key) => key.endsWith(`/${traceFile}`))).toBe(true);
    const report = [...evidence.files.entries()].find(([key]) => key.endsWith('/index.html'))![1] as string;
    expect(report).toContain(`npx playwright show-trace ${traceFile}`);
  });

  it("is inconclusive, never red, when the suite reports the checker's fault", async () => {
    const suite = new FakeSuite({
      checks: [check('adds a todo', [attempt('unfinished', { error: 'the browser crashed (or closed)' })])],
      refused: { count: 0, requests: [] },
      launchMs: null,
      toolingError: 'the browser crashed (or closed)',
    });
    const { seal: sealed } = await seal(suite);
    expect(sealed.status).toBe('inconclusive');
    expect(sealed.rollbackCommand).toBeNull();
  });
});
