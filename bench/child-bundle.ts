// The seal child bundled the way the seal function is (esbuild, ESM, minified), so a measured process
// starts like the Lambda code does rather than paying for tsx compiling TypeScript on every start.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Kept out of the bundle: the seal function installs the first two beside it; dynalite is the bench's local store. */
const EXTERNAL = ['@sparticuz/chromium', 'playwright-core', 'dynalite'];

export interface ChildBundle {
  readonly path: string;
  dispose(): Promise<void>;
}

/** Written under node_modules/.cache so the external packages resolve from the repository's node_modules. */
export async function buildChildBundle(repoRoot: string): Promise<ChildBundle> {
  const dir = join(repoRoot, 'node_modules', '.cache', `smoke-seal-bench-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'seal-child.mjs');
  await build({
    entryPoints: [join(repoRoot, 'bench', 'seal-child.ts')],
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
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}
