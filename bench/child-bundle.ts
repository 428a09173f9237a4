// The seal child bundled the way the seal function is (esbuild, ESM, minified), so a measured process
// starts like the Lambda code does rather than paying for tsx compiling TypeScript on every start.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Kept out of the bundle: the seal function installs the first three beside it (playwright for an app
 * spec's expect); dynalite is the bench's local store.
 */
const EXTERNAL = ['@sparticuz/chromium', 'playwright-core', 'playwright', 'dynalite'];

export interface ChildBundle {
  readonly path: string;
  /** The bundle's folder, under the repository's node_modules; removed by dispose. */
  readonly dir: string;
  dispose(): Promise<void>;
}

/** Written under node_modules/.cache so the external packages resolve from the repository's node_modules. */
export async function buildChildBundle(repoRoot: string, child = 'seal-child'): Promise<ChildBundle> {
  const dir = join(repoRoot, 'node_modules', '.cache', `smoke-seal-bench-${child}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${child}.mjs`);
  await build({
    entryPoints: [join(repoRoot, 'bench', `${child}.ts`)],
    outfile: path,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    keepNames: true,
    external: EXTERNAL,
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as benchCreateRequire } from 'node:module'; const require = benchCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return { path, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
