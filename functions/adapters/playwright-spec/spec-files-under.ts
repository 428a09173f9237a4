// The spec files of a folder as Playwright's default testMatch finds them (installs, results and dot folders skipped).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', 'test-results', 'playwright-report', 'blob-report']);
const SPEC_FILE = /\.(spec|test)\.[cm]?[jt]sx?$/;

export function specFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...specFilesUnder(path));
    else if (SPEC_FILE.test(entry.name)) out.push(path);
  }
  return out;
}
