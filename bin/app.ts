// The CDK app (`npx cdk synth|deploy`): configuration from cdk.json, a readable error when it is wrong.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../functions/core/errors';
import { bundlePlaywrightSpecs } from '../lib/playwright-spec-bundles';
import { addSmokeSeal, readDeployConfig } from '../lib/smoke-seal-app';

const app = new App();
// The apps' Playwright specs are bundled and checked first (paths relative to cdk.json, the working directory).
const specsDir = mkdtempSync(join(tmpdir(), 'smoke-seal-specs-'));
try {
  const playwrightSpecDir = await bundlePlaywrightSpecs(readDeployConfig(app), process.cwd(), specsDir);
  addSmokeSeal(app, { playwrightSpecDir });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Smoke Seal configuration (cdk.json context "smokeSeal") is invalid:\n${error.message}`);
  rmSync(specsDir, { recursive: true, force: true });
  process.exit(1);
}
try {
  app.synth();
} finally {
  rmSync(specsDir, { recursive: true, force: true });
}
