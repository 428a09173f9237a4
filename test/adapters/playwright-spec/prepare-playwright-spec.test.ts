// At synth: an app's spec checked (imports) and copied with its team config, a manifest and an @playwright/test that resolves to the function's playwright.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  preparedPaths,
  preparePlaywrightSpec,
  SPEC_MANIFEST,
} from '../../../functions/adapters/playwright-spec/prepare-playwright-spec';

const HEADER = "import { test, expect } from '@playwright/test';\n";
let dir: string;
let cases = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-prepare-'));
  await mkdir(join(dir, 'e2e/pages'), { recursive: true });
  await mkdir(join(dir, 'e2e/home.spec.ts-snapshots'), { recursive: true });
  await mkdir(join(dir, 'unrelated'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{}');
  await writeFile(
    join(dir, 'playwright.config.ts'),
    "import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: 'e2e', globalSetup: './global-setup.ts' });\n",
  );
  await writeFile(join(dir, 'global-setup.ts'), 'export default async () => {};\n');
  await writeFile(join(dir, 'e2e/pages/home-page.ts'), 'export const title = /Home/;\n');
  await writeFile(
    join(dir, 'e2e/home.spec.ts'),
    `${HEADER}import { title } from './pages/home-page';\ntest('home @qa-readonly', async ({ page }) => { await page.goto('/'); await expect(page).toHaveTitle(title); });\n`,
  );
  await writeFile(join(dir, 'e2e/home.spec.ts-snapshots/home-chromium-linux.png'), 'png');
  await writeFile(join(dir, 'unrelated/big.bin'), 'not shipped');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function prepare(source: string) {
  const file = `e2e/case-${++cases}.spec.ts`;
  await writeFile(join(dir, file), source);
  return preparePlaywrightSpec({
    config: { files: file, grep: '@qa-readonly' },
    baseDir: dir,
    outDir: join(dir, `out-${cases}`),
    where: 'apps[0].spec.playwright',
  });
}

describe('preparePlaywrightSpec', () => {
  it('copies the spec, its imports, its snapshots, the team config and its global setup, and nothing else', async () => {
    const out = join(dir, 'out-home');
    const manifest = await preparePlaywrightSpec({
      config: { files: 'e2e/home.spec.ts', grep: '@qa-readonly' },
      baseDir: dir,
      outDir: out,
      where: 'apps[0].spec.playwright',
    });
    expect(manifest).toEqual({
      specPaths: ['e2e/home.spec.ts'],
      teamConfig: 'playwright.config.ts',
      grep: '@qa-readonly',
    });
    expect(JSON.parse(readFileSync(join(out, SPEC_MANIFEST), 'utf8'))).toEqual(manifest);
    for (const file of [
      'e2e/home.spec.ts',
      'e2e/pages/home-page.ts',
      'e2e/home.spec.ts-snapshots/home-chromium-linux.png',
      'playwright.config.ts',
      'global-setup.ts',
      'node_modules/@playwright/test/index.js',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(existsSync(join(out, 'unrelated'))).toBe(false);
    expect(preparedPaths(out, manifest)).toEqual({
      specPaths: [join(out, 'e2e/home.spec.ts')],
      teamConfig: join(out, 'playwright.config.ts'),
    });
  });

  it('refuses a missing file, naming the field', async () => {
    await expect(
      preparePlaywrightSpec({
        config: { files: 'e2e/nope.spec.ts', grep: '@qa-readonly' },
        baseDir: dir,
        outDir: join(dir, 'x'),
        where: 'apps[0].spec.playwright',
      }),
    ).rejects.toThrow(
      `apps[0].spec.playwright.files: "e2e/nope.spec.ts" does not exist (relative to ${dir})`,
    );
  });

  it('refuses a spec that does not compile, with the file, line and column', async () => {
    await expect(
      prepare(`${HEADER}test('a @qa-readonly', async () => {\n  const x = ;\n});`),
    ).rejects.toThrow(
      /apps\[0\]\.spec\.playwright: the spec cannot be used:\ne2e\/case-\d+\.spec\.ts:3:13: Unexpected ";"/,
    );
  });

  it('refuses a package the seal function does not ship', async () => {
    await expect(
      prepare(
        `import pad from 'left-pad-not-here';\n${HEADER}test('a @qa-readonly', async () => { pad(); });`,
      ),
    ).rejects.toThrow('imports the package "left-pad-not-here", which the seal function does not ship');
  });

  it.each([
    ['node:http', "import { request as x } from 'node:http';"],
    ['net', "import x from 'net';"],
    ['child_process', "import x from 'child_process';"],
    ['undici', "import { fetch as x } from 'undici';"],
  ])('refuses an import of %s, which would go around the read-only guard', async (name, line) => {
    await expect(
      prepare(`${line}\n${HEADER}test('a @qa-readonly', async () => { void x; });`),
    ).rejects.toThrow(`imports "${name}", which is refused in a seal`);
  });
});
