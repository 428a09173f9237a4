// The apps' Playwright specs in the seal function: prepared at synth into playwright-specs/<app>/, run from there by Playwright Test.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedApp } from '../../lib/config';
import { PlaywrightSuite } from '../adapters/playwright-spec/playwright-suite';
import {
  type PreparedSpecManifest,
  preparedPaths,
  SPEC_MANIFEST,
} from '../adapters/playwright-spec/prepare-playwright-spec';
import { errorText } from '../core/error-text';
import type { SpecSuite } from '../core/ports';
import type { Spec } from '../core/spec';

export interface AppSpec {
  readonly spec: Spec;
  /** The app's Playwright suite, when it brought a spec. */
  readonly suite?: SpecSuite;
  /** The app's spec could not be used: the seal is inconclusive with this reason (never red). */
  readonly specError?: string;
}

export type PlaywrightSpecSource = (app: ResolvedApp) => Promise<AppSpec>;

export interface BundledSpecOptions {
  /** The spec's and Playwright's output, line by line (the function's log). */
  readonly log?: (line: string) => void;
}

/**
 * Reads `<specDir>/<app>/smoke-seal-spec.json` (written at synth by preparePlaywrightSpec) and gives
 * the app's suite, run from the read-only code folder with everything it writes under TMPDIR. With a
 * spec, the default lane's data checks are replaced by it (`add` checks stay).
 */
export function bundledPlaywrightSpecs(
  specDir: string,
  options: BundledSpecOptions = {},
): PlaywrightSpecSource {
  return async (app) => {
    const playwright = app.spec?.playwright;
    if (!playwright) return { spec: app.resolvedSpec };
    // With a spec, resolvedSpec holds only the app's `add` data checks (composeAppSpec).
    const dataChecks = app.resolvedSpec;
    try {
      const dir = join(specDir, app.name);
      const manifest = JSON.parse(await readFile(join(dir, SPEC_MANIFEST), 'utf8')) as PreparedSpecManifest;
      const { specPaths, teamConfig } = preparedPaths(dir, manifest);
      const suite = new PlaywrightSuite({
        specPaths,
        teamConfig,
        grep: playwright.grep,
        grepInvert: playwright.grepInvert,
        retries: app.resolvedSpec.retries,
        timeoutMs: app.resolvedSpec.checkTimeoutMs,
        where: `apps["${app.name}"].spec.playwright`,
        log: options.log,
      });
      return { spec: dataChecks, suite };
    } catch (error) {
      return {
        spec: dataChecks,
        specError: `the app's Playwright spec could not be used: ${errorText(error)}`,
      };
    }
  };
}
