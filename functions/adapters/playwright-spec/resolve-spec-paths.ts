// `files` of a spec (a file, a folder, a glob, or a list of them) as the absolute paths Playwright filters on.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PlaywrightSpecError } from './playwright-spec-error';
import { resolveSpecFiles } from './resolve-spec-files';

/** Files and folders as they are (checked to exist), globs expanded to their spec files; sorted, unique. */
export function resolveSpecPaths(
  patterns: string | readonly string[],
  baseDir: string,
  where: string,
): string[] {
  const found = new Set<string>();
  for (const pattern of typeof patterns === 'string' ? [patterns] : patterns) {
    if (/[*?[{]/.test(pattern)) {
      for (const file of resolveSpecFiles(pattern, baseDir, where)) found.add(file);
      continue;
    }
    const path = resolve(baseDir, pattern);
    if (!existsSync(path)) {
      throw new PlaywrightSpecError(`${where}: "${pattern}" does not exist (relative to ${baseDir})`);
    }
    found.add(path);
  }
  return [...found].sort();
}

/** The deepest folder holding every path (a file counts by its folder). */
export function commonFolder(paths: readonly string[], isFile: (path: string) => boolean): string {
  const folders = paths.map((path) => (isFile(path) ? resolve(path, '..') : path));
  let common = folders[0]!.split('/');
  for (const folder of folders.slice(1)) {
    const parts = folder.split('/');
    let i = 0;
    while (i < common.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join('/') || '/';
}
