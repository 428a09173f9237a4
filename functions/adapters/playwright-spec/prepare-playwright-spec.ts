// An app's Playwright spec from its configuration to the checks of a seal: find, bundle, load, select.
import type { PlaywrightSpecConfig } from '../../core/spec';
import { bundlePlaywrightSpec } from './bundle-playwright-spec';
import { loadPreparedSpec } from './load-prepared-spec';
import { resolveSpecFiles } from './resolve-spec-files';
import type { SelectedCheck } from './select-tests';

export interface PreparePlaywrightSpecInput {
  readonly config: PlaywrightSpecConfig;
  /** The configuration file's folder: `files` is relative to it. */
  readonly baseDir: string;
  /** Where the bundle is written (an .mjs file). */
  readonly outFile: string;
  /** The field errors name, e.g. `apps[0].spec.playwright`. */
  readonly where: string;
}

/**
 * Bundles the spec, loads it and selects its tests: what `cdk synth` and the CLI do. Throws
 * PlaywrightSpecError naming the field: a missing file, a compile error, a refused or missing
 * import, an unsupported API, or no test matching grep.
 */
export async function preparePlaywrightSpec(input: PreparePlaywrightSpecInput): Promise<SelectedCheck[]> {
  const files = resolveSpecFiles(input.config.files, input.baseDir, `${input.where}.files`);
  await bundlePlaywrightSpec({
    files,
    baseDir: input.baseDir,
    outFile: input.outFile,
    where: `${input.where}.files`,
  });
  return loadPreparedSpec(input.outFile, input.config, input.where);
}
