// At synth: an app's spec and its team config checked and copied, as they are, into the seal function's asset.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { PlaywrightSpecConfig } from '../../core/spec';
import { checkSpecImports } from './check-spec-imports';
import { findTeamConfig } from './find-team-config';
import { PlaywrightSpecError } from './playwright-spec-error';
import { commonFolder, resolveSpecPaths } from './resolve-spec-paths';
import { specFilesUnder } from './spec-files-under';

/** The manifest beside the copied spec: what functions/seal/bundled-playwright-specs.ts reads. */
export const SPEC_MANIFEST = 'smoke-seal-spec.json';
/** A copied spec folder at most this big (it ships in the function's asset, 250 MB in all). */
export const MAX_SPEC_BYTES = 50 * 1024 * 1024;
/** Files a spec's folder may hold that are never copied: installs, results, reports, dot folders. */
const SKIPPED = new Set(['node_modules', 'test-results', 'playwright-report', 'blob-report']);
/** Folders beside a spec file that hold its baselines (Playwright's default `<file>-snapshots`, and common names). */
const SNAPSHOT_FOLDER = /(-snapshots|^__snapshots__|^__screenshots__)$/;
/** Files beside the team's config that its globalSetup / globalTeardown name by path. */
const GLOBAL_HOOK = /^global[-_.]?(setup|teardown)\.[cm]?[jt]s$/i;

export interface PreparedSpecManifest {
  /** Relative to the manifest's folder. */
  readonly specPaths: readonly string[];
  readonly teamConfig: string | null;
  readonly grep: string;
  readonly grepInvert?: string;
}

export interface PreparePlaywrightSpecInput {
  readonly config: PlaywrightSpecConfig;
  /** The configuration file's folder: `files` and `config` are relative to it. */
  readonly baseDir: string;
  /** The folder to fill (one per app). */
  readonly outDir: string;
  /** The field errors name, e.g. `smokeSeal.apps[0].spec.playwright`. */
  readonly where: string;
}

/**
 * Finds the spec's files and the team's config, checks their imports (checkSpecImports, shipped
 * packages only), copies the folder holding both (its spec files, their relative imports,
 * snapshots) into `outDir` with a manifest and an `@playwright/test` that resolves to the shipped
 * `playwright`. Throws PlaywrightSpecError naming the field.
 */
export async function preparePlaywrightSpec(
  input: PreparePlaywrightSpecInput,
): Promise<PreparedSpecManifest> {
  const { config, baseDir, where } = input;
  const specPaths = resolveSpecPaths(config.files, baseDir, `${where}.files`);
  const isFile = (path: string) => statSync(path).isFile();
  const teamConfig = config.config
    ? resolveSpecPaths(config.config, baseDir, `${where}.config`)[0]!
    : findTeamConfig(commonFolder(specPaths, isFile));
  const entries = specPaths.flatMap((path) => (isFile(path) ? [path] : specFilesUnder(path)));
  if (teamConfig) entries.push(teamConfig);
  const graph = await checkSpecImports(entries, baseDir, where, { shippedPackagesOnly: true });
  // What ships: the import graph, the spec's folders as they are (snapshots, data files), the spec
  // files' snapshot folders, and the team's global setup and teardown beside its config.
  const copied = new Set<string>(graph);
  for (const path of specPaths) copied.add(path);
  for (const file of entries) {
    for (const sibling of safeList(dirname(file))) {
      if (SNAPSHOT_FOLDER.test(sibling)) copied.add(join(dirname(file), sibling));
    }
  }
  if (teamConfig) {
    for (const sibling of safeList(dirname(teamConfig))) {
      if (GLOBAL_HOOK.test(sibling)) copied.add(join(dirname(teamConfig), sibling));
    }
  }
  const root = commonFolder([...copied], isFile);
  let bytes = 0;
  for (const path of copied) bytes += isFile(path) ? statSync(path).size : sizeOf(path);
  if (bytes > MAX_SPEC_BYTES) {
    throw new PlaywrightSpecError(
      `${where}.files: the spec's files hold ${bytes} bytes, over ${MAX_SPEC_BYTES}; point files at a smaller folder`,
    );
  }
  mkdirSync(input.outDir, { recursive: true });
  for (const path of copied) {
    cpSync(path, join(input.outDir, relative(root, path)), {
      recursive: true,
      filter: (source) => !skipped(source, path),
    });
  }
  // `import { test } from '@playwright/test'` finds this, and through it the function's own playwright.
  const shim = join(input.outDir, 'node_modules', '@playwright', 'test');
  mkdirSync(shim, { recursive: true });
  writeFileSync(
    join(shim, 'package.json'),
    JSON.stringify({
      name: '@playwright/test',
      main: 'index.js',
      exports: { '.': { import: './index.mjs', default: './index.js' }, './package.json': './package.json' },
    }),
  );
  writeFileSync(join(shim, 'index.js'), "module.exports = require('playwright/test');\n");
  writeFileSync(
    join(shim, 'index.mjs'),
    "export * from 'playwright/test';\nexport { default } from 'playwright/test';\n",
  );
  const manifest: PreparedSpecManifest = {
    specPaths: specPaths.map((path) => relative(root, path).split(sep).join('/') || '.'),
    teamConfig: teamConfig ? relative(root, teamConfig).split(sep).join('/') : null,
    grep: config.grep,
    ...(config.grepInvert ? { grepInvert: config.grepInvert } : {}),
  };
  writeFileSync(join(input.outDir, SPEC_MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

function skipped(source: string, root: string): boolean {
  const rel = relative(root, source);
  if (rel === '') return false;
  return rel.split(sep).some((part) => SKIPPED.has(part) || part.startsWith('.'));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += statSync(path).size;
    if (total > MAX_SPEC_BYTES) return total;
  }
  return total;
}

/** The manifest's paths made absolute under the folder it was copied to (the function's code folder). */
export function preparedPaths(
  dir: string,
  manifest: PreparedSpecManifest,
): { specPaths: string[]; teamConfig: string | null } {
  const inside = (path: string) => resolve(dir, path);
  if (!existsSync(dir)) throw new PlaywrightSpecError(`no prepared spec in ${dir}`);
  return {
    specPaths: manifest.specPaths.map(inside),
    teamConfig: manifest.teamConfig ? inside(manifest.teamConfig) : null,
  };
}
