// Synth's check of an app's spec (lib/playwright-spec-bundles.ts): it lists the spec, not the repository around it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config';
import { bundlePlaywrightSpecs } from '../../lib/playwright-spec-bundles';

const ROOT = join(import.meta.dirname, '../..');
let project: string;

beforeAll(async () => {
  // Under the repository, so `@playwright/test` resolves as in a team's checkout.
  await mkdir(join(ROOT, '.smoke-seal'), { recursive: true });
  project = await mkdtemp(join(ROOT, '.smoke-seal', 'spec-bundles-'));
  await mkdir(join(project, 'e2e', 'smoke'), { recursive: true });
  // Its own package (CommonJS, as most are): the team's repository ends here.
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'studio', private: true }));
  await writeFile(
    join(project, 'e2e', 'smoke', 'home.spec.ts'),
    "import { test } from '@playwright/test';\ntest('home @qa-readonly', async ({ page }) => {\n  await page.goto('/');\n});\n",
  );
  // Elsewhere in the repository: a spec that does not even load. The app's spec is e2e/smoke only.
  await mkdir(join(project, 'tests'), { recursive: true });
  await writeFile(
    join(project, 'tests', 'broken.spec.ts'),
    "import { nope } from './missing-module';\nnope();\n",
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('bundlePlaywrightSpecs', () => {
  it('lists a spec folder by itself, not the repository around it (an unrelated broken spec does not fail synth)', async () => {
    const config = parseDeployConfig({
      apps: [
        { name: 'studio', url: 'https://studio.example.com', spec: { playwright: { files: 'e2e/smoke' } } },
      ],
    });
    const out = join(project, 'out');
    await expect(bundlePlaywrightSpecs(config, project, out)).resolves.toBe(out);
  }, 180_000);
});
