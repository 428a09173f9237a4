// The seal function's way to an app's spec: the bundle made at synth, loaded once, its tests in the seal.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { PlaywrightTests } from '../../functions/adapters/playwright-spec/playwright-tests';
import { preparePlaywrightSpec } from '../../functions/adapters/playwright-spec/prepare-playwright-spec';
import type { BrowserLauncher } from '../../functions/core/ports';
import { sealTrigger } from '../../functions/core/seal-trigger';
import { bundledPlaywrightSpecs } from '../../functions/seal/bundled-playwright-specs';
import { findApp, parseDeployConfig } from '../../lib/config';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';

const ROOT = join(import.meta.dirname, '../..');
let site: DemoSite;
let dir: string;

beforeAll(async () => {
  site = await startDemoSite();
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-bundled-'));
  await preparePlaywrightSpec({
    config: { files: 'e2e/qa_readonly.spec.ts', grep: '@qa-readonly' },
    baseDir: ROOT,
    outFile: join(dir, 'studio.mjs'),
    where: 'apps[0].spec.playwright',
  });
});
afterAll(async () => {
  await site.close();
  await rm(dir, { recursive: true, force: true });
});

function app(playwright: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const config = parseDeployConfig({
    apps: [{ name: 'studio', url: site.url, spec: { playwright, retries: 0, ...extra } }],
  });
  return findApp(config, 'studio');
}

const noBrowser: BrowserLauncher = {
  launch: async () => {
    throw new Error('the browser must not start when there is nothing to run');
  },
};

async function sealWith(resolved: ReturnType<typeof app>, specDir: string, launcher?: BrowserLauncher) {
  const tests = new PlaywrightTests();
  const appSpec = await bundledPlaywrightSpecs(specDir, tests)(resolved);
  const outcome = await sealTrigger(
    { ...resolved, ...appSpec, auth: undefined },
    { trigger: 'manual', requestId: `r-${Math.random().toString(36).slice(2)}` },
    {
      launcher: launcher ?? new ChromiumLauncher({ playwrightTests: tests }),
      store: new MemorySealStore(),
      evidence: new MemoryEvidenceStore(),
      clock: { now: () => new Date() },
    },
    60_000,
  );
  return outcome.seal;
}

describe('bundledPlaywrightSpecs in the seal function', () => {
  it("seals green with the spec's tests as checks, an added data check beside them", async () => {
    const resolved = app(
      { files: 'e2e/qa_readonly.spec.ts' },
      { add: [{ kind: 'status', name: 'robots', path: '/robots.txt', status: 404 }] },
    );
    const seal = await sealWith(resolved, dir);
    expect(seal.status).toBe('green');
    expect(seal.checks.map((check) => [check.kind, check.name])).toEqual([
      ['test', 'smoke @qa-readonly › home renders'],
      ['test', 'smoke @qa-readonly › sign-in renders'],
      ['test', 'smoke @qa-readonly › tasks renders'],
      ['test', 'smoke @qa-readonly › /up answers 200'],
      ['test', 'smoke @qa-readonly › /devops answers 404'],
      ['test', 'smoke @qa-readonly › /devops/cycle answers 404'],
      ['status', 'robots'],
    ]);
  });

  it('seals red naming the failing test when production breaks', async () => {
    site.setFaults(['up-500']);
    try {
      const seal = await sealWith(app({ files: 'e2e/qa_readonly.spec.ts' }), dir);
      expect(seal.status).toBe('red');
      expect(seal.summary).toMatch(/^red: 1 of 6 checks failed: smoke @qa-readonly › \/up answers 200: /);
    } finally {
      site.setFaults([]);
    }
  });

  it('is inconclusive, never red, when the bundle is missing, and starts no browser', async () => {
    const seal = await sealWith(app({ files: 'e2e/qa_readonly.spec.ts' }), join(dir, 'nowhere'), noBrowser);
    expect(seal.status).toBe('inconclusive');
    expect(seal.rollbackCommand).toBeNull();
    expect(seal.toolingError).toMatch(
      /^the app's Playwright spec could not be used: apps\["studio"\]\.spec\.playwright: the spec failed to load: /,
    );
  });

  it('is inconclusive when no test of the bundle matches grep', async () => {
    const seal = await sealWith(
      app({ files: 'e2e/qa_readonly.spec.ts', grep: '@nightly-only' }),
      dir,
      noBrowser,
    );
    expect(seal.status).toBe('inconclusive');
    expect(seal.summary).toContain(
      'apps["studio"].spec.playwright.grep: no test in e2e/qa_readonly.spec.ts matches "@nightly-only"',
    );
  });
});
