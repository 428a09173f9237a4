// At synth: each app's Playwright spec checked (imports, Playwright's --list) and copied into one folder the configuration layer ships (lib/config-layer.ts).
import { join, resolve } from 'node:path';
import { PlaywrightSpecError } from '../functions/adapters/playwright-spec/playwright-spec-error';
import { PlaywrightSuite } from '../functions/adapters/playwright-spec/playwright-suite';
import {
  preparedPaths,
  preparePlaywrightSpec,
} from '../functions/adapters/playwright-spec/prepare-playwright-spec';
import { ConfigError } from '../functions/core/errors';
import { CONTEXT_KEY, type DeployConfig } from './config';

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
      // Listed where it is (the copy's packages resolve only inside the function's asset).
      await new PlaywrightSuite({
        ...preparedPaths(sourceRoot(baseDir, manifest, playwright), manifest),
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

/** The folder the manifest's paths are relative to, in the source tree: the spec path minus its manifest part. */
function sourceRoot(
  baseDir: string,
  manifest: { specPaths: readonly string[] },
  playwright: { files: string | string[] },
): string {
  const first = resolve(
    baseDir,
    typeof playwright.files === 'string' ? playwright.files : playwright.files[0]!,
  );
  const rel = manifest.specPaths[0]!;
  // A spec folder that is the copy's root: its manifest path is "." and the folder itself is the root
  // (not baseDir, whose listing would load every spec file of the repository).
  if (rel === '.') return first;
  return first.endsWith(rel) ? first.slice(0, first.length - rel.length) : baseDir;
}
