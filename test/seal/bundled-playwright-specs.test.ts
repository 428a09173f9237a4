// The seal function's way to an app's spec: prepared at synth, run by Playwright Test from a read-only folder.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import type { BrowserLauncher } from '../../functions/core/ports';
import { sealTrigger } from '../../functions/core/seal-trigger';
import { bundledPlaywrightSpecs } from '../../functions/seal/bundled-playwright-specs';
import { findApp, parseDeployConfig } from '../../lib/config';
import { bundlePlaywrightSpecs } from '../../lib/playwright-spec-bundles';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';

const ROOT = join(import.meta.dirname, '../..');
const SEAL_MS = 240_000;
let site: DemoSite;
let dir: string;

function config(playwright: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return parseDeployConfig({
    apps: [
      {
        name: 'studio',
        url: site?.url ?? 'http://127.0.0.1:1',
        spec: { playwright: { files: 'e2e/qa_readonly.spec.ts', ...playwright }, retries: 0, ...extra },
      },
    ],
  });
}

beforeAll(async () => {
  site = await startDemoSite();
  // Under the repository, as playwright-specs/ sits beside the function's node_modules in Lambda.
  await mkdir(join(ROOT, '.smoke-seal'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.smoke-seal', 'bundled-specs-'));
  // As cdk synth does (bin/app.ts): checked, listed, copied; then the code folder is read-only, as in Lambda.
  await bundlePlaywrightSpecs(config({}), ROOT, dir);
  await chmodTree(dir, false);
}, SEAL_MS);
afterAll(async () => {
  await site.close();
  await chmodTree(dir, true);
  await rm(dir, { recursive: true, force: true });
});

async function chmodTree(path: string, writable: boolean): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  execFileSync('chmod', ['-R', writable ? 'u+w' : 'a-w', path]);
  await chmod(path, writable ? 0o755 : 0o555);
}

const noBrowser: BrowserLauncher = {
  launch: async () => {
    throw new Error('the browser must not start when there is nothing to run');
  },
};

async function sealWith(extra: Record<string, unknown>, specDir: string, launcher?: BrowserLauncher) {
  const resolved = findApp(config({}, extra), 'studio');
  const appSpec = await bundledPlaywrightSpecs(specDir)(resolved);
  const outcome = await sealTrigger(
    { ...resolved, ...appSpec, auth: undefined },
    { trigger: 'manual', requestId: `r-${Math.random().toString(36).slice(2)}` },
    {
      launcher: launcher ?? new ChromiumLauncher(),
      store: new MemorySealStore(),
      evidence: new MemoryEvidenceStore(),
      clock: { now: () => new Date() },
    },
    SEAL_MS - 30_000,
  );
  return outcome.seal;
}

describe('bundledPlaywrightSpecs in the seal function', () => {
  it(
    "seals green from the read-only folder: the spec's tests as checks, an added data check beside them",
    async () => {
      const seal = await sealWith(
        { add: [{ kind: 'status', name: 'robots', path: '/robots.txt', status: 404 }] },
        dir,
      );
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
    },
    SEAL_MS,
  );

  it(
    'seals red naming the failing test when production breaks',
    async () => {
      site.setFaults(['up-500']);
      try {
        const seal = await sealWith({}, dir);
        expect(seal.status).toBe('red');
        expect(seal.summary).toMatch(/^red: 1 of 6 checks failed: smoke @qa-readonly › \/up answers 200: /);
      } finally {
        site.setFaults([]);
      }
    },
    SEAL_MS,
  );

  it('is inconclusive, never red, when the prepared spec is missing, and starts no browser', async () => {
    const seal = await sealWith({}, join(dir, 'nowhere'), noBrowser);
    expect(seal.status).toBe('inconclusive');
    expect(seal.rollbackCommand).toBeNull();
    expect(seal.toolingError).toMatch(/^the app's Playwright spec could not be used: /);
  });
});
