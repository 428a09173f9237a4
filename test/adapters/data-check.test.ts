// Status and page checks against local servers that behave like real apps (issue 14), in real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { composeSpec } from '../../functions/core/compose-spec';
import { defaultSpec } from '../../functions/core/default-spec';
import { runSpec, type SpecRun } from '../../functions/core/run-spec';
import { type Spec, type SpecInput, SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';
import { type LocalSite, startRailsLikeApp, startSinglePageApp } from '../fixtures/real-app-sites';

const launcher = new ChromiumLauncher();
let rails: LocalSite;
let exposed: LocalSite;
let spa: LocalSite;

beforeAll(async () => {
  [rails, exposed, spa] = await Promise.all([
    startRailsLikeApp({ basePath: '/redmine', issuesWithoutList: false }),
    startRailsLikeApp({ basePath: '/redmine', adminExposed: true }),
    startSinglePageApp(),
  ]);
});
afterAll(async () => {
  await Promise.all([rails.close(), exposed.close(), spa.close()]);
});

/** The default spec with only its paths overridden (and the admin paths allowed to redirect to /login). */
const railsSpec = composeSpec(defaultSpec, {
  override: {
    'sign-in': { path: '/login' },
    tasks: { name: 'issues', path: '/issues' },
    devops: { path: '/admin', redirectsTo: '/login' },
    'devops-cycle': { path: '/admin/projects', status: [404, 401, 403], redirectsTo: '/login' },
  },
  checkTimeoutMs: 10_000,
});

function spec(checks: SpecInput['checks'], extra: Partial<SpecInput> = {}): Spec {
  return SpecSchema.parse({ checks, checkTimeoutMs: 10_000, ...extra });
}

function seal(run: SpecRun) {
  return decideVerdict(
    run.checks.map((check) => ({ ...check, attempts: [] })),
    run.toolingError,
  );
}

function named(run: SpecRun, name: string) {
  const found = run.checks.find((check) => check.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

describe('checks that fit real apps', () => {
  it('seals a server-rendered app under a base path green: unnamed sign-in form, admin redirecting to /login', async () => {
    const run = await runSpec({ spec: railsSpec, baseUrl: rails.url, launcher, deadlineMs: 60_000 });
    expect(run.checks.map((check) => [check.name, check.outcome, check.error])).toEqual([
      ['home', 'passed', null],
      ['sign-in', 'passed', null],
      ['issues', 'passed', null],
      ['up', 'passed', null],
      ['devops', 'passed', null],
      ['devops-cycle', 'passed', null],
    ]);
    // The base path is kept on every check and on the probe.
    expect(named(run, 'sign-in').url).toBe(`${rails.origin}/redmine/login`);
    expect(rails.log.filter((line) => !line.startsWith('GET /redmine/'))).toEqual([]);
    expect(rails.log.some((line) => line.startsWith('GET /redmine/smoke-seal-not-found-'))).toBe(true);
    // No false red on pages that share the layout of the app's 404 page.
    expect(seal(run).status).toBe('green');
  });

  it('names the redirect when an admin path redirects elsewhere than expected', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'status', name: 'admin', path: '/admin', status: 404 }], { retries: 0 }),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    expect(named(run, 'admin').error).toBe('/admin redirected to /redmine/login?back_url=… (expected 404)');
    const attempt = named(run, 'admin').attempts[0]!;
    expect(attempt.redirectChain).toEqual([
      { url: `${rails.origin}/redmine/admin`, status: 302 },
      { url: expect.stringContaining(`${rails.origin}/redmine/login?back_url=`), status: 200 },
    ]);
  });

  it('says "admin surface exposed" when /admin answers 200 itself, with redirectsTo set', async () => {
    const run = await runSpec({ spec: railsSpec, baseUrl: exposed.url, launcher, deadlineMs: 60_000 });
    expect(named(run, 'devops')).toMatchObject({
      outcome: 'failed',
      error: '/admin answered 200, expected 404 or a redirect to /login (admin surface exposed)',
    });
    expect(named(run, 'devops-cycle').outcome).toBe('passed');
    expect(seal(run).status).toBe('red');
  });

  it('passes a listed 3xx on the first response, which is not the status after redirects', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'status', name: 'moved', path: '/old', status: [301] }]),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    expect(named(run, 'moved')).toMatchObject({ outcome: 'passed', httpStatus: 200 });
  });

  it('records the redirect chain and the final URL of a page check', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'moved', path: '/old', landmark: { role: 'list' } }]),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    const attempt = named(run, 'moved').attempts[0]!;
    expect(attempt.outcome).toBe('passed');
    expect(attempt.finalUrl).toBe(`${rails.origin}/redmine/issues`);
    expect(attempt.redirectChain?.map((hop) => hop.status)).toEqual([301, 302, 200]);
  });

  it("fails a page check that lands on a single-page app's own not-found page, answered 200", async () => {
    const run = await runSpec({
      spec: spec([
        { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
        { kind: 'page', name: 'gone', path: '/-/web/detail/left-pad', landmark: { role: 'heading' } },
        { kind: 'page', name: 'sign-in', path: '/-/web/login', landmark: { form: 'sign-in' } },
      ]),
      baseUrl: spa.url,
      launcher,
      deadlineMs: 60_000,
    });
    expect(named(run, 'home').outcome).toBe('passed');
    expect(named(run, 'sign-in').outcome).toBe('passed');
    expect(named(run, 'gone')).toMatchObject({
      outcome: 'failed',
      httpStatus: 200,
      error: 'the page is the app\'s not-found page ("Sorry, we couldn\'t find it...")',
    });
    expect(seal(run).summary).toContain("gone: the page is the app's not-found page");
    // One probe per seal, however many page checks.
    expect(spa.log.filter((line) => line.includes('smoke-seal-not-found-'))).toHaveLength(1);
  });

  it('keeps a single-page app green whose router sends unknown paths to the home page', async () => {
    const redirecting = await startSinglePageApp({ unknownRoutes: 'home' });
    try {
      const run = await runSpec({
        spec: spec([
          { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
          { kind: 'page', name: 'sign-in', path: '/-/web/login', landmark: { form: 'sign-in' } },
        ]),
        baseUrl: redirecting.url,
        launcher,
        deadlineMs: 60_000,
      });
      expect(run.checks.map((check) => [check.name, check.outcome, check.error])).toEqual([
        ['home', 'passed', null],
        ['sign-in', 'passed', null],
      ]);
      expect(redirecting.log.filter((line) => line.includes('smoke-seal-not-found-'))).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });

  it('fails a missing landmark on a settled page without waiting out the budget, and says so', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'issues', path: '/issues', landmark: { role: 'table' } }], {
        checkTimeoutMs: 60_000,
      }),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 120_000,
    });
    // "not visible" alone is the settled rule; a budget that ran out says "within 60000 ms".
    expect(named(run, 'issues')).toMatchObject({ outcome: 'failed', error: 'landmark table not visible' });
    expect(named(run, 'issues').attempts).toHaveLength(2);
  });

  it('keeps failed subresources with URL, method and status, and uncaught errors with their stack', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'broken', path: '/broken', landmark: { role: 'heading' } }], {
        retries: 0,
      }),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    const attempt = named(run, 'broken').attempts[0]!;
    expect(attempt.outcome).toBe('failed');
    expect(attempt.failedRequests).toEqual([
      { method: 'GET', url: `${rails.origin}/redmine/missing.png`, status: 500, failure: null },
    ]);
    expect(attempt.consoleErrors.filter((text) => text.startsWith('Failed to load resource'))).toEqual([]);
    expect(attempt.pageErrorDetails?.[0]?.message).toBe('uncaught ReferenceError: board is not defined');
    expect(attempt.pageErrorDetails?.[0]?.stack).toContain(`${rails.origin}/redmine/app.js:1`);
    // A failed page gets a full-page capture beside its viewport screenshot.
    expect(attempt.fullPagePng && Buffer.from(attempt.fullPagePng).subarray(1, 4).toString()).toBe('PNG');
  });

  it('takes no blank picture when nothing rendered, and says why', async () => {
    const gone = await startSinglePageApp();
    const url = gone.url;
    await gone.close();
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } }], { retries: 0 }),
      baseUrl: url,
      launcher,
      deadlineMs: 30_000,
    });
    const attempt = named(run, 'home').attempts[0]!;
    expect(attempt.screenshotPng).toBeNull();
    expect(attempt.screenshotMissing).toBe('nothing rendered: / unreachable: connection refused');
  });

  it('keeps a screenshot of a check that timed out on a page that rendered', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'slow', path: '/slow', landmark: { role: 'heading' } }], {
        retries: 0,
        checkTimeoutMs: 1_500,
      }),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    const attempt = named(run, 'slow').attempts[0]!;
    expect(attempt).toMatchObject({ outcome: 'failed', error: '/slow did not finish within 1500 ms' });
    expect(attempt.screenshotPng && Buffer.from(attempt.screenshotPng).subarray(1, 4).toString()).toBe('PNG');
  });

  it('has no 404 note on a status check that correctly got 404', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'status', name: 'gone', path: '/nothing-here', status: 404 }]),
      baseUrl: rails.url,
      launcher,
      deadlineMs: 30_000,
    });
    const attempt = named(run, 'gone').attempts[0]!;
    expect(attempt.outcome).toBe('passed');
    expect(attempt.consoleErrors).toEqual([]);
    expect(attempt.failedRequests).toEqual([]);
  });
});
