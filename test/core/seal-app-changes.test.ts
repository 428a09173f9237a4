// sealApp and the last green seal, with fakes: first seal, unchanged, changed, failOn, unreadable baseline.
import { describe, expect, it } from 'vitest';
import type { PageMaterial } from '../../functions/core/baseline';
import { BaselineSettingsSchema } from '../../functions/core/baseline-settings';
import { checkUrl } from '../../functions/core/check-url';
import type { AttemptOutcome, BrowserLauncher, CommitHistory } from '../../functions/core/ports';
import { sealApp } from '../../functions/core/seal-app';
import { SpecSchema } from '../../functions/core/spec';
import { FakeImageDiffer } from '../fixtures/fake-image-differ';
import { MemoryBaselineStore } from '../fixtures/memory-baseline-store';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';

interface PageNow {
  outcome: 'passed' | 'failed';
  png: number[];
  material: PageMaterial;
  consoleErrors: string[];
}

const aria = '- heading "Tasks" [level=1]\n- list:\n  - listitem: one';
const timings = { ttfbMs: 20, domContentLoadedMs: 200, loadMs: 300, lcpMs: 400, cls: 0 };

function page(overrides: Partial<PageNow> = {}): PageNow {
  return {
    outcome: 'passed',
    png: Array(100).fill(1),
    material: { ariaSnapshot: aria, timings },
    consoleErrors: [],
    ...overrides,
  };
}

/** A browser whose pages show what the test says, each with a picture and material. */
function browser(pages: Record<string, PageNow>): BrowserLauncher {
  return {
    launch: async () => ({
      runCheck: async (check, baseUrl): Promise<AttemptOutcome> => {
        const now = pages[check.name];
        const url = checkUrl(baseUrl, check.path);
        return {
          outcome: now?.outcome ?? 'passed',
          url,
          finalUrl: url,
          httpStatus: 200,
          durationMs: 5,
          error: now?.outcome === 'failed' ? 'landmark not visible' : null,
          pageErrors: [],
          consoleErrors: now?.consoleErrors ?? [],
          screenshotPng: now ? new Uint8Array(now.png) : null,
          material: now?.material ?? null,
        };
      },
      refusedRequests: () => ({ count: 0, requests: [] }),
      close: async () => undefined,
    }),
  };
}

const spec = SpecSchema.parse({
  checks: [
    { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
    { kind: 'page', name: 'tasks', path: '/tasks', landmark: { role: 'list' } },
    { kind: 'status', name: 'up', path: '/up', status: 200 },
  ],
  retries: 0,
});

function harness() {
  const store = new MemorySealStore();
  const baselines = new MemoryBaselineStore();
  const evidence = new MemoryEvidenceStore();
  const differ = new FakeImageDiffer();
  let n = 0;
  const seal = async (
    pages: Record<string, PageNow>,
    settings: Record<string, unknown> = {},
    commits?: CommitHistory,
  ) => {
    n++;
    return (
      await sealApp(
        {
          sealId: `shop:release:r${n}`,
          app: 'shop',
          trigger: 'release',
          baseUrl: 'https://shop.example.com',
          appHosts: ['shop.example.com'],
          spec,
          rollbackTemplate: 'deploy rollback {app} --to {releaseId}',
          release: {
            releaseId: `r${n}`,
            version: `2026-12-01.${n}`,
            commit: `${n}`
              .repeat(40)
              .slice(0, 40)
              .replace(/[^0-9a-f]/g, 'a'),
            mergeCommit: null,
            branch: null,
            notesThreadId: null,
            releaseUrl: null,
          },
          deadlineMs: 10_000,
          baseline: BaselineSettingsSchema.parse(settings),
          repository: 'github.com/acme/shop',
        },
        {
          launcher: browser(pages),
          store,
          evidence,
          clock: { now: () => new Date(Date.UTC(2026, 11, 1, 0, n)) },
          baselines: { store: baselines, differ, commits },
        },
      )
    ).seal;
  };
  return { seal, baselines, evidence, differ };
}

describe('sealApp compares with the last green seal', () => {
  it('says a first seal has no baseline, then stores it; the next unchanged seal is unchanged', async () => {
    const { seal, baselines } = harness();
    const first = await seal({ home: page(), tasks: page() });
    expect(first.changes).toMatchObject({
      state: 'first',
      baseline: null,
      checks: [],
      baselineUpdated: true,
    });
    expect(baselines.baselines.get('shop/production')?.baseline.checks.map((c) => c.name)).toEqual([
      'home',
      'tasks',
    ]);
    const second = await seal({ home: page(), tasks: page() });
    expect(second.status).toBe('green');
    expect(second.changes).toMatchObject({
      state: 'compared',
      baseline: { sealId: 'shop:release:r1', releaseId: 'r1', version: '2026-12-01.1' },
      commits: null,
    });
    expect(second.changes!.checks.every((check) => !check.changed && check.note === null)).toBe(true);
    // The material is for the comparison only: it is not on the stored seal.
    expect(JSON.stringify(second)).not.toContain('ariaSnapshot');
  });

  it('reports what changed, informational by default, with the compare link', async () => {
    const { seal, evidence } = harness();
    await seal({ home: page(), tasks: page() });
    const changed = await seal({
      home: page({ consoleErrors: ['TypeError: x is undefined at app.js:12:5'] }),
      tasks: page({
        png: [...Array(88).fill(1), ...Array(12).fill(2)],
        material: {
          ariaSnapshot: aria.replace('"Tasks"', '"Todos"'),
          timings: { ...timings, ttfbMs: 5_000, lcpMs: 9_000 },
        },
      }),
    });
    expect(changed.status).toBe('green');
    const tasks = changed.changes!.checks.find((check) => check.name === 'tasks')!;
    expect(tasks).toMatchObject({
      changed: true,
      visual: {
        percent: 12,
        sizeChanged: false,
        baseline: 'change-02-tasks-baseline.png',
        overlay: 'change-02-tasks-diff.png',
      },
      aria: { headline: 'heading renamed' },
      // Only the server's timing counts by default; LCP is the checker's CPU as much as the page's.
      timings: [{ metric: 'ttfbMs', before: 20, now: 5_000 }],
    });
    expect(changed.changes!.checks.find((check) => check.name === 'home')).toMatchObject({
      changed: true,
      newConsoleErrors: ['TypeError: x is undefined at app.js:12:5'],
    });
    expect([...evidence.files.keys()].filter((key) => key.includes(':release:r2:'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/change-02-tasks-baseline\.png$/),
        expect.stringMatching(/change-02-tasks-diff\.png$/),
      ]),
    );
    expect(changed.changes!.commits).toMatchObject({
      compareUrl: expect.stringMatching(
        /^https:\/\/github\.com\/acme\/shop\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}$/,
      ),
      commits: [],
      error: 'no GitHub token: only the link',
    });
    expect(changed.changes!.baselineUpdated).toBe(true);
  });

  it('turns a green seal red when failOn asks, with the reason, and keeps the last green baseline', async () => {
    const { seal, baselines } = harness();
    await seal({ home: page(), tasks: page() });
    const red = await seal(
      { home: page(), tasks: page({ png: [...Array(80).fill(1), ...Array(20).fill(2)] }) },
      { failOn: { visualPercent: 5 } },
    );
    expect(red.status).toBe('red');
    expect(red.summary).toBe(
      'red: changed since the last green seal: /tasks: 20 % of pixels changed (failOn.visualPercent is 5)',
    );
    expect(red.rollbackCommand).toBe('deploy rollback shop --to r2');
    expect(red.changes!.failOn).toEqual(['/tasks: 20 % of pixels changed (failOn.visualPercent is 5)']);
    expect(red.changes!.baselineUpdated).toBe(false);
    expect(baselines.baselines.get('shop/production')?.baseline.sealId).toBe('shop:release:r1');
    // Under the threshold: reported, still green.
    const small = await seal(
      { home: page(), tasks: page({ png: [...Array(97).fill(1), ...Array(3).fill(2)] }) },
      { failOn: { visualPercent: 5 } },
    );
    expect(small.status).toBe('green');
    expect(small.changes!.checks.find((check) => check.name === 'tasks')!.changed).toBe(true);
  });

  it('applies failOn.aria and failOn.lcpRatio', async () => {
    const { seal } = harness();
    await seal({ home: page(), tasks: page() });
    const red = await seal(
      {
        home: page({ material: { ariaSnapshot: aria, timings: { ...timings, lcpMs: 4_000 } } }),
        tasks: page({ material: { ariaSnapshot: `${aria}\n- link "More"`, timings } }),
      },
      { failOn: { aria: true, lcpRatio: 2 } },
    );
    expect(red.status).toBe('red');
    expect(red.changes!.failOn).toEqual([
      '/: LCP 400 ms → 4.0 s (failOn.lcpRatio is 2)',
      '/tasks: link added (failOn.aria)',
    ]);
  });

  it('never touches a red seal’s verdict, and still compares its failed page', async () => {
    const { seal } = harness();
    await seal({ home: page(), tasks: page() });
    const red = await seal(
      { home: page(), tasks: page({ outcome: 'failed', png: Array(100).fill(3) }) },
      { failOn: { visualPercent: 5 } },
    );
    expect(red.status).toBe('red');
    expect(red.summary).toMatch(/^red: 1 of 3 checks failed/);
    expect(red.changes!.checks.find((check) => check.name === 'tasks')!.visual!.percent).toBe(100);
  });

  it('says so when the baseline cannot be read, and never fails the seal for it', async () => {
    const { seal, baselines } = harness();
    baselines.failReadsWith = new Error('AccessDenied');
    const unreadable = await seal({ home: page(), tasks: page() });
    expect(unreadable.status).toBe('green');
    expect(unreadable.changes).toMatchObject({
      state: 'unavailable',
      note: 'the baseline could not be read: AccessDenied',
      baselineUpdated: true,
    });
    baselines.failReadsWith = null;
    baselines.failWritesWith = new Error('SlowDown');
    const unwritten = await seal({ home: page(), tasks: page() });
    expect(unwritten.status).toBe('green');
    expect(unwritten.changes).toMatchObject({
      state: 'compared',
      baselineUpdated: false,
      note: 'the baseline was not updated: SlowDown',
    });
  });

  it('lists the commits in between when a token is configured, bounded to one line each', async () => {
    const { seal } = harness();
    await seal({ home: page(), tasks: page() });
    const asked: string[] = [];
    const commits: CommitHistory = {
      compare: async (repo, base, head) => {
        asked.push(`${repo} ${base.slice(0, 4)}...${head.slice(0, 4)}`);
        return {
          commits: [
            { sha: 'f'.repeat(40), title: `Fix tasks\n\nrm -rf / ${'x'.repeat(500)}`, author: 'ada' },
          ],
          total: 31,
        };
      },
    };
    const changed = await seal({ home: page(), tasks: page({ png: Array(100).fill(7) }) }, {}, commits);
    expect(asked).toEqual(['acme/shop 1111...2222']);
    expect(changed.changes!.commits).toMatchObject({
      commits: [{ sha: 'f'.repeat(40), title: 'Fix tasks', author: 'ada' }],
      total: 31,
      error: null,
    });
  });

  it('judges timings against the slowest of the recent green seals, so one quick sample does not flag noise', async () => {
    const { seal, baselines } = harness();
    const at = (lcpMs: number) => page({ material: { ariaSnapshot: aria, timings: { ...timings, lcpMs } } });
    const lcp = { timingMetrics: ['lcpMs'] };
    await seal({ home: page(), tasks: at(5_000) }, lcp);
    await seal({ home: page(), tasks: at(400) }, lcp); // a quiet moment
    const noisy = await seal({ home: page(), tasks: at(4_500) }, lcp);
    expect(noisy.changes!.checks.find((check) => check.name === 'tasks')!.changed).toBe(false);
    expect(
      baselines.baselines.get('shop/production')!.baseline.checks[1]!.timingSamples!.map((s) => s.lcpMs),
    ).toEqual([400, 5_000]);
    const slower = await seal({ home: page(), tasks: at(12_000) }, lcp);
    expect(slower.changes!.checks.find((check) => check.name === 'tasks')!.timings).toEqual([
      { metric: 'lcpMs', before: 5_000, now: 12_000 },
    ]);
  });

  it('does nothing when apps[].baseline.enabled is false', async () => {
    const { seal, baselines } = harness();
    const off = await seal({ home: page(), tasks: page() }, { enabled: false });
    expect(off.changes).toBeUndefined();
    expect(baselines.writes).toBe(0);
  });
});
