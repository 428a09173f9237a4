// The team's spec under Playwright Test itself, with real Chromium against real servers on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../../e2e/demo-site';
import { processesNaming } from '../../../functions/adapters/playwright-spec/kill-runner-tree';
import { NODE_FENCE_MARK } from '../../../functions/adapters/playwright-spec/node-network-fence';
import { PlaywrightSpecError } from '../../../functions/adapters/playwright-spec/playwright-spec-error';
import { PlaywrightSuite } from '../../../functions/adapters/playwright-spec/playwright-suite';
import { BROWSER_UNRESPONSIVE } from '../../../functions/core/checker-fault';
import type { SuiteRun } from '../../../functions/core/ports';
import { type ScriptedServer, startScriptedServer } from '../../fixtures/scripted-http-server';

const SPECS = join(import.meta.dirname, '../../fixtures/playwright-specs');
const RUN_MS = 240_000;

function byName(run: SuiteRun, name: string) {
  const check = run.checks.find((candidate) => candidate.name === name);
  if (!check) throw new Error(`no check "${name}" in ${run.checks.map((c) => c.name).join(', ')}`);
  return check;
}

/** What a check came to, in one line: a failing assertion shows the outcome and the message together. */
function seen(check: { outcome: string; error: string | null }): string {
  return `${check.outcome}: ${check.error ?? '(no message)'}`;
}

/** Asserts a check's outcome, printing its message when the outcome differs. */
function expectOutcome(run: SuiteRun, name: string, outcome: string) {
  const check = byName(run, name);
  expect(check.outcome, seen(check)).toBe(outcome);
  return check;
}

/** One seal of a fixture spec folder and its own playwright.config.ts against `site`, one worker. */
function runFixture(folder: string, site: DemoSite, timeoutMs: number): Promise<SuiteRun> {
  const suite = new PlaywrightSuite({
    specPaths: [join(SPECS, folder)],
    teamConfig: join(SPECS, folder, 'playwright.config.ts'),
    retries: 0,
    timeoutMs,
    workers: 1,
    where: '--spec',
  });
  return suite.run({
    target: { baseUrl: site.url, appHosts: [new URL(site.url).host] },
    deadlineMs: RUN_MS - 20_000,
  });
}

describe('a careless spec', () => {
  let site: DemoSite;
  let run: SuiteRun;

  beforeAll(async () => {
    site = await startDemoSite();
    run = await runFixture('careless', site, 15_000);
  }, RUN_MS);

  afterAll(async () => {
    await site?.close();
  });

  it("writes nothing to the server from the browser or from the spec's Node code", () => {
    const writes = site.requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
    expect(writes).toEqual([]);
    expect(site.requests.filter((request) => request.path.startsWith('/write'))).toEqual([]);
    // It ran: the page test reached the server through the proxy.
    expect(site.requests.some((request) => request.path === '/')).toBe(true);
  });

  it.each([
    'fetch',
    'http.request',
    'net.connect',
    'curl',
    'spawned curl',
    'worker thread',
    'getBuiltinModule',
    'createRequire',
    'computed import',
    'a request context of its own, no proxy',
  ])("makes %s's test unfinished, the guard's refusal, never red", (name) => {
    const check = expectOutcome(run, `[chromium] ${name}`, 'unfinished');
    expect(check.error).toContain(NODE_FENCE_MARK);
  });

  it('answers the request fixture and the page locally, and lists every refusal', () => {
    expectOutcome(run, '[chromium] the request fixture', 'passed');
    expectOutcome(run, '[chromium] a page', 'passed');
    const refused = run.refused.requests.map((request) => `${request.method} ${request.url}`);
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST .*\/write\/fixture$/),
        expect.stringMatching(/^POST .*\/write\/page$/),
        expect.stringMatching(/^NODE /),
      ]),
    );
    expect(
      run.checks.filter((check) => check.outcome === 'failed').map((c) => `${c.name}: ${seen(c)}`),
    ).toEqual([]);
  });
});

describe('a test whose own write the guard refused (a careless @qa-readonly tag)', () => {
  let site: DemoSite;
  let run: SuiteRun;

  beforeAll(async () => {
    site = await startDemoSite();
    run = await runFixture('own-writes', site, 20_000);
  }, RUN_MS);

  afterAll(async () => {
    await site?.close();
  });

  it.each([
    ['signs in through the form @qa-readonly', "POST /session, a form's submission"],
    ['creates a task through the API @qa-readonly', "POST /api/tasks, Playwright's request context"],
  ])('makes "%s" unfinished, naming the refused write, never red', (name, write) => {
    const check = expectOutcome(run, `[chromium] ${name}`, 'unfinished');
    expect(check.error).toContain(`the read-only guard refused a write the test sent itself (${write})`);
    expect(check.error).toContain('sign in with a storage state');
  });

  it("still fails a read-only test that fails on its own (production's fault), and passes the healthy one", () => {
    const failed = expectOutcome(
      run,
      '[chromium] finds a heading the page does not have @qa-readonly',
      'failed',
    );
    expect(failed.error).toContain('Not on this page');
    expectOutcome(run, '[chromium] renders the home page @qa-readonly', 'passed');
  });

  it('lets neither write reach the server', () => {
    expect(site.requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD')).toEqual(
      [],
    );
    expect(
      run.refused.requests.map((group) => `${group.method} ${new URL(group.url).pathname}`).sort(),
    ).toEqual(['POST /api/tasks', 'POST /session']);
  });
});

describe('verdicts as Playwright gives them', () => {
  let server: ScriptedServer;
  let run: SuiteRun;
  let tmpRoot: string;

  beforeAll(async () => {
    tmpRoot = await mkdtemp(join(tmpdir(), 'suite-test-'));
    server = await startScriptedServer((request) => {
      if (request.url === '/broken') return { status: 500, body: 'down' };
      return {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><title>T</title><h1 data-qa="greeting">Hello</h1>',
      };
    });
    const suite = new PlaywrightSuite({
      specPaths: [join(SPECS, 'verdicts')],
      teamConfig: join(SPECS, 'verdicts/playwright.config.ts'),
      grep: '@qa',
      retries: 0,
      timeoutMs: 15_000,
      workers: 2,
      where: '--spec',
      tmpRoot,
    });
    run = await suite.run({
      target: { baseUrl: server.origin, appHosts: [new URL(server.origin).host] },
      deadlineMs: RUN_MS - 20_000,
    });
  }, RUN_MS);

  afterAll(async () => {
    await server?.close();
    await rm(tmpRoot, { recursive: true, force: true });
  });

  it("passes a test that passes, with the team's project and test id attribute", () => {
    const check = byName(run, '[mobile] passes @qa');
    expect({ outcome: check.outcome, error: check.error }).toEqual({ outcome: 'passed', error: null });
  });

  it('hands a spec that asks @sparticuz/chromium for its binary the seal browser, not a second copy', () => {
    expectOutcome(run, '[mobile] finds the seal browser through @sparticuz/chromium @qa', 'passed');
  });

  it("fails a failing test red with Playwright's own message, and keeps its evidence", () => {
    const check = expectOutcome(run, '[mobile] fails @qa', 'failed');
    expect(check.error).toContain('toHaveText');
    expect(check.error).toContain('Goodbye');
    // A healthy page that failed an assertion: the probe found it answering, no label.
    expect(check.error).not.toContain('page stopped responding');
    expect(check.playwright).toMatchObject({ project: 'mobile', file: 'verdicts.spec.ts', line: 21 });
    const attempt = check.attempts[0]!;
    expect(attempt.screenshotPng?.length).toBeGreaterThan(100);
    const kinds = (attempt.artifactBytes ?? []).map((artifact) => artifact.kind).sort();
    expect(kinds).toEqual(['error-context', 'trace']);
    const context = (attempt.artifactBytes ?? []).find((artifact) => artifact.kind === 'error-context')!;
    expect(Buffer.from(context.bytes).toString('utf8')).toContain('Hello');
  });

  it('fails a test whose fixture sees production fail, as Playwright does', () => {
    const check = expectOutcome(run, '[mobile] fixture sees production fail @qa', 'failed');
    expect(check.error).toContain('500');
  });

  it('counts a skipped test neither way, and an expected failure as passed', () => {
    expectOutcome(run, '[mobile] skipped @qa', 'skipped');
    expectOutcome(run, '[mobile] expected to fail @qa', 'passed');
  });

  it('gives every test a fresh context: nothing one test stores is seen by the next', () => {
    expectOutcome(run, '[mobile] no leak from the previous test @qa', 'passed');
    expectOutcome(run, '[mobile] no leak either @qa', 'passed');
  });

  it('lists a WebKit project as skipped, with the reason', () => {
    const check = expectOutcome(run, '[webkit] (project skipped)', 'skipped');
    expect(check.error).toContain('webkit');
  });

  it('leaves no browser or runner behind', async () => {
    expect(await processesNaming(tmpRoot)).toEqual([]);
  });
});

describe('a browser killed mid-run', () => {
  it(
    'is the checker fault: the test is unfinished, the run has a tooling error, nothing is red',
    async () => {
      const tmpRoot = await mkdtemp(join(tmpdir(), 'suite-kill-'));
      let killed = 0;
      const server = await startScriptedServer((request) => {
        if (request.url === '/hang') {
          // Kill every Chromium process of this run while the page waits for us.
          void processesNaming(tmpRoot).then((pids) => {
            for (const pid of pids) {
              try {
                const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
                if (!cmdline.includes('--user-data-dir')) continue;
                process.kill(pid, 'SIGKILL');
                killed++;
              } catch {
                // gone
              }
            }
          });
          return { status: 200, body: 'late', delayMs: 30_000 };
        }
        return { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Hi</h1>' };
      });
      try {
        const suite = new PlaywrightSuite({
          specPaths: [join(SPECS, 'verdicts/verdicts.spec.ts')],
          teamConfig: join(SPECS, 'verdicts/playwright.config.ts'),
          grep: '@kill',
          retries: 0,
          timeoutMs: 20_000,
          workers: 1,
          where: '--spec',
          tmpRoot,
        });
        const run = await suite.run({
          target: { baseUrl: server.origin, appHosts: [new URL(server.origin).host] },
          deadlineMs: RUN_MS - 20_000,
        });
        expect(killed).toBeGreaterThan(0);
        expectOutcome(run, '[mobile] browser killed @kill', 'unfinished');
        expect(run.toolingError).not.toBeNull();
        expect(run.checks.filter((c) => c.outcome === 'failed').map((c) => `${c.name}: ${seen(c)}`)).toEqual(
          [],
        );
      } finally {
        await server.close();
        await rm(tmpRoot, { recursive: true, force: true });
      }
    },
    RUN_MS,
  );
});

/** Every Chromium process of the runs under `tmpRoot` (their profiles are there). */
async function chromiumUnder(tmpRoot: string): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of await processesNaming(tmpRoot)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--user-data-dir')) pids.push(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

describe('a test that fails by a timeout: the browser probe', () => {
  let server: ScriptedServer;
  let tmpRoot: string;

  beforeAll(async () => {
    tmpRoot = await mkdtemp(join(tmpdir(), 'suite-probe-'));
  });

  afterAll(async () => {
    await server?.close();
    await rm(tmpRoot, { recursive: true, force: true });
  });

  function suiteOf(grep: string) {
    return new PlaywrightSuite({
      specPaths: [join(SPECS, 'verdicts/verdicts.spec.ts')],
      teamConfig: join(SPECS, 'verdicts/playwright.config.ts'),
      grep,
      retries: 0,
      timeoutMs: 15_000,
      workers: 1,
      where: '--spec',
      tmpRoot,
    });
  }

  it(
    'is red naming "page stopped responding" when the page spins and the browser answers; a slow server is red alone',
    async () => {
      server = await startScriptedServer((request) => {
        if (request.url === '/slow') return { status: 200, body: 'late', delayMs: 60_000 };
        return {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: "<!doctype html><h1>Spin</h1><script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 100));</script>",
        };
      });
      const run = await suiteOf('@wedged').run({
        target: { baseUrl: server.origin, appHosts: [new URL(server.origin).host] },
        deadlineMs: RUN_MS - 20_000,
      });
      const wedged = expectOutcome(run, '[mobile] page wedged @wedged', 'failed');
      expect(wedged.error).toMatch(/^page stopped responding \(http:\/\/127\.0\.0\.1:\d+\/spin\)/);
      expect(wedged.error).toContain('Test timeout of 10000ms exceeded');
      const slow = expectOutcome(run, '[mobile] server slow @wedged', 'failed');
      expect(slow.error).toContain('Test timeout of 10000ms exceeded');
      expect(slow.error).not.toContain('page stopped responding');
      expect(run.toolingError).toBeNull();
    },
    RUN_MS,
  );

  it(
    'is inconclusive, never red, when the browser itself stopped (SIGSTOP) under the test',
    async () => {
      const stopped: number[] = [];
      await server?.close();
      server = await startScriptedServer((request) => {
        if (request.url === '/stop') {
          void chromiumUnder(tmpRoot).then((pids) => {
            stopped.push(...pids);
            signalAll(pids, 'SIGSTOP');
          });
          return { status: 200, body: 'never seen', delayMs: 60_000 };
        }
        return { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>Hi</h1>' };
      });
      // Once the probe has written its answer, the stopped browser is killed, as the seal's deadline would.
      let probed = false;
      const watcher = setInterval(() => {
        void (async () => {
          for (const dir of await readdir(tmpRoot).catch(() => [] as string[])) {
            const text = await readFile(join(tmpRoot, dir, 'probe.jsonl'), 'utf8').catch(() => '');
            if (text.includes('"browser":"silent"') && !probed) {
              probed = true;
              signalAll(stopped, 'SIGKILL');
            }
          }
        })();
      }, 200);
      try {
        const run = await suiteOf('@stopped').run({
          target: { baseUrl: server.origin, appHosts: [new URL(server.origin).host] },
          deadlineMs: RUN_MS - 20_000,
        });
        expect(stopped.length).toBeGreaterThan(0);
        expect(probed).toBe(true);
        const check = expectOutcome(run, '[mobile] browser stopped @stopped', 'unfinished');
        expect(check.error).toBe(BROWSER_UNRESPONSIVE);
        expect(run.toolingError).toBe(BROWSER_UNRESPONSIVE);
        expect(run.checks.filter((c) => c.outcome === 'failed').map((c) => `${c.name}: ${seen(c)}`)).toEqual(
          [],
        );
      } finally {
        clearInterval(watcher);
        signalAll(stopped, 'SIGKILL');
      }
    },
    RUN_MS,
  );
});

describe('a spec the run cannot use, found by its one start (no --list before it)', () => {
  let server: ScriptedServer;
  let unloadable: string;

  beforeAll(async () => {
    server = await startScriptedServer(() => ({ status: 200, body: 'ok' }));
    // Outside the repository (synth's listing of a fixture folder must never meet it): no import needed to break.
    unloadable = await mkdtemp(join(tmpdir(), 'suite-unloadable-'));
    await writeFile(
      join(unloadable, 'unloadable.spec.ts'),
      "throw new Error('this spec breaks at load');\nexport {};\n",
    );
  });

  afterAll(async () => {
    await server?.close();
    await rm(unloadable, { recursive: true, force: true });
  });

  function suiteOf(spec: 'verdicts' | 'unloadable', grep: string, unusableSpec?: 'throw') {
    return new PlaywrightSuite({
      specPaths: [spec === 'verdicts' ? join(SPECS, spec) : unloadable],
      teamConfig: spec === 'verdicts' ? join(SPECS, 'verdicts/playwright.config.ts') : null,
      grep,
      retries: 0,
      timeoutMs: 15_000,
      workers: 1,
      where: '--spec',
      ...(unusableSpec ? { unusableSpec } : {}),
    });
  }

  function runOf(suite: PlaywrightSuite) {
    return suite.run({
      target: { baseUrl: server.origin, appHosts: [new URL(server.origin).host] },
      deadlineMs: RUN_MS - 20_000,
    });
  }

  it(
    "is the run's tooling error (Lambda: inconclusive) naming grep when no test matches, with no check",
    async () => {
      const run = await runOf(suiteOf('verdicts', '@nothing-matches'));
      expect(run.checks).toEqual([]);
      expect(run.toolingError).toMatch(/^--grep: no test in .* matches "@nothing-matches"/);
      expect(run.toolingError).toContain('projects left out: webkit');
    },
    RUN_MS,
  );

  it(
    "throws the spec's load error for the CLI (exit 64), in list()'s words",
    async () => {
      const error = await runOf(suiteOf('unloadable', '@qa', 'throw')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PlaywrightSpecError);
      expect((error as Error).message).toMatch(
        /^--spec: the spec failed to load: .*this spec breaks at load/,
      );
      const listed = await suiteOf('unloadable', '@qa')
        .list()
        .catch((caught: unknown) => caught);
      expect((listed as Error).message).toMatch(
        /^--spec: the spec failed to load: .*this spec breaks at load/,
      );
    },
    RUN_MS,
  );
});

describe('checking a spec before a seal (--list, at synth)', () => {
  it(
    'names grep when no test matches, and the projects it left out',
    async () => {
      const suite = new PlaywrightSuite({
        specPaths: [join(SPECS, 'verdicts')],
        teamConfig: join(SPECS, 'verdicts/playwright.config.ts'),
        grep: '@nothing-matches',
        retries: 0,
        timeoutMs: 15_000,
        where: '--spec',
      });
      const error = await suite.list().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PlaywrightSpecError);
      expect((error as Error).message).toMatch(/^--grep: no test in .* matches "@nothing-matches"/);
    },
    RUN_MS,
  );

  it(
    'lists the tests Playwright would run',
    async () => {
      const suite = new PlaywrightSuite({
        specPaths: [join(SPECS, 'verdicts')],
        teamConfig: join(SPECS, 'verdicts/playwright.config.ts'),
        grep: 'passes',
        retries: 0,
        timeoutMs: 15_000,
        where: '--spec',
      });
      expect(await suite.list()).toEqual([
        { project: 'mobile', file: 'verdicts.spec.ts', line: 15, column: 1, titlePath: ['passes @qa'] },
      ]);
    },
    RUN_MS,
  );
});
