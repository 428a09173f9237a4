// At synth: each app's Playwright spec bundled (esbuild), loaded and its grep checked, into one folder the seal function ships.
import { join } from 'node:path';
import type * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { PlaywrightSpecError } from '../functions/adapters/playwright-spec/playwright-spec-error';
import { preparePlaywrightSpec } from '../functions/adapters/playwright-spec/prepare-playwright-spec';
import { ConfigError } from '../functions/core/errors';
import { CONTEXT_KEY, type DeployConfig } from './config';

/** The folder next to the seal function's index.mjs that holds `<app>.mjs` (functions/seal/handler.ts reads it). */
export const PLAYWRIGHT_SPECS_FOLDER = 'playwright-specs';

/**
 * Bundles every app's `spec.playwright` into `outDir/<app>.mjs`; `baseDir` is the configuration
 * file's folder. Returns outDir, or undefined when no app brings a spec. A spec that cannot be used
 * (missing file, does not compile, missing or refused package, unsupported API, no test matching
 * grep) is a ConfigError naming the field: synth stops with it.
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
      await preparePlaywrightSpec({
        config: playwright,
        baseDir,
        outFile: join(outDir, `${app.name}.mjs`),
        where: `${where}.apps[${index}].spec.playwright`,
      });
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
      `cp "${specDir}"/*.mjs "${outputDir}/${PLAYWRIGHT_SPECS_FOLDER}/"`,
    ],
  };
}
