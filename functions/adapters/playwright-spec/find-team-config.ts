// The team's playwright.config next to its spec: the spec's folder, then its parents up to the package's root.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NAMES = ['ts', 'js', 'mjs', 'cjs', 'mts', 'cts'].map((ext) => `playwright.config.${ext}`);

/** The nearest playwright.config.{ts,js,mjs,cjs,mts,cts} from `specDir` up to the folder holding package.json; null when none. */
export function findTeamConfig(specDir: string): string | null {
  let dir = specDir;
  for (;;) {
    for (const name of NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, 'package.json')) || parent === dir) return null;
    dir = parent;
  }
}
