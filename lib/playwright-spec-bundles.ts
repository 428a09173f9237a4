// At synth: each app's Playwright spec checked (imports, Playwright's --list) and copied into one folder the seal function ships.
import { join } from 'node:path';
import type * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { PlaywrightSpecError } from '../functions/adapters/playwright-spec/playwright-spec-error';
import { PlaywrightSuite } from '../functions/adapters/playwright-spec/playwright-suite';
import {
  preparedPaths,
  preparePlaywrightSpec,
} from '../functions/adapters/playwright-spec/prepare-playwright-spec';
import { ConfigError } from '../functions/core/errors';
import { CONTEXT_KEY, type DeployConfig } from './config';

/** The folder next to the seal function's index.mjs that holds `<app>/` (functions/seal/handler.ts reads it). */
export const PLAYWRIGHT_SPECS_FOLDER = 'playwright-specs';

/**
 * Prepares every app's `spec.playwright` into `outDir/<app>/` (preparePlaywrightSpec: its folder and
 * team config as they are, a manifest); `baseDir` is the configuration file's folder. Then the copy
 * is listed by Playwright (`--list`, from the copy, as the function will run it). Returns outDir, or
 * undefined when no app brings a spec. A spec that cannot be used (a missing file or config, a
 * refused import or a package the function does not ship, a spec that does not load, no test
 * matching grep) is a ConfigError naming the field: synth stops with it.
 */
export async function bundlePlaywrightSpecs(
  config: DeployConfig,
  baseDir: string,
  outDir: string,
  where = CONTEXT_KEY,
): Promise<string | undefined> {
  let any = false;
  for (const [index, app] of config.apps.entries()) {
    const playwright = app.spec?.playwright;
    if (!playwright) continue;
    any = true;
    try {
      const field = `${where}.apps[${index}].spec.playwright`;
      const dir = join(outDir, app.name);
      const manifest = await preparePlaywrightSpec({
        config: playwright,
        baseDir,
        outDir: dir,
        where: field,
      });
      await new PlaywrightSuite({
        ...preparedPaths(dir, manifest),
        grep: playwright.grep,
        grepInvert: playwright.grepInvert,
        retries: 0,
        timeoutMs: 15_000,
        where: field,
      }).list();
    } catch (error) {
      if (error instanceof PlaywrightSpecError) throw new ConfigError(error.message, { cause: error });
      throw error;
    }
  }
  return any ? outDir : undefined;
}

/** Copies the bundled specs into the seal function's asset, next to its index.mjs. */
export function copyPlaywrightSpecs(specDir: string): lambdaNodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      `mkdir -p "${outputDir}/${PLAYWRIGHT_SPECS_FOLDER}"`,
      `cp -R "${specDir}"/. "${outputDir}/${PLAYWRIGHT_SPECS_FOLDER}/"`,
    ],
  };
}
