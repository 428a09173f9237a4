// Turns `files` (a file, a folder or a glob, relative to the configuration file) into the spec files to bundle.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { PlaywrightSpecError } from './playwright-spec-error';

/** What Playwright Test picks up in a folder by default. */
const SPEC_FILE = /\.(spec|test)\.(ts|js|mts|mjs|cts|cjs|tsx|jsx)$/;

/**
 * Absolute paths, sorted and unique. `where` names the field in errors, e.g.
 * `apps[0].spec.playwright.files` or `--spec`.
 */
export function resolveSpecFiles(
  patterns: string | readonly string[],
  baseDir: string,
  where: string,
): string[] {
  const found = new Set<string>();
  for (const pattern of typeof patterns === 'string' ? [patterns] : patterns) {
    const matches = /[*?[{]/.test(pattern) ? glob(pattern, baseDir) : plain(pattern, baseDir, where);
    if (matches.length === 0) {
      throw new PlaywrightSpecError(
        `${where}: no spec file matches "${pattern}" (relative to ${baseDir}); expected e.g. "e2e/qa_readonly.spec.ts" or "e2e/"`,
      );
    }
    for (const match of matches) found.add(match);
  }
  return [...found].sort();
}

function plain(pattern: string, baseDir: string, where: string): string[] {
  const path = resolve(baseDir, pattern);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new PlaywrightSpecError(`${where}: "${pattern}" does not exist (relative to ${baseDir})`);
  }
  return stats.isDirectory() ? walk(path).filter((file) => SPEC_FILE.test(file)) : [path];
}

function glob(pattern: string, baseDir: string): string[] {
  const absolute = resolve(baseDir, pattern);
  // Walk from the longest folder without wildcards.
  const parts = absolute.split(sep);
  const firstWild = parts.findIndex((part) => /[*?[{]/.test(part));
  const root = parts.slice(0, firstWild).join(sep) || sep;
  const matcher = globToRegExp(relative(root, absolute));
  let files: string[];
  try {
    files = walk(root);
  } catch {
    return [];
  }
  return files.filter((file) => matcher.test(relative(root, file).split(sep).join('/')));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** `**` any folders, `*` and `?` within a name, `{a,b}` alternatives. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  const text = pattern.split(sep).join('/');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '*' && text[i + 1] === '*') {
      source += text[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += text[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      const end = text.indexOf('}', i);
      source += `(?:${text
        .slice(i + 1, end)
        .split(',')
        .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&'))
        .join('|')})`;
      i = end;
    } else source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
