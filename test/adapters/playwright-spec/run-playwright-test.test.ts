// An app's Playwright spec run inside a seal: real Chromium, the demo site on 127.0.0.1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoFault, type DemoSite, startDemoSite } from '../../../e2e/demo-site';
import { ChromiumLauncher } from '../../../functions/adapters/chromium-browser';
import { PlaywrightTests } from '../../../functions/adapters/playwright-spec/playwright-tests';
import { preparePlaywrightSpec } from '../../../functions/adapters/playwright-spec/prepare-playwright-spec';
import { testChecks } from '../../../functions/adapters/playwright-spec/select-tests';
import { runSpec, type SpecRun } from '../../../functions/core/run-spec';
import { decideVerdict } from '../../../functions/core/verdict';

const ROOT = join(import.meta.dirname, '../../..');
let site: DemoSite;
let dir: string;
let count = 0;

beforeAll(async () => {
  site = await startDemoSite();
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-run-spec-'));
});
afterAll(async () => {
  await site.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  site.setFaults([]);
  site.clearLog();
});

/** Prepares a spec file (relative to the repository, or written from source) and seals the demo site with it. */
async function seal(
  spec: { file: string } | { source: string },
  faults: DemoFault[] = [],
  retries = 0,
): Promise<SpecRun> {
  let file: string;
  let baseDir = ROOT;
  if ('file' in spec) file = spec.file;
  else {
    file = `case-${++count}.spec.ts`;
    baseDir = dir;
    await writeFile(join(dir, file), spec.source);
  }
  const selected = await preparePlaywrightSpec({
    config: { files: file, grep: '@qa-readonly' },
    baseDir,
    outFile: join(dir, `bundle-${++count}.mjs`),
    where: 'spec',
  });
  const tests = new PlaywrightTests();
  tests.add('demo', selected);
  site.setFaults(faults);
  return runSpec({
    spec: { checks: testChecks('demo', selected), checkTimeoutMs: 8_000, concurrency: 4, retries },
    baseUrl: site.url,
    launcher: new ChromiumLauncher({ playwrightTests: tests }),
    deadlineMs: 60_000,
  });
}

function outcomes(run: SpecRun): Record<string, string> {
  return Object.fromEntries(
    run.checks.map((check) => [check.name.replace('demo @qa-readonly › ', ''), check.outcome]),
  );
}

function errorOf(run: SpecRun, name: string): string {
  return run.checks.find((check) => check.name === `demo @qa-readonly › ${name}`)?.error ?? '';
}

const verdictOf = (run: SpecRun) =>
  decideVerdict(
    run.checks.map((check) => ({ ...check, attempts: [] })),
    run.toolingError,
  );

const EVERY_API = { file: 'test/fixtures/playwright-specs/every-api.spec.ts' };
const HEADER = "import { test, expect } from '@playwright/test';\n";

describe('a Playwright spec in a seal', () => {
  it('runs every supported API green against a healthy site, skips counted apart', async () => {
    const run = await seal(EVERY_API);
    expect(outcomes(run)).toEqual({
      'home renders': 'passed',
      'sign-in has its form': 'passed',
      'tasks list two items, no uncaught errors': 'passed',
      '/up answers OK': 'passed',
      'admin surface is not exposed @admin': 'passed',
      serial: 'passed',
      'parallel › skips itself': 'skipped',
      'parallel › declared skipped': 'skipped',
      'parallel › a fixme': 'skipped',
      'parallel › expected to fail': 'passed',
      'parallel › skipped by a condition': 'skipped',
    });
    expect(verdictOf(run)).toEqual({ status: 'green', summary: 'green: all 7 checks passed (4 skipped)' });
    const home = run.checks[0]!.attempts[0]!;
    expect(home.finalUrl).toBe(`${site.url}/`);
    expect(home.httpStatus).toBe(200);
    expect(Buffer.from(home.screenshotPng!).subarray(1, 4).toString()).toBe('PNG');
    // Only GETs reached the site, with the header test.use asked for on page requests.
    expect(site.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it("turns each demo fault red with Playwright's own message, and only the test it breaks", async () => {
    const run = await seal(EVERY_API, ['up-500', 'tasks-throws', 'sign-in-missing-form', 'devops-exposed']);
    const failed = Object.entries(outcomes(run))
      .filter(([, outcome]) => outcome === 'failed')
      .map(([name]) => name);
    expect(failed).toEqual([
      'sign-in has its form',
      'tasks list two items, no uncaught errors',
      '/up answers OK',
      'admin surface is not exposed @admin',
    ]);
    expect(errorOf(run, '/up answers OK')).toContain('expect(response).toBeOK()');
    expect(errorOf(run, '/up answers OK')).toContain('500');
    expect(errorOf(run, 'sign-in has its form')).toMatch(
      /expect\(locator\)\.toBeVisible\(\) failed[\s\S]*getByRole\('form', \{ name: 'Sign in' \}\)/,
    );
    // expect.soft: the test ran to its end, then failed with the soft message.
    expect(errorOf(run, 'tasks list two items, no uncaught errors')).toContain('renderTasks is not defined');
    expect(errorOf(run, 'admin surface is not exposed @admin')).toMatch(/Expected: 404\s+Received: 200/);
    for (const name of failed) expect(errorOf(run, name)).not.toContain(String.fromCharCode(27));
    const verdict = verdictOf(run);
    expect(verdict.status).toBe('red');
    expect(verdict.summary).toMatch(
      /^red: 4 of 11 checks failed: demo @qa-readonly › sign-in has its form: /,
    );
    expect(verdict.summary).not.toContain('\n');
  });

  it('records both attempts of a failed test when the spec has a retry, testInfo.retry counting', async () => {
    const run = await seal(
      {
        source: `${HEADER}test('flaky @qa-readonly', async ({ request }) => {
  expect(test.info().retry, 'attempt').toBeLessThan(5);
  await expect(await request.get('/up')).toBeOK();
});`,
      },
      ['up-flaky'],
      1,
    );
    expect(run.checks[0]!.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'passed']);
    expect(run.checks[0]!.outcome).toBe('passed');
  });

  it('lets nothing a test writes reach the server: request.post and a page fetch DELETE are answered by the guard', async () => {
    const run = await seal({
      source: `${HEADER}test('writes @qa-readonly', async ({ page, request }) => {
  await page.goto('/');
  const fromPage = await page.evaluate(() => fetch('/tasks/1', { method: 'DELETE' }).then((r) => r.status));
  expect(fromPage).toBe(204);
  const posted = await request.post('/api/visits', { data: { at: 1 } });
  expect(posted.status()).toBe(204);
  expect(posted.headers()['x-smoke-seal-guard']).toBe('refused');
});`,
    });
    expect(site.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(run.checks[0]!.outcome).toBe('passed');
    expect(run.refused.requests.map((request) => request.method).sort()).toEqual(['DELETE', 'POST']);
  });

  it("refuses Node's fetch in spec code: the test fails saying why, nothing is sent", async () => {
    const run = await seal({
      source: `${HEADER}test('node fetch @qa-readonly', async ({ baseURL }) => {
  await fetch(baseURL + '/api/visits', { method: 'POST' });
});`,
    });
    expect(run.checks[0]!.error).toContain(
      "fetch from spec code is refused in a seal: Node's fetch would go around",
    );
    expect(site.requests).toEqual([]);
  });

  it('makes a fixture that breaks, or a test that closes the shared context, unfinished (inconclusive), never red', async () => {
    const run = await seal({
      source: `${HEADER}const t = test.extend<{ db: string }>({
  db: async ({}, use) => { throw new Error('no database'); await use('x'); },
});
t('needs the db @qa-readonly', async ({ db }) => { void db; });
test('closes the context @qa-readonly', async ({ context }) => { await context.close(); });`,
    });
    expect(run.checks.map((check) => [check.outcome, check.error])).toEqual([
      ['unfinished', 'checker error: fixture "db" broke: no database'],
      ['failed', 'context.close() is not allowed in a seal: every check shares this browser context'],
    ]);
  });

  it("fails a test at its timeout with Playwright's words, and test.slow gives it three times as long", async () => {
    const run = await seal({
      source: `${HEADER}test.describe.configure({ timeout: 300 });
test('too slow @qa-readonly', async ({ page }) => { await page.waitForTimeout(2_000); });
test('slow but marked @qa-readonly', async ({ page }) => { test.slow(); await page.waitForTimeout(500); });`,
    });
    expect(run.checks.map((check) => [check.outcome, check.error])).toEqual([
      ['failed', 'Test timeout of 300ms exceeded.'],
      ['passed', null],
    ]);
  });

  it('runs a serial group in order on fresh pages and stops at its first failure', async () => {
    const run = await seal({
      source: `${HEADER}test.describe.serial('group @qa-readonly', () => {
  test('one', async ({ page }) => { await page.goto('/'); });
  test('two', async ({ page }) => { expect(page.url()).toBe('about:blank'); await page.goto('/nope'); await expect(page).toHaveTitle('Demo Tasks', { timeout: 200 }); });
  test('three', async () => {});
});`,
    });
    expect(run.checks).toHaveLength(1);
    expect(run.checks[0]!.name).toBe('group @qa-readonly');
    expect(run.checks[0]!.outcome).toBe('failed');
    expect(run.checks[0]!.error).toMatch(/^two: expect\(page\)\.toHaveTitle\(expected\) failed/);
    expect(run.checks[0]!.error).toContain('(not run after it: three)');
  });
});
