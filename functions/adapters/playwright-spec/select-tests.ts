// Which of a loaded spec's tests a seal runs (grep / grepInvert), and the checks they become.
import type { TestCheck } from '../../core/spec';
import { PlaywrightSpecError } from './playwright-spec-error';
import { type LoadedSpec, serialGroup, type TestCase, testTags, titlePath } from './spec-tree';

export interface TestSelection {
  /** A tag or a regular expression over the file, title path and tags (Playwright's --grep). */
  readonly grep: string;
  readonly grepInvert?: string;
}

/** One check: a test, or the selected tests of a serial describe, in order. */
export interface SelectedCheck {
  readonly name: string;
  readonly tests: readonly TestCase[];
}

export function selectTests(spec: LoadedSpec, selection: TestSelection, where: string): SelectedCheck[] {
  const grep = pattern(selection.grep, `${where}.grep`);
  const invert =
    selection.grepInvert === undefined ? null : pattern(selection.grepInvert, `${where}.grepInvert`);
  const selected = spec.tests.filter((test) => {
    const text = [test.file, ...titlePath(test), ...testTags(test)].join(' ');
    return grep.test(text) && !invert?.test(text);
  });
  if (selected.length === 0) {
    const files = spec.files.join(', ') || 'the spec';
    const found = spec.tests.slice(0, 10).map((test) => titlePath(test).join(' › '));
    const more = spec.tests.length > 10 ? `, … ${spec.tests.length - 10} more` : '';
    const invertNote = selection.grepInvert ? ` and not "${selection.grepInvert}"` : '';
    throw new PlaywrightSpecError(
      `${fieldOf(where, 'grep')}: no test in ${files} matches "${selection.grep}"${invertNote} (found: ${found.length > 0 ? found.join('; ') + more : 'no tests'})`,
    );
  }
  const checks: SelectedCheck[] = [];
  const groups = new Map<object, TestCase[]>();
  for (const test of selected) {
    const group = serialGroup(test);
    if (!group) {
      checks.push({ name: titlePath(test).join(' › '), tests: [test] });
      continue;
    }
    let members = groups.get(group);
    if (!members) {
      members = [];
      groups.set(group, members);
      const titles = titlePath(test).slice(0, -1);
      checks.push({ name: titles.join(' › ') || test.file, tests: members });
    }
    members.push(test);
  }
  // The same title path in two files: the file tells them apart.
  const counts = new Map<string, number>();
  for (const check of checks) counts.set(check.name, (counts.get(check.name) ?? 0) + 1);
  return checks.map((check) =>
    counts.get(check.name)! > 1 ? { ...check, name: `${check.name} (${check.tests[0]!.file})` } : check,
  );
}

/** The seal's checks for selected tests of the spec registered under `key`. */
export function testChecks(key: string, checks: readonly SelectedCheck[]): TestCheck[] {
  return checks.map((check, index) => ({
    kind: 'test',
    name: check.name.length > 300 ? `${check.name.slice(0, 299)}…` : check.name,
    path: '/',
    test: `${key}#${index}`,
  }));
}

function pattern(source: string, where: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new PlaywrightSpecError(
      `${where}: "${source}" is not a valid regular expression (${(error as Error).message})`,
    );
  }
}

/** `apps[0].spec.playwright.grep` in configuration; `--grep` on the command line (where is `--spec`). */
function fieldOf(where: string, flag: 'grep' | 'grep-invert'): string {
  if (where === '--spec') return `--${flag}`;
  return `${where}.${flag === 'grep' ? 'grep' : 'grepInvert'}`;
}
