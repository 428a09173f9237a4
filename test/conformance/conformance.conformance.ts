// The conformance suite (`npm run test:conformance`, docs/spec.md "Conformance"): every case folder of
// test/conformance/specs/ runs under stock `npx playwright test` and under a seal against the same local site;
// each test must get the same verdict (passed / failed / skipped; flaky is passed). Healthy: no test fails and
// the seal is green. Each fault of the case's faults.json: the tests it names fail under both, and the seal is
// red naming them. A new folder with a playwright.config.ts is a new case.
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConformanceFault, type ConformanceSite, startConformanceSite } from './conformance-site';
import { runSeal, runStock, specsRoot } from './run-both';
import { type VerdictMap, verdictDifferences } from './verdicts';

interface FaultCase {
  readonly faults: ConformanceFault[];
  /** Key suffixes (`file.spec.ts › describe › title`) of the tests the faults must fail. */
  readonly failing: string[];
}

const cases = readdirSync(specsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(specsRoot, entry.name, 'playwright.config.ts')))
  .map((entry) => entry.name)
  .sort();
const only = process.env.CONFORMANCE_CASES?.split(',').filter(Boolean);
/** `healthy` or `faults` runs only those; unset runs both. */
const part = process.env.CONFORMANCE_PART;
/** A JSON-lines file that gets each run's verdicts as it ends (the table in docs/spec.md is made from it). */
const resultsFile = process.env.CONFORMANCE_RESULTS;

function record(
  name: string,
  faults: readonly string[],
  stock: VerdictMap,
  seal: { verdicts: VerdictMap; status: string },
) {
  if (!resultsFile) return;
  appendFileSync(
    resultsFile,
    `${JSON.stringify({
      case: name,
      faults,
      stock: Object.fromEntries(stock),
      seal: Object.fromEntries(seal.verdicts),
      sealStatus: seal.status,
      differences: verdictDifferences(stock, seal.verdicts),
    })}\n`,
  );
}

function faultsOf(name: string): FaultCase[] {
  const file = join(specsRoot, name, 'faults.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FaultCase[]) : [];
}

function failed(verdicts: VerdictMap): string[] {
  return [...verdicts].filter(([, verdict]) => verdict === 'failed').map(([test]) => test);
}

let site: ConformanceSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe.each(cases.filter((name) => !only || only.includes(name)))('conformance case %s', (name) => {
  const caseDir = join(specsRoot, name);

  it.skipIf(part === 'faults')(
    'healthy site: every test passes or skips under stock, and the seal gives the same verdicts, green',
    async () => {
      site = await startConformanceSite();
      const stock = await runStock(caseDir, site.url);
      expect(stock.errors, 'stock run errors').toEqual([]);
      expect(stock.verdicts.size, 'stock ran no test').toBeGreaterThan(0);
      expect(failed(stock.verdicts), 'stock failures on a healthy site').toEqual([]);
      const seal = await runSeal(caseDir, site.url);
      record(name, [], stock.verdicts, seal);
      expect(verdictDifferences(stock.verdicts, seal.verdicts), `${seal.summary}\n${seal.stderr}`).toEqual(
        [],
      );
      expect(seal.status, seal.summary).toBe('green');
      expect(
        site.requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD'),
      ).toEqual([]);
    },
  );

  for (const fault of part === 'healthy' ? [] : faultsOf(name)) {
    it(`fault ${fault.faults.join(' + ')}: the same verdicts, the seal red naming ${fault.failing.length} test(s)`, async () => {
      site = await startConformanceSite({ faults: fault.faults });
      const stock = await runStock(caseDir, site.url);
      const seal = await runSeal(caseDir, site.url);
      record(name, fault.faults, stock.verdicts, seal);
      const stockFailed = failed(stock.verdicts);
      for (const test of fault.failing) {
        expect(
          stockFailed.some((key) => key.endsWith(test)),
          `stock fails ${test}`,
        ).toBe(true);
      }
      expect(verdictDifferences(stock.verdicts, seal.verdicts), `${seal.summary}\n${seal.stderr}`).toEqual(
        [],
      );
      expect(seal.status, seal.summary).toBe('red');
      const named = seal.failedChecks.map((check) => check.name).join('\n');
      for (const test of fault.failing) {
        const title = test.split(' › ').at(-1)!;
        expect(named, `the seal names ${test}`).toContain(title);
      }
    });
  }
});
