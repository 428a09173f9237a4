// Real Chromium (@sparticuz/chromium) against the demo site on 127.0.0.1.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoFault, type DemoSite, startDemoSite } from '../../e2e/demo-site';
import {
  ChromiumLauncher,
  chromiumArgs,
  INSECURE_CHROMIUM_FLAGS,
} from '../../functions/adapters/chromium-browser';
import { scriptChecks } from '../../functions/adapters/script-checks';
import { defaultSpec } from '../../functions/core/default-spec';
import type { BrowserTarget } from '../../functions/core/ports';
import { runSpec, type SpecRun } from '../../functions/core/run-spec';
import { type Spec, SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';

let site: DemoSite;
const launcher = new ChromiumLauncher({ scripts: scriptChecks });
/**
 * The default lane with its own per-attempt budget (15 s): a busy machine must not turn a healthy page
 * into a timeout. Only the test of a slow page shortens it, for the one check it is about.
 */
const fastSpec: Spec = defaultSpec;
/** Room for a launch and six checks on a busy 2-core machine; tests of the deadline set their own. */
const ROOMY_DEADLINE_MS = 120_000;

beforeAll(async () => {
  site = await startDemoSite({ slowMs: 10_000 });
});
afterAll(async () => {
  await site.close();
});
beforeEach(() => {
  site.setFaults([]);
  site.clearLog();
});

async function sealWith(
  faults: DemoFault[],
  spec: Spec = fastSpec,
  deadlineMs = ROOMY_DEADLINE_MS,
): Promise<SpecRun> {
  site.setFaults(faults);
  return runSpec({ spec, baseUrl: site.url, launcher, deadlineMs });
}

function check(run: SpecRun, name: string) {
  const found = run.checks.find((result) => result.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

function verdictOf(run: SpecRun) {
  return decideVerdict(
    run.checks.map((result) => ({ ...result, attempts: [] })),
    run.toolingError,
  );
}

describe('ChromiumLauncher against the demo site', () => {
  it('seals a healthy site green, with a screenshot of every rendered page', async () => {
    const run = await sealWith([]);
    expect(verdictOf(run)).toEqual({ status: 'green', summary: 'green: all 6 checks passed' });
    // Every check's passing attempt has its picture, or says why not: the screenshot has its own 5 s budget
    // (attempt-evidence.ts), which a machine at load 30 can overrun. A busy machine may also make a check
    // retry: retries are not counted here.
    let pictures = 0;
    for (const result of run.checks) {
      const last = result.attempts.at(-1)!;
      if (last.screenshotPng) {
        expect(Buffer.from(last.screenshotPng).subarray(1, 4).toString(), result.name).toBe('PNG');
        pictures += 1;
      } else {
        expect(last.consoleErrors.join('\n'), result.name).toMatch(/smoke-seal: screenshot failed/);
      }
    }
    expect(pictures).toBeGreaterThan(0);
    expect(check(run, 'up').httpStatus).toBe(200);
    expect(check(run, 'devops').httpStatus).toBe(404);
  });

  it.each<[DemoFault, string, RegExp]>([
    ['up-500', 'up', /^\/up answered 500, expected 200$/],
    ['tasks-throws', 'tasks', /^uncaught ReferenceError: renderTasks is not defined$/],
    ['home-slow', 'home', /^\/ did not finish within 3000 ms$/],
    ['sign-in-missing-form', 'sign-in', /^landmark sign-in form not visible$/],
    ['devops-exposed', 'devops', /^\/devops answered 200, expected 404 \(admin surface exposed\)$/],
    ['tasks-redirect-loop', 'tasks', /^\/tasks redirect loop \(too many redirects\)$/],
  ])('seals red on %s, naming the failing check', async (fault, name, error) => {
    // The slow page is slower (10 s) than a 3 s budget; that budget is given to its one check only.
    const spec =
      fault === 'home-slow'
        ? {
            ...defaultSpec,
            checkTimeoutMs: 3_000,
            checks: defaultSpec.checks.filter((c) => c.name === 'home'),
          }
        : fastSpec;
    const run = await sealWith([fault], spec);
    const verdict = verdictOf(run);
    expect(verdict.status).toBe('red');
    expect(check(run, name)).toMatchObject({ outcome: 'failed' });
    expect(check(run, name).error).toMatch(error);
    expect(check(run, name).attempts).toHaveLength(2);
    // The summary names the failure (paths that failed alike share one phrase).
    expect(verdict.summary).toContain(check(run, name).error!.replace(`${check(run, name).path} `, ''));
    const others = run.checks.filter(
      (result) => result.name !== name && !(fault === 'devops-exposed' && result.name === 'devops-cycle'),
    );
    expect(others.every((result) => result.outcome === 'passed')).toBe(true);
  });

  it('keeps a screenshot of where a failed check failed', async () => {
    const run = await sealWith(['sign-in-missing-form']);
    const attempts = check(run, 'sign-in').attempts;
    expect(attempts.every((attempt) => attempt.screenshotPng !== null)).toBe(true);
  });

  it('refuses the POST and the WebSocket a page makes on load, and none reaches the site', async () => {
    const run = await sealWith(['home-posts-on-load']);
    expect(verdictOf(run).status).toBe('green');
    // One POST and one WebSocket per load of the home page (a busy machine may load it twice).
    expect(run.refused.count).toBe(2 * check(run, 'home').attempts.length);
    expect(
      run.refused.requests.map((request) => `${request.method} ${new URL(request.url).pathname}`).sort(),
    ).toEqual(['POST /api/visits', 'WEBSOCKET /cable']);
    // The proof is the site's own log: only reads arrived.
    const home = site.requests.filter((request) => request.path === '/');
    expect(home.length).toBeGreaterThan(0);
    expect(site.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('records the retry when a check fails once and then passes', async () => {
    const run = await sealWith(['up-flaky']);
    const up = check(run, 'up');
    expect(up.outcome).toBe('passed');
    expect(up.attempts.map((attempt) => [attempt.outcome, attempt.httpStatus])).toEqual([
      ['failed', 503],
      ['passed', 200],
    ]);
    expect(verdictOf(run).status).toBe('green');
  });

  it('holds the overall deadline against a page that never answers', async () => {
    const spec = SpecSchema.parse({ ...defaultSpec, checkTimeoutMs: 60_000 });
    // 15 s: a launch on a busy machine fits, and the hanging page still meets the deadline, not its 60 s budget.
    const run = await sealWith(['home-hangs'], spec, 15_000);
    const home = check(run, 'home');
    expect(home.outcome).toBe('unfinished');
    expect(home.error).toBe('cut off by the seal deadline');
    // The others passed, or (on a busy machine) were cut off too: never failed, never a false red.
    const others = run.checks.filter((result) => result.name !== 'home');
    expect(others.every((result) => result.outcome === 'passed' || result.outcome === 'unfinished')).toBe(
      true,
    );
    expect(verdictOf(run).status).toBe('inconclusive');
  });

  it('seals an unreachable production red, not inconclusive', async () => {
    const closed = await startDemoSite();
    const url = closed.url;
    await closed.close();
    const spec = SpecSchema.parse({ ...defaultSpec, retries: 0 });
    const run = await runSpec({ spec, baseUrl: url, launcher, deadlineMs: ROOMY_DEADLINE_MS });
    const verdict = verdictOf(run);
    expect(verdict.status).toBe('red');
    expect(check(run, 'up').error).toBe('/up unreachable: connection refused');
  });

  it('runs a script check registered in code and referenced by name', async () => {
    const spec = SpecSchema.parse({
      checks: [
        { kind: 'script', name: 'rows', path: '/tasks', script: 'tasks-have-rows' },
        { kind: 'script', name: 'missing', path: '/tasks', script: 'no-such-script' },
      ],
      retries: 0,
    });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: ROOMY_DEADLINE_MS });
    expect(check(run, 'rows').outcome).toBe('passed');
    expect(check(run, 'missing').error).toBe('no script check named "no-such-script" is registered');
  });

  it('removes its profile directory after the seal', async () => {
    // Its own root, so a browser another test launches meanwhile cannot make this fail.
    const profileRoot = await mkdtemp(join(tmpdir(), 'smoke-seal-profile-test-'));
    try {
      const own = new ChromiumLauncher({ scripts: scriptChecks, profileRoot });
      let during: string[] = [];
      const watching = {
        launch: async (target: BrowserTarget) => {
          const session = await own.launch(target);
          during = await readdir(profileRoot);
          return session;
        },
      };
      await runSpec({ spec: fastSpec, baseUrl: site.url, launcher: watching, deadlineMs: ROOMY_DEADLINE_MS });
      expect(during).toHaveLength(1);
      expect(await readdir(profileRoot)).toEqual([]);
    } finally {
      await rm(profileRoot, { recursive: true, force: true });
    }
  });

  it('drops the insecure flags of @sparticuz/chromium and keeps the rest', () => {
    const args = chromiumArgs();
    for (const flag of INSECURE_CHROMIUM_FLAGS) expect(args).not.toContain(flag);
    expect(args).toContain('--no-sandbox');
  });
});

describe('a browser that cannot start', () => {
  it('is a tooling error, which makes the seal inconclusive', async () => {
    const broken = new ChromiumLauncher({ executablePath: '/nonexistent/chromium' });
    const run = await runSpec({ spec: fastSpec, baseUrl: site.url, launcher: broken, deadlineMs: 10_000 });
    expect(run.toolingError).toMatch(/^Chromium failed to launch: /);
    expect(verdictOf(run).status).toBe('inconclusive');
  });
});
