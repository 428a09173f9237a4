// `smoke-seal run --spec` and `run --app` with spec.playwright, as a user runs them: a child process, Playwright Test, real Chromium.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { SealSchema } from '../../functions/core/seal';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/smoke-seal');
let site: DemoSite;
let work: string;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], cwd = ROOT): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      CLI,
      // Room for a busy machine: the CLI's default deadline is 60 s, launch and runner start included.
      [...args, ...(args[0] === 'run' ? ['--deadline', '200000'] : []), '--state-dir', join(work, 'state')],
      { cwd, timeout: 240_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  site = await startDemoSite();
  // Inside the repository: a spec's `@playwright/test` resolves from its folder up, as in a team's repository.
  await mkdir(join(ROOT, '.smoke-seal'), { recursive: true });
  work = await mkdtemp(join(ROOT, '.smoke-seal', 'cli-spec-'));
});
afterAll(async () => {
  await site.close();
  await rm(work, { recursive: true, force: true });
});

async function specFile(name: string, source: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, source);
  return path;
}

describe('smoke-seal run <url> --spec', () => {
  it('seals green with the tests as checks, and red naming the failing test (exit 1)', {
    timeout: 600_000,
  }, async () => {
    site.setFaults([]);
    const green = await cli(['run', site.url, '--spec', 'e2e/qa_readonly.spec.ts', '--json']);
    expect(green.code, green.stderr).toBe(0);
    const seal = SealSchema.parse(JSON.parse(green.stdout));
    expect(seal.checks.map((check) => `${check.kind} ${check.name} ${check.outcome}`)).toEqual([
      'test smoke @qa-readonly › home renders passed',
      'test smoke @qa-readonly › sign-in renders passed',
      'test smoke @qa-readonly › tasks renders passed',
      'test smoke @qa-readonly › /up answers 200 passed',
      'test smoke @qa-readonly › /devops answers 404 passed',
      'test smoke @qa-readonly › /devops/cycle answers 404 passed',
    ]);
    site.setFaults(['devops-exposed']);
    try {
      const red = await cli(['run', site.url, '--spec', 'e2e/', '--grep', '/devops answers']);
      expect(red.code, red.stderr).toBe(1);
      expect(red.stdout).toContain(
        'red: 1 of 1 check failed: smoke @qa-readonly › /devops answers 404: Error: the admin surface must not be exposed',
      );
    } finally {
      site.setFaults([]);
    }
  });

  it.each([
    [
      'does not compile',
      'broken.spec.ts',
      "import { test } from '@playwright/test';\ntest('a @qa-readonly', async () => { const = 1; });",
      /--spec: the spec cannot be used:\n.*broken\.spec\.ts:2:44: /,
    ],
    [
      'imports a missing package',
      'missing.spec.ts',
      "import { test } from '@playwright/test';\nimport x from 'not-installed-pkg';\ntest('a @qa-readonly', async () => { void x; });",
      /Cannot find package 'not-installed-pkg'/,
    ],
    [
      'matches nothing',
      'untagged.spec.ts',
      "import { test } from '@playwright/test';\ntest('a', async () => {});",
      /--grep: no test in .*untagged\.spec\.ts matches "@qa-readonly"/,
    ],
  ])(
    'exits 64 with the reason when the spec %s, before any browser starts',
    { timeout: 240_000 },
    async (_what, name, source, message) => {
      const path = await specFile(name, source);
      const result = await cli(['run', site.url, '--spec', path]);
      expect(result.code).toBe(64);
      expect(result.stderr).toMatch(message);
    },
  );

  it('refuses --grep without a spec (exit 64)', async () => {
    const result = await cli(['run', site.url, '--grep', '@qa-readonly']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(
      'run: --grep and --grep-invert select tests of a Playwright spec; add --spec',
    );
  });
});

describe('smoke-seal run --spec --config <playwright.config.ts>', () => {
  it("honours the team's config and keeps the spec's console output off --json's stdout", {
    timeout: 300_000,
  }, async () => {
    const dir = join(work, 'team');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'team.config.ts'),
      "import { defineConfig } from '@playwright/test';\nexport default defineConfig({ retries: 0, use: { testIdAttribute: 'data-nope' }, projects: [{ name: 'desktop' }] });\n",
    );
    await writeFile(
      join(dir, 'noisy.spec.ts'),
      "import { expect, test } from '@playwright/test';\nconsole.log('NOISE AT LOAD');\ntest('noisy @qa-readonly', async ({ page }) => {\n  console.log('NOISE IN TEST');\n  await page.goto('/');\n  expect(test.info().project.name).toBe('desktop');\n  expect(test.info().project.use.testIdAttribute).toBe('data-nope');\n});\n",
    );
    const result = await cli([
      'run',
      site.url,
      '--spec',
      join(dir, 'noisy.spec.ts'),
      '--config',
      join(dir, 'team.config.ts'),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const seal = SealSchema.parse(JSON.parse(result.stdout));
    expect(seal.checks.map((check) => [check.name, check.outcome, check.playwright?.line])).toEqual([
      ['[desktop] noisy @qa-readonly', 'passed', 3],
    ]);
    expect(result.stdout).not.toContain('NOISE');
    expect(result.stderr).toContain('NOISE IN TEST');
  });
});

describe('a team\'s repository that is a CommonJS package (no "type": "module"), as most are', () => {
  // `npx playwright test` loads a playwright.config.ts with import syntax there (its require hook
  // transpiles it), and a playwright.config.js written with require(); so must the seal.
  it.each([
    [
      'playwright.config.ts',
      "import { defineConfig } from '@playwright/test';\nexport default defineConfig({ retries: 0, projects: [{ name: 'cjs-ts' }] });\n",
      'cjs-ts',
    ],
    [
      'playwright.config.js',
      "const { defineConfig } = require('@playwright/test');\nmodule.exports = defineConfig({ retries: 0, projects: [{ name: 'cjs-js' }] });\n",
      'cjs-js',
    ],
  ])('loads its %s and seals green', { timeout: 300_000 }, async (configName, source, project) => {
    const dir = join(work, `commonjs-${project}`);
    await mkdir(join(dir, 'tests'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `team-${project}`, private: true }));
    await writeFile(join(dir, configName), source);
    await writeFile(
      join(dir, 'tests', 'home.spec.ts'),
      "import { expect, test } from '@playwright/test';\ntest('home @qa-readonly', async ({ page }) => {\n  await page.goto('/');\n  await expect(page.getByRole('heading').first()).toBeVisible();\n});\n",
    );
    const result = await cli(['run', site.url, '--spec', join(dir, 'tests'), '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const seal = SealSchema.parse(JSON.parse(result.stdout));
    expect(seal.checks.map((check) => [check.name, check.outcome])).toEqual([
      [`[${project}] home @qa-readonly`, 'passed'],
    ]);
  });
});

describe('smoke-seal run --app with spec.playwright', () => {
  it('takes the spec relative to the configuration file and runs only the tests grep selects', {
    timeout: 300_000,
  }, async () => {
    const app = join(work, 'app');
    await mkdir(join(app, 'e2e'), { recursive: true });
    await copyFile(join(ROOT, 'e2e/qa_readonly.spec.ts'), join(app, 'e2e/qa_readonly.spec.ts'));
    const smokeSeal = {
      apps: [
        {
          name: 'demo',
          url: site.url,
          spec: { playwright: { files: 'e2e/qa_readonly.spec.ts', grep: 'renders', grepInvert: 'sign-in' } },
        },
      ],
    };
    await writeFile(join(app, 'cdk.json'), JSON.stringify({ app: 'x', context: { smokeSeal } }));
    // Run from elsewhere: the path is the configuration file's, not the working directory's.
    const result = await cli(['run', '--app', 'demo', '--config', join(app, 'cdk.json'), '--json'], work);
    expect(result.code, result.stderr).toBe(0);
    expect(SealSchema.parse(JSON.parse(result.stdout)).checks.map((check) => check.name)).toEqual([
      'smoke @qa-readonly › home renders',
      'smoke @qa-readonly › tasks renders',
    ]);
  });
});
