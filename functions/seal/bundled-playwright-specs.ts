// The apps' Playwright specs in the seal function: prepared at synth into the configuration layer's
// playwright-specs/<app>/, staged once per container under TMPDIR beside the function's packages, run there by Playwright Test.
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PlaywrightSuite } from '../adapters/playwright-spec/playwright-suite';
import {
  type PreparedSpecManifest,
  preparedPaths,
  SPEC_MANIFEST,
} from '../adapters/playwright-spec/prepare-playwright-spec';
import { errorText } from '../core/error-text';
import type { ResolvedApp } from '../core/find-app';
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
      const dir = stagedSpec(specDir, app.name);
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

/**
 * The layer (/opt) is outside the function's code, so a spec there cannot resolve `@playwright/test`'s
 * `playwright` or a package its config imports (CommonJS and ES modules alike walk up node_modules
 * folders). Each app's prepared folder is copied once per container under TMPDIR, beside a
 * `node_modules` link to the function's own packages, so the spec resolves them as it would next to
 * the code and Playwright's runner and the spec share one `playwright`.
 */
function stagedSpec(specDir: string, app: string): string {
  let root = stagingRoots.get(specDir);
  if (!root) {
    // A folder of its own per source folder and container: two sources never share a staged copy.
    root = mkdtempSync(join(tmpdir(), 'smoke-seal-specs-'));
    const playwright = createRequire(import.meta.url).resolve('playwright/package.json');
    symlinkSync(dirname(dirname(playwright)), join(root, 'node_modules'), 'dir');
    stagingRoots.set(specDir, root);
  }
  const staged = join(root, app);
  if (!existsSync(join(staged, SPEC_MANIFEST))) {
    rmSync(staged, { recursive: true, force: true });
    cpSync(join(specDir, app), staged, { recursive: true });
  }
  return staged;
}

const stagingRoots = new Map<string, string>();
