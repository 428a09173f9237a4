// The report as the person on call sees it: a real red seal of a Rails-like app, rendered by Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLauncher, chromiumArgs } from '../../functions/adapters/chromium-browser';
import { FileEvidenceStore } from '../../functions/adapters/file-evidence-store';
import type { Seal } from '../../functions/core/seal';
import { sealApp } from '../../functions/core/seal-app';
import { SpecSchema } from '../../functions/core/spec';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { type LocalSite, startRailsLikeApp } from '../fixtures/real-app-sites';

let app: LocalSite;
let dir: string;
let seal: Seal;

beforeAll(async () => {
  app = await startRailsLikeApp({ basePath: '/redmine', adminExposed: true, issuesWithoutList: true });
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-report-'));
  const spec = SpecSchema.parse({
    checks: [
      { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
      { kind: 'page', name: 'broken', path: '/broken', landmark: { role: 'heading' } },
      { kind: 'page', name: 'issues', path: '/issues', landmark: { role: 'list' } },
      { kind: 'status', name: 'admin', path: '/admin', status: 404, redirectsTo: '/login' },
      { kind: 'status', name: 'gone', path: '/nothing', status: 404 },
    ],
    // The failures here fail fast (a status, the settle rule); the budget is room for the healthy page
    // on a busy machine, since with no retry one slow load would make it a fourth failure.
    checkTimeoutMs: 30_000,
    retries: 0,
  });
  const outcome = await sealApp(
    {
      sealId: 'tracker:manual:report-test',
      app: 'tracker',
      trigger: 'manual',
      baseUrl: app.url,
      appHosts: [new URL(app.url).host],
      spec,
      rollbackTemplate: 'git revert {mergeCommit}',
      release: null,
      deadlineMs: 180_000,
    },
    {
      launcher: new ChromiumLauncher(),
      store: new MemorySealStore(),
      evidence: new FileEvidenceStore(dir),
      clock: { now: () => new Date('2026-11-23T02:00:00Z') },
    },
  );
  seal = outcome.seal;
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the rendered report', () => {
  it('puts the failing checks first, each with its screenshot beside its failed requests and errors', async () => {
    expect(seal.status).toBe('red');
    const browser = await chromium.launch({
      executablePath: await sparticuz.executablePath(),
      args: chromiumArgs(),
      headless: true,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(pathToFileURL(seal.evidence.reportUrl!).toString());
      const headings = await page.locator('h2').allTextContents();
      expect(headings[0]).toBe('Failed checks: 3');
      expect(headings).toContain('Passed checks: 2');
      const cards = page.locator('section.check');
      expect(await cards.locator('h3').allTextContents()).toEqual([
        '✗ broken /broken',
        '✗ issues /issues',
        '✗ admin /admin',
      ]);
      const broken = cards.nth(0);
      const shot = broken.locator('.shot img');
      expect(await shot.count(), await broken.innerText()).toBe(1);
      // The picture loaded and sits beside (left of, level with) the facts that explain it.
      expect(await shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
      const [picture, facts] = [await shot.boundingBox(), await broken.locator('.facts').boundingBox()];
      expect(picture!.x + picture!.width).toBeLessThanOrEqual(facts!.x);
      expect(Math.abs(picture!.y - facts!.y)).toBeLessThan(60);
      expect(await broken.locator('.shot a').first().getAttribute('href')).toMatch(
        /^\d\d-broken-attempt1\.png$/,
      );
      expect(await broken.getByRole('link', { name: 'full page' }).getAttribute('href')).toMatch(
        /-full\.png$/,
      );
      await expect
        .poll(() => broken.locator('.facts table').nth(1).innerText())
        .toContain(`GET\t500\t${app.origin}/redmine/missing.png`);
      expect(await broken.locator('pre').first().innerText()).toContain(`${app.origin}/redmine/app.js:1`);
      // The admin path that answered itself says so, with the final URL.
      expect(await cards.nth(2).innerText()).toContain('admin surface exposed');
      // A status check that correctly got 404 carries no console note.
      expect(await page.locator('table').last().innerText()).not.toContain('Failed to load resource');
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      if (process.env.SMOKE_SEAL_REPORT_PNG) {
        await page.screenshot({ path: process.env.SMOKE_SEAL_REPORT_PNG, fullPage: true });
      }
    } finally {
      await browser.close();
    }
  });
});
