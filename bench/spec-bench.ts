// Issue 18's benchmark, runnable alone (`npm run bench:spec`): a seal of an app's Playwright spec
// (`bin/smoke-seal run <url> --spec <folder> --config <its playwright.config> --json`) against stock
// `npx playwright test -c <the same config>`, same spec, same Chromium (@sparticuz/chromium), same machine, the
// two interleaved round by round. Figures: process wall (spawn to exit), peak memory of the process tree (RSS
// and PSS, Node plus Chromium), the ratio seal ÷ stock per round. Talks only to 127.0.0.1; rewrites its block
// of docs/performance.md. SPEC_BENCH_ROUNDS (default 3) rounds per suite; SPEC_BENCH_SUITES=todomvc,request.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { startConformanceSite } from '../test/conformance/conformance-site';
import { startTodoMvcSite } from '../test/fixtures/todomvc-site';
import { runMeasured } from './measured-process';
import { judgeSealOverStock, SPEC_STOCK_LIMIT, type SpecBenchPair, sealOverStock } from './spec-comparison';
import { median } from './stats';

const ROUNDS = Number(process.env.SPEC_BENCH_ROUNDS ?? 3);
const repoRoot = join(import.meta.dirname, '..');
const START = '<!-- spec-bench:start (npm run bench:spec rewrites this block) -->';
const END = '<!-- spec-bench:end -->';

interface Suite {
  readonly key: string;
  readonly label: string;
  readonly dir: string;
  readonly start: () => Promise<{ url: string; close(): Promise<void> }>;
}

const SUITES: readonly Suite[] = [
  {
    key: 'todomvc',
    label: "Playwright's TodoMVC example suite (49 tests, 24 files; workers: 2 in its config)",
    dir: join(repoRoot, 'test/fixtures/todomvc-suite'),
    start: () => startTodoMvcSite(),
  },
  {
    key: 'request',
    label: 'conformance case `request` (4 tests, no page for three of them)',
    dir: join(repoRoot, 'test/conformance/specs/request'),
    start: () => startConformanceSite(),
  },
];

interface Run {
  readonly wallMs: number;
  readonly treeRssKib: number;
  readonly treePssKib: number;
  readonly tests: string;
}

async function stockRun(suite: Suite, url: string): Promise<Run> {
  const work = await mkdtemp(join(tmpdir(), 'spec-bench-stock-'));
  try {
    const cli = join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
    const run = await runMeasured(
      process.execPath,
      [
        cli,
        'test',
        '-c',
        join(suite.dir, 'playwright.config.ts'),
        '--reporter=dot',
        '--output',
        join(work, 'out'),
      ],
      { cwd: repoRoot, env: { ...process.env, BASE_URL: url, CI: '' }, timeoutMs: 900_000 },
    );
    // A test that fails under load is still timed (and shown in the tests column); no summary at all is not.
    const summary = run.stdout.match(/(\d+) passed/);
    if (!summary) throw new Error(`playwright test exited ${run.exitCode}: ${run.stdout.slice(-1500)}`);
    const failed = run.stdout.match(/(\d+) failed/);
    return {
      wallMs: run.wallMs,
      treeRssKib: run.memory.treeRssKib,
      treePssKib: run.memory.treePssKib,
      tests: `${summary[1]} passed${failed ? `, ${failed[1]} failed` : ''}`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function sealRun(suite: Suite, url: string): Promise<Run> {
  const state = await mkdtemp(join(tmpdir(), 'spec-bench-seal-'));
  try {
    const run = await runMeasured(
      process.execPath,
      [
        join(repoRoot, 'bin', 'smoke-seal'),
        'run',
        url,
        '--spec',
        suite.dir,
        '--config',
        join(suite.dir, 'playwright.config.ts'),
        // Every test, as stock runs them: the seal's default grep is @qa-readonly.
        '--grep',
        '.',
        '--deadline',
        '900000',
        '--state-dir',
        state,
        '--json',
      ],
      { cwd: repoRoot, env: { ...process.env, BASE_URL: '', CI: '' }, timeoutMs: 960_000 },
    );
    let seal: { status: string; summary?: string; checks: { outcome: string }[] };
    try {
      seal = JSON.parse(run.stdout);
    } catch {
      throw new Error(`seal exited ${run.exitCode} without a JSON seal: ${run.stderr.slice(-1500)}`);
    }
    if (seal.status !== 'green') console.error(`seal ${seal.status}: ${(seal.summary ?? '').slice(0, 500)}`);
    return {
      wallMs: run.wallMs,
      treeRssKib: run.memory.treeRssKib,
      treePssKib: run.memory.treePssKib,
      tests: `${seal.checks.filter((check) => check.outcome === 'passed').length} passed${seal.status === 'green' ? '' : ` (${seal.status})`}`,
    };
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}

interface SuiteResult {
  readonly suite: Suite;
  readonly stock: Run[];
  readonly seal: Run[];
  readonly pairs: SpecBenchPair[];
}

async function main(): Promise<void> {
  await sparticuz.executablePath();
  const chosen = process.env.SPEC_BENCH_SUITES?.split(',').filter(Boolean);
  const loadBefore = loadavg();
  const startedAt = new Date();
  const results: SuiteResult[] = [];
  for (const suite of SUITES.filter((s) => !chosen || chosen.includes(s.key))) {
    const site = await suite.start();
    const result: SuiteResult = { suite, stock: [], seal: [], pairs: [] };
    results.push(result);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so neither always meets the warmer machine.
        let stock: Run;
        let seal: Run;
        if (round % 2 === 0) {
          stock = await stockRun(suite, site.url);
          seal = await sealRun(suite, site.url);
        } else {
          seal = await sealRun(suite, site.url);
          stock = await stockRun(suite, site.url);
        }
        result.stock.push(stock);
        result.seal.push(seal);
        result.pairs.push({ stockMs: stock.wallMs, sealMs: seal.wallMs });
        console.error(
          `${suite.key}: round ${round + 1}/${ROUNDS}: stock ${Math.round(stock.wallMs)} ms (${stock.tests}), seal ${Math.round(seal.wallMs)} ms (${seal.tests}), load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    } finally {
      await site.close();
    }
  }
  const section = render(results, { loadBefore, loadAfter: loadavg(), startedAt });
  console.log(section);
  const docPath = join(repoRoot, 'docs', 'performance.md');
  const existing = await readFile(docPath, 'utf8');
  const block = `${START}\n${section.trim()}\n${END}`;
  const start = existing.indexOf(START);
  const end = existing.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${existing.slice(0, start)}${block}${existing.slice(end + END.length)}`
      : `${existing.trimEnd()}\n\n## The app's own Playwright spec\n\n${block}\n`;
  await writeFile(docPath, next);
}

function ms(values: readonly number[]): string {
  return values.length === 0 ? '-' : `${(median(values) / 1000).toFixed(1)} s`;
}

function mib(values: readonly number[]): string {
  return values.length === 0 ? '-' : `${Math.round(median(values) / 1024)} MiB`;
}

function render(
  results: readonly SuiteResult[],
  machine: { loadBefore: number[]; loadAfter: number[]; startedAt: Date },
): string {
  const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' / ');
  const lines = [
    `Medians of ${ROUNDS} rounds per suite, ${machine.startedAt.toISOString().slice(0, 16)} UTC, on ${cpus().length} cores and`,
    `${Math.round(totalmem() / 2 ** 30)} GiB; load average (1 / 5 / 15 min) ${load(machine.loadBefore)} before, ${load(machine.loadAfter)} after.`,
    "Stock is `npx playwright test -c <the suite's playwright.config.ts>`; the seal is `bin/smoke-seal run <url> --spec",
    '<folder> --config <the same config> --json` (the CLI: tsx loads the TypeScript, the read-only proxy, the record',
    'in a local store); both use the Chromium inside @sparticuz/chromium, one after the other in each round (the',
    'order alternates). Wall is spawn to exit. Memory is the peak of the whole process tree at one instant (Node,',
    "the runner's workers, Chromium): RSS counts shared pages once per process, PSS splits them.",
    '',
    '| suite | stock (wall) | seal (wall) | seal ÷ stock (median of rounds) | stock peak RSS / PSS | seal peak RSS / PSS | tests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const verdicts: string[] = [];
  for (const { suite, stock, seal, pairs } of results) {
    const ratio = sealOverStock(pairs);
    lines.push(
      `| ${suite.label} | ${ms(stock.map((r) => r.wallMs))} | ${ms(seal.map((r) => r.wallMs))} | ${ratio === null ? '-' : `${ratio.toFixed(2)}×`} | ${mib(stock.map((r) => r.treeRssKib))} / ${mib(stock.map((r) => r.treePssKib))} | ${mib(seal.map((r) => r.treeRssKib))} / ${mib(seal.map((r) => r.treePssKib))} | stock ${stock[0]?.tests ?? '-'}, seal ${seal[0]?.tests ?? '-'} |`,
    );
    verdicts.push(
      `- ${suite.key}: seal at most ${SPEC_STOCK_LIMIT}× stock: **${judgeSealOverStock(ratio)}**`,
    );
  }
  return [...lines, '', ...verdicts].join('\n');
}

await main();
