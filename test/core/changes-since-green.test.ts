// What changed since the last green seal, end to end: real Chromium, a local site that changes, the state
// folder's baseline, pixelmatch, and a local stand-in of GitHub's compare API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { FileBaselineStore } from '../../functions/adapters/file-baseline-store';
import { GitHubCompare } from '../../functions/adapters/github-compare';
import { PixelmatchImageDiffer } from '../../functions/adapters/pixelmatch-image-differ';
import { type BaselineSettings, BaselineSettingsSchema } from '../../functions/core/baseline-settings';
import { defaultSpec } from '../../functions/core/default-spec';
import { describeChanges } from '../../functions/core/describe-changes';
import type { ReleaseInfo, Seal } from '../../functions/core/seal';
import { sealApp } from '../../functions/core/seal-app';
import { type Spec, SpecSchema } from '../../functions/core/spec';
import { type ChangingSite, startChangingSite } from '../fixtures/changing-site';
import { type GitHubStandIn, startGitHubStandIn } from '../fixtures/github-stand-in';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { startTodoMvcSite, type TodoMvcSite } from '../fixtures/todomvc-site';

const spec = SpecSchema.parse({
  checks: [
    { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
    { kind: 'page', name: 'sign-in', path: '/sign_in', landmark: { form: 'sign-in' } },
    { kind: 'page', name: 'tasks', path: '/tasks', landmark: { role: 'list' } },
    { kind: 'status', name: 'up', path: '/up', status: 200 },
  ],
  checkTimeoutMs: 15_000,
  concurrency: 2,
  retries: 0,
});

let dir: string;
let github: GitHubStandIn;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-changes-'));
  github = await startGitHubStandIn();
});
afterAll(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

function sha(n: number): string {
  return n.toString(16).padStart(2, '0').repeat(20);
}

function release(n: number): ReleaseInfo {
  return {
    releaseId: `2026-12-01.${n}`,
    version: null,
    commit: sha(n),
    mergeCommit: null,
    branch: 'prod',
    notesThreadId: null,
    releaseUrl: null,
  };
}

// Each test is one or two full seals in Chromium: room for a loaded machine.
describe('a site that changes between seals', { timeout: 180_000 }, () => {
  let site: ChangingSite;
  const store = new MemorySealStore();
  const evidence = new MemoryEvidenceStore();
  const baselines = {
    store: new FileBaselineStore(join(dir ?? tmpdir(), 'changing')),
    differ: new PixelmatchImageDiffer(),
  };
  let n = 0;

  beforeAll(async () => {
    site = await startChangingSite();
    baselines.store = new FileBaselineStore(join(dir, 'changing'));
  });
  afterAll(() => site.close());

  async function seal(settings: Partial<BaselineSettings> = {}): Promise<Seal> {
    n++;
    const outcome = await sealApp(
      {
        sealId: `changing:release:2026-12-01.${n}`,
        app: 'changing',
        trigger: 'release',
        baseUrl: site.url,
        appHosts: [new URL(site.url).host],
        spec,
        rollbackTemplate: 'deploy rollback {app} --to {releaseId}',
        release: release(n),
        deadlineMs: 50_000,
        baseline: BaselineSettingsSchema.parse(settings),
        repository: 'github.com/acme/changing',
      },
      {
        launcher: new ChromiumLauncher(),
        store,
        evidence,
        clock: { now: () => new Date(Date.UTC(2026, 11, 1, 0, n)) },
        baselines: {
          ...baselines,
          commits: new GitHubCompare({ token: 'ghs_standin_token_1234', apiUrl: github.apiUrl }),
        },
      },
    );
    return outcome.seal;
  }

  it('says a first seal has nothing to compare with, and keeps it as the baseline', async () => {
    const first = await seal();
    expect(first.status).toBe('green');
    expect(first.changes).toMatchObject({ state: 'first', baselineUpdated: true, checks: [] });
    expect(describeChanges(first.changes!)).toBe('first seal: no earlier green seal to compare with yet');
    const stored = await baselines.store.read('changing', 'production');
    expect(stored?.baseline.sealId).toBe(first.id);
    expect(stored?.baseline.checks.map((check) => check.name)).toEqual(['home', 'sign-in', 'tasks']);
    expect(stored?.screenshots.size).toBe(3);
    expect(stored?.baseline.checks[2]?.ariaSnapshot).toContain('heading "Tasks"');
    expect(stored?.baseline.checks[2]?.timings?.loadMs).toBeGreaterThan(0);
  });

  it('finds an unchanged site unchanged, page by page, and lists no commits', async () => {
    const again = await seal();
    expect(again.status).toBe('green');
    expect(again.changes?.state).toBe('compared');
    expect(again.changes?.checks.map((check) => [check.path, check.changed])).toEqual([
      ['/', false],
      ['/sign_in', false],
      ['/tasks', false],
    ]);
    expect(again.changes?.commits).toBeNull();
    expect(describeChanges(again.changes!)).toBe(
      'unchanged since the last green seal (release 2026-12-01.1)',
    );
  });

  it('reports a broken stylesheet as changed with pictures, the compare link and the commits, still green', async () => {
    site.state.stylesheetBroken = true;
    github.ranges.set(`acme/changing ${sha(2)}...${sha(3)}`, [
      { sha: sha(200), message: 'Move the stylesheet to the CDN\n\nlong body', login: 'ada', name: 'Ada' },
      { sha: sha(201), message: 'Release 2026-12-01.3 <script>', login: null, name: 'Grace Hopper' },
    ]);
    const broken = await seal();
    expect(broken.status).toBe('green');
    const changed = broken.changes!.checks.filter((check) => check.changed);
    expect(changed.map((check) => check.path)).toEqual(['/', '/sign_in', '/tasks']);
    for (const check of changed) {
      expect(check.visual!.percent).toBeGreaterThan(1);
      // Baseline, now and overlay are beside the report.
      const folder = [...evidence.files.keys()].find(
        (key) => key.includes('2026-12-01.3') && key.endsWith(check.visual!.overlay!),
      );
      expect(folder).toBeDefined();
      expect([...evidence.files.keys()].some((key) => key.endsWith(check.visual!.baseline!))).toBe(true);
    }
    expect(describeChanges(broken.changes!)).toMatch(
      /^3 pages changed since the last green seal \(release 2026-12-01\.2\): \/ [\d.]+ % of pixels, \/sign_in [\d.]+ % of pixels, \/tasks [\d.]+ % of pixels$/,
    );
    expect(broken.changes!.commits).toEqual({
      compareUrl: `https://github.com/acme/changing/compare/${sha(2)}...${sha(3)}`,
      base: sha(2),
      head: sha(3),
      commits: [
        { sha: sha(200), title: 'Move the stylesheet to the CDN', author: 'ada' },
        { sha: sha(201), title: 'Release 2026-12-01.3 <script>', author: 'Grace Hopper' },
      ],
      total: 2,
      error: null,
    });
    expect(github.requests.at(-1)).toEqual({
      path: `/repos/acme/changing/compare/${sha(2)}...${sha(3)}?per_page=20&page=1`,
      authorization: 'Bearer ghs_standin_token_1234',
    });
    // The report shows it, escaped.
    const report = [...evidence.files.entries()].find(
      ([key]) => key.includes('2026-12-01.3') && key.endsWith('index.html'),
    )![1] as string;
    expect(report).toContain('Since the last green seal');
    expect(report).toContain('Release 2026-12-01.3 &#60;script&#62;');
    expect(report).not.toContain('<script>');
  });

  it('turns red when failOn asks, names the reason, and keeps the last good baseline', async () => {
    site.state.stylesheetBroken = false;
    const fixed = await seal(); // green, changed back: the good look is the baseline again
    expect(fixed.status).toBe('green');
    site.state.stylesheetBroken = true;
    const red = await seal({ failOn: { visualPercent: 5 } });
    expect(red.status).toBe('red');
    expect(red.summary).toMatch(
      /^red: changed since the last green seal: \/: [\d.]+ % of pixels changed \(failOn\.visualPercent is 5\)/,
    );
    expect(red.rollbackCommand).toBe('deploy rollback changing --to 2026-12-01.5');
    expect(red.changes?.baselineUpdated).toBe(false);
    expect((await baselines.store.read('changing', 'production'))?.baseline.sealId).toBe(fixed.id);
    site.state.stylesheetBroken = false;
  });

  it('names a renamed heading from the ARIA snapshot', async () => {
    site.state.tasksHeading = 'Todos';
    const renamed = await seal({ failOn: { aria: true } });
    const tasks = renamed.changes!.checks.find((check) => check.path === '/tasks')!;
    expect(tasks.changed).toBe(true);
    expect(tasks.aria).toMatchObject({ headline: 'heading renamed', addedCount: 1, removedCount: 1 });
    expect(tasks.aria!.removed[0]).toContain('heading "Tasks"');
    expect(tasks.aria!.added[0]).toContain('heading "Todos"');
    expect(renamed.status).toBe('red');
    expect(renamed.summary).toContain('/tasks: heading renamed (failOn.aria)');
    expect(describeChanges(renamed.changes!)).toContain('/tasks');
    expect(describeChanges(renamed.changes!)).toContain('heading renamed');
    site.state.tasksHeading = 'Tasks';
  });

  it('names a page that got slower', async () => {
    site.state.tasksDelayMs = 4_500;
    const slower = await seal();
    site.state.tasksDelayMs = 0;
    const tasks = slower.changes!.checks.find((check) => check.path === '/tasks')!;
    expect(tasks.changed).toBe(true);
    expect(tasks.timings.map((timing) => timing.metric)).toContain('ttfbMs');
    expect(tasks.timings.find((timing) => timing.metric === 'ttfbMs')!.now).toBeGreaterThanOrEqual(4_400);
    expect(describeChanges(slower.changes!)).toMatch(/\/tasks .*TTFB \d+ ms → 4\.\d s/);
    // The other pages did not change.
    expect(
      slower.changes!.checks.filter((check) => check.path !== '/tasks').every((check) => !check.changed),
    ).toBe(true);
  });
});

/**
 * Six seals of an unchanged site: the first is the baseline, the five after it are compared with the
 * last green seal and must flag nothing (zero false "changed").
 */
async function sealUnchangedSixTimes(app: string, url: string, checks: Spec): Promise<Seal[]> {
  const store = new MemorySealStore();
  const baselines = {
    store: new FileBaselineStore(join(dir, app)),
    differ: new PixelmatchImageDiffer(),
  };
  const seals: Seal[] = [];
  for (let i = 1; i <= 6; i++) {
    const outcome = await sealApp(
      {
        sealId: `${app}:manual:run-${i}`,
        app,
        trigger: 'manual',
        baseUrl: url,
        appHosts: [new URL(url).host],
        spec: checks,
        rollbackTemplate: 'x',
        release: null,
        deadlineMs: 50_000,
      },
      {
        launcher: new ChromiumLauncher(),
        store,
        evidence: new MemoryEvidenceStore(),
        clock: { now: () => new Date(Date.UTC(2026, 11, 2, 0, i)) },
        baselines,
      },
    );
    seals.push(outcome.seal);
  }
  return seals;
}

function expectNeverChanged(seals: readonly Seal[], pages: number): void {
  expect(seals.map((seal) => seal.status)).toEqual(Array(6).fill('green'));
  expect(seals[0]!.changes?.state).toBe('first');
  const compared = seals.slice(1);
  expect(compared.map((seal) => seal.changes?.state)).toEqual(Array(5).fill('compared'));
  const flagged = compared.flatMap((seal) => seal.changes!.checks.filter((check) => check.changed));
  expect(flagged).toEqual([]);
  // Every page compared each time: a comparison that silently compared nothing would pass the line above.
  expect(compared.map((seal) => seal.changes!.checks.length)).toEqual(Array(5).fill(pages));
}

describe('the demo site, unchanged across five seals', () => {
  let site: DemoSite;
  beforeAll(async () => {
    site = await startDemoSite();
  });
  afterAll(() => site.close());

  it('never reports a change', async () => {
    expectNeverChanged(await sealUnchangedSixTimes('demo', site.url, { ...defaultSpec, retries: 0 }), 3);
  }, 300_000);
});

describe('TodoMVC (a React single-page app), unchanged across five seals', () => {
  let site: TodoMvcSite;
  beforeAll(async () => {
    site = await startTodoMvcSite();
  });
  afterAll(() => site.close());

  it('never reports a change', async () => {
    const todomvc = SpecSchema.parse({
      checks: [
        { kind: 'page', name: 'all', path: '/', landmark: { role: 'heading', name: 'todos' } },
        {
          kind: 'page',
          name: 'completed',
          path: '/#/completed',
          landmark: { role: 'heading', name: 'todos' },
        },
      ],
      checkTimeoutMs: 15_000,
      concurrency: 2,
      retries: 0,
    });
    expectNeverChanged(await sealUnchangedSixTimes('todomvc', site.url, todomvc), 2);
  }, 300_000);
});
