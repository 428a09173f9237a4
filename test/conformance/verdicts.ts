// Verdicts per test from stock Playwright's JSON report and from a seal's JSON, keyed the same way, and the
// differences between the two: the conformance suite's one comparison (docs/spec.md, "Conformance").
import { basename } from 'node:path';

/** Flaky counts as passed, as in a seal; a test.fail() that fails is passed (Playwright calls it expected). */
export type Verdict = 'passed' | 'failed' | 'skipped' | 'unfinished';

/** `[project] file › describe › title`: the file by its base name, so a seal's copy of the spec keys the same. */
export type VerdictMap = Map<string, Verdict>;

function key(project: string, file: string, titles: readonly string[]): string {
  return `[${project}] ${basename(file)} › ${titles.join(' › ')}`;
}

interface JsonSuite {
  title: string;
  file?: string;
  specs?: {
    title: string;
    file: string;
    tests: { projectName: string; status: 'expected' | 'unexpected' | 'flaky' | 'skipped' }[];
  }[];
  suites?: JsonSuite[];
}

/** Stock `npx playwright test --reporter=json`: its `suites` tree. */
export function stockVerdicts(report: { suites?: JsonSuite[] }): VerdictMap {
  const verdicts: VerdictMap = new Map();
  const walk = (suite: JsonSuite, titles: readonly string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const verdict: Verdict =
          test.status === 'expected' || test.status === 'flaky'
            ? 'passed'
            : test.status === 'skipped'
              ? 'skipped'
              : 'failed';
        verdicts.set(key(test.projectName, spec.file, [...titles, spec.title]), verdict);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top suites are files: their title is the file path, not part of a test's title path.
  for (const file of report.suites ?? []) walk(file, []);
  return verdicts;
}

interface SealCheck {
  name: string;
  outcome: Verdict;
  playwright?: { project: string; file: string; titlePath: string[] };
}

/** A seal's JSON (`smoke-seal run … --json`): one check per test; a project left out is not a test. */
export function sealVerdicts(seal: { checks: SealCheck[] }): VerdictMap {
  const verdicts: VerdictMap = new Map();
  for (const check of seal.checks) {
    if (!check.playwright) {
      if (/\(project skipped\)$/.test(check.name)) continue;
      verdicts.set(`(no playwright location) ${check.name}`, check.outcome);
      continue;
    }
    const { project, file, titlePath } = check.playwright;
    verdicts.set(key(project, file, titlePath), check.outcome);
  }
  return verdicts;
}

export interface VerdictDifference {
  readonly test: string;
  readonly stock: Verdict | 'missing';
  readonly seal: Verdict | 'missing';
}

export function verdictDifferences(stock: VerdictMap, seal: VerdictMap): VerdictDifference[] {
  const differences: VerdictDifference[] = [];
  for (const test of new Set([...stock.keys(), ...seal.keys()])) {
    const a = stock.get(test) ?? 'missing';
    const b = seal.get(test) ?? 'missing';
    if (a !== b) differences.push({ test, stock: a, seal: b });
  }
  return differences.sort((x, y) => x.test.localeCompare(y.test));
}
