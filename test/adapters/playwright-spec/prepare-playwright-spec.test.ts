// Bundling and loading an app's spec: what works, and what is refused with a message naming the field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePlaywrightSpec } from '../../../functions/adapters/playwright-spec/prepare-playwright-spec';

const ROOT = join(import.meta.dirname, '../../..');
let dir: string;
let count = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a spec file into the temp folder and prepares it with grep "@qa-readonly". */
async function prepare(source: string, grep = '@qa-readonly', grepInvert?: string) {
  const name = `case-${++count}.spec.ts`;
  await writeFile(join(dir, name), source);
  return preparePlaywrightSpec({
    config: { files: name, grep, ...(grepInvert ? { grepInvert } : {}) },
    baseDir: dir,
    outFile: join(dir, `bundle-${count}.mjs`),
    where: 'apps[0].spec.playwright',
  });
}

const HEADER = "import { test, expect } from '@playwright/test';\n";

describe('preparePlaywrightSpec', () => {
  it('selects the tests that match grep, named by title path, a serial describe as one check', async () => {
    const checks = await preparePlaywrightSpec({
      config: { files: 'test/fixtures/playwright-specs/every-api.spec.ts', grep: '@qa-readonly' },
      baseDir: ROOT,
      outFile: join(dir, 'every-api.mjs'),
      where: 'apps[0].spec.playwright',
    });
    expect(checks.map((check) => check.name)).toEqual([
      'demo @qa-readonly › home renders',
      'demo @qa-readonly › sign-in has its form',
      'demo @qa-readonly › tasks list two items, no uncaught errors',
      'demo @qa-readonly › /up answers OK',
      'demo @qa-readonly › admin surface is not exposed @admin',
      'demo @qa-readonly › serial',
      'demo @qa-readonly › parallel › skips itself',
      'demo @qa-readonly › parallel › declared skipped',
      'demo @qa-readonly › parallel › a fixme',
      'demo @qa-readonly › parallel › expected to fail',
      'demo @qa-readonly › parallel › skipped by a condition',
    ]);
    expect(checks[5]!.tests.map((test) => test.title)).toEqual(['first', 'second']);
  });

  it('matches grep against tags given in { tag } and honours grepInvert', async () => {
    const source = `${HEADER}test('a', { tag: '@qa-readonly' }, async () => {});\ntest('b @qa-readonly @slow', async () => {});\ntest('c', async () => {});`;
    expect((await prepare(source)).map((check) => check.name)).toEqual(['a', 'b @qa-readonly @slow']);
    expect((await prepare(source, '@qa-readonly', '@slow')).map((check) => check.name)).toEqual(['a']);
  });

  it('refuses a grep that matches nothing, listing what it found', async () => {
    await expect(prepare(`${HEADER}test('home renders', async () => {});`)).rejects.toThrow(
      /^apps\[0\]\.spec\.playwright\.grep: no test in case-\d+\.spec\.ts matches "@qa-readonly" \(found: home renders\)$/,
    );
  });

  it('refuses a missing file, naming the field', async () => {
    await expect(
      preparePlaywrightSpec({
        config: { files: 'e2e/nope.spec.ts', grep: '@qa-readonly' },
        baseDir: dir,
        outFile: join(dir, 'x.mjs'),
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
      /apps\[0\]\.spec\.playwright\.files: the spec does not bundle:\ncase-\d+\.spec\.ts:3:13: Unexpected ";"/,
    );
  });

  it('refuses an import of a package that is not installed', async () => {
    await expect(
      prepare(
        `import pad from 'left-pad-not-here';\n${HEADER}test('a @qa-readonly', async () => { pad(); });`,
      ),
    ).rejects.toThrow(
      'imports the package "left-pad-not-here", which is not installed; add it to package.json (npm install left-pad-not-here)',
    );
  });

  it.each([
    ['node:http', "import { request as x } from 'node:http';"],
    ['net', "import x from 'net';"],
    ['undici', "import { fetch as x } from 'undici';"],
    ['playwright-core', "import { chromium as x } from 'playwright-core';"],
  ])('refuses an import of %s, which would go around the read-only guard', async (name, line) => {
    await expect(
      prepare(`${line}\n${HEADER}test('a @qa-readonly', async () => { void x; });`),
    ).rejects.toThrow(`imports "${name}", which is refused in a seal`);
  });

  it('refuses an export @playwright/test has but a seal does not provide', async () => {
    await expect(
      prepare(
        `import { chromium } from '@playwright/test';\n${HEADER}test('a @qa-readonly', async () => { void chromium; });`,
      ),
    ).rejects.toThrow(
      'imports "chromium" from @playwright/test, which a seal does not provide (provided: test, expect, devices, defineConfig)',
    );
  });

  it.each([
    ["test.only('a @qa-readonly', async () => {});", 'test.only is not supported in a seal'],
    ["test.describe.only('d @qa-readonly', () => {});", 'test.describe.only is not supported in a seal'],
    [
      "test.use({ locale: 'de-DE' });",
      'test.use({ locale }) is not supported in a seal: every check shares one browser context',
    ],
    ["test.use({ baseURL: 'https://x.example' });", 'test.use({ baseURL }) is not supported'],
    [
      "test('a @qa-readonly', async ({ browser }) => { void browser; });",
      'test "a @qa-readonly" asks for the fixture "browser", which a seal does not provide',
    ],
    ['test.beforeAll(async ({ page }) => { void page; });', 'test.beforeAll asks for the fixture "page"'],
    ["test.setup('x', async () => {});", "test.setup is not supported by Smoke Seal's Playwright runtime"],
  ])('refuses an unsupported API at load, naming it: %s', async (line, message) => {
    await expect(prepare(`${HEADER}${line}\ntest('z @qa-readonly', async () => {});`)).rejects.toThrow(
      new RegExp(
        `^apps\\[0\\]\\.spec\\.playwright: the spec failed to load: case-\\d+\\.spec\\.ts: .*${escapeRegExp(message)}`,
      ),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
