// Real Chromium against a hostile site: the checker's faults are inconclusive, never red, and a seal ends in time.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_CONSOLE_CALLS_PER_DOCUMENT,
  MAX_UNCAUGHT_ERRORS_PER_DOCUMENT,
} from '../../functions/adapters/bound-console-script';
import { ChromiumLauncher, type ScriptCheckFn } from '../../functions/adapters/chromium-browser';
import { killBrowserProcesses } from '../../functions/adapters/kill-browser-processes';
import {
  BROWSER_CRASHED,
  BROWSER_UNRESPONSIVE,
  CUT_OFF_BY_DEADLINE,
} from '../../functions/core/checker-fault';
import type { BrowserLauncher, BrowserSession, BrowserTarget } from '../../functions/core/ports';
import { renderReportHtml } from '../../functions/core/report-html';
import { runSpec, type SpecRun } from '../../functions/core/run-spec';
import { SEAL_SCHEMA_VERSION, type Seal } from '../../functions/core/seal';
import { type Spec, SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';
import { type BrokenSite, startBrokenSite } from '../fixtures/broken-site';

let site: BrokenSite;
let profileRoot: string;

beforeAll(async () => {
  site = await startBrokenSite({ slowMs: 20_000 });
  profileRoot = await mkdtemp(join(tmpdir(), 'smoke-seal-faults-'));
});
afterAll(async () => {
  await site.close();
  await rm(profileRoot, { recursive: true, force: true });
});

const page = (name: string, path: string) => ({ kind: 'page', name, path, landmark: { role: 'heading' } });

/** A launcher that remembers its sessions' profile directories, to find (and kill) their Chromium. */
class WatchedLauncher implements BrowserLauncher {
  readonly profiles: string[] = [];
  private readonly inner: ChromiumLauncher;
  constructor(scripts: Record<string, ScriptCheckFn> = {}) {
    this.inner = new ChromiumLauncher({ scripts, profileRoot });
  }
  async launch(target: BrowserTarget): Promise<BrowserSession> {
    const session = await this.inner.launch(target);
    this.profiles.push((session as BrowserSession & { profileDir: string }).profileDir);
    return session;
  }
}

function verdictOf(run: SpecRun) {
  return decideVerdict(
    run.checks.map((result) => ({ ...result, attempts: [] })),
    run.toolingError,
  );
}

describe('a browser that dies under a seal', () => {
  it('is inconclusive, "the browser crashed", when its Chromium is SIGKILLed mid-seal', async () => {
    const launcher = new WatchedLauncher();
    const spec: Spec = SpecSchema.parse({
      checks: [
        page('slow', '/slow'),
        page('home', '/'),
        page('slow-too', '/slow'),
        { kind: 'status', name: 'up', path: '/up', status: 200 },
      ],
      checkTimeoutMs: 10_000,
    });
    const before = site.requests();
    const running = runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 60_000 });
    // Kill the real browser once the checks are under way (the site has been asked), while the slow pages load.
    while (site.requests() === before) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killed = await killBrowserProcesses(launcher.profiles[0]!);
    expect(killed.length).toBeGreaterThan(0);
    const run = await running;

    expect(run.toolingError).toBe(BROWSER_CRASHED);
    expect(run.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
    for (const name of ['slow', 'slow-too']) {
      const check = run.checks.find((result) => result.name === name)!;
      expect(check).toMatchObject({ outcome: 'unfinished', error: BROWSER_CRASHED });
    }
    const verdict = verdictOf(run);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.summary).toMatch(/^inconclusive: the browser crashed \(or closed\)/);
  });

  it('is inconclusive when a page crashes its renderer', async () => {
    const crash: ScriptCheckFn = async (tab) => {
      await tab.goto('chrome://crash').catch(() => undefined);
      await tab.getByRole('heading').waitFor({ timeout: 5_000 });
    };
    const launcher = new WatchedLauncher({ crash });
    const spec = SpecSchema.parse({
      checks: [{ kind: 'script', name: 'crash', path: '/', script: 'crash' }],
    });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 30_000 });
    expect(run.checks[0]).toMatchObject({ outcome: 'unfinished', error: BROWSER_CRASHED });
    expect(run.checks[0]?.attempts).toHaveLength(1);
    expect(verdictOf(run).status).toBe('inconclusive');
  });
});

describe('a page that spins its main thread after load', () => {
  it('cannot fail its healthy siblings, and its browser is killed and its profile removed', async () => {
    const launcher = new WatchedLauncher();
    const spec = SpecSchema.parse({
      checks: [page('spin', '/spin'), page('home', '/'), page('other', '/other'), page('third', '/third')],
      checkTimeoutMs: 3_000,
    });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 20_000 });

    expect(run.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
    for (const check of run.checks.filter((result) => result.outcome !== 'passed')) {
      expect([BROWSER_UNRESPONSIVE, CUT_OFF_BY_DEADLINE]).toContain(check.error);
    }
    // Named when the probe could speak before the deadline (on a busy machine the deadline may come first).
    expect([BROWSER_UNRESPONSIVE, null]).toContain(run.toolingError);
    expect(verdictOf(run).status).toBe('inconclusive');
    // The close was bounded: the wedged browser was killed, nothing of it is left.
    expect(await killBrowserProcesses(launcher.profiles[0]!)).toEqual([]);
    expect(await readdir(profileRoot)).not.toContain(launcher.profiles[0]!.split('/').at(-1));
  });
});

describe('a page that throws and logs without end', () => {
  it('keeps a bounded count of bounded texts, and a report under 5 MB', async () => {
    const launcher = new WatchedLauncher();
    const spec = SpecSchema.parse({ checks: [page('noisy', '/noisy')], retries: 0 });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 30_000 });
    const attempt = run.checks[0]!.attempts[0]!;
    expect(attempt.pageErrors.length).toBeLessThanOrEqual(21);
    expect(attempt.consoleErrors.length).toBeLessThanOrEqual(21);
    for (const text of [...attempt.pageErrors, ...attempt.consoleErrors, attempt.error ?? '']) {
      expect(text.length).toBeLessThanOrEqual(500);
    }
    expect(attempt.consoleErrors.at(-1)).toMatch(/^… and \d+ more console errors \(\d+ in all\)$/);
    // Bounded at the source: the page's 600 console lines of 200 KB never reach the protocol past the cap.
    const received = Number(/\((\d+) in all\)$/.exec(attempt.consoleErrors.at(-1) ?? '')?.[1]);
    expect(received).toBeLessThanOrEqual(MAX_CONSOLE_CALLS_PER_DOCUMENT);
    // And its 300 uncaught errors of 200 KB: past the first few, cancelled in the page, never sent.
    const errorsReceived = Number(/\((\d+) in all\)$/.exec(attempt.pageErrors.at(-1) ?? '')?.[1]);
    expect(errorsReceived).toBeGreaterThan(0);
    expect(errorsReceived).toBeLessThanOrEqual(MAX_UNCAUGHT_ERRORS_PER_DOCUMENT);
    const seal: Seal = {
      schemaVersion: SEAL_SCHEMA_VERSION,
      id: 'noisy:manual:1',
      app: 'noisy',
      trigger: 'manual',
      release: null,
      status: 'red',
      transition: 'first',
      summary: verdictOf(run).summary,
      checkedAt: new Date(0).toISOString(),
      durationMs: 1,
      targetUrl: site.url,
      checks: run.checks.map((check) => ({
        ...check,
        attempts: check.attempts.map(({ screenshotPng, ...rest }) => ({ ...rest, screenshot: null })),
      })),
      refused: { count: 0, requests: [] },
      timings: { launchMs: 1, checksMs: 1, totalMs: 1 },
      evidence: { reportUrl: null, error: null },
      rollbackCommand: null,
      toolingError: null,
      deliveries: {},
    };
    expect(Buffer.byteLength(renderReportHtml(seal))).toBeLessThanOrEqual(5 * 1024 * 1024);
  });
});
