// Issue 11's benchmark, runnable alone (`npm run bench:spec`): the seal running e2e/qa_readonly.spec.ts versus
// `npx playwright test e2e/qa_readonly.spec.ts --grep @qa-readonly`, and versus the same checks as data, on the
// instant and the 150 ms demo site. Talks only to 127.0.0.1; rewrites its block of docs/performance.md.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { startDemoSite } from '../e2e/demo-site';
import { runMeasured } from './measured-process';
import {
  judgeSpecRatios,
  SPEC_DATA_LIMIT,
  SPEC_PEER_TARGET,
  type SpecBenchRuns,
  specRatios,
} from './spec-comparison';
import { median } from './stats';

const ROUNDS = Number(process.env.SPEC_BENCH_ROUNDS ?? 3);
const repoRoot = join(import.meta.dirname, '..');
const START = '<!-- spec-bench:start (npm run bench:spec rewrites this block) -->';
const END = '<!-- spec-bench:end -->';

interface MutableRuns {
  peerWall: number[];
  specWall: number[];
  dataWall: number[];
  specSeal: number[];
  dataSeal: number[];
}

async function sealRun(url: string, spec: boolean): Promise<{ wall: number; seal: number }> {
  const stateDir = await mkdtemp('/tmp/smoke-seal-bench-spec-');
  try {
    const args = [
      'run',
      url,
      '--json',
      '--state-dir',
      stateDir,
      ...(spec ? ['--spec', 'e2e/qa_readonly.spec.ts'] : []),
    ];
    const run = await runMeasured(join(repoRoot, 'bin/smoke-seal'), args, {
      cwd: repoRoot,
      env: process.env,
      timeoutMs: 120_000,
    });
    if (run.exitCode !== 0)
      throw new Error(`seal ${spec ? '--spec' : 'data'} exited ${run.exitCode}: ${run.stderr.slice(-800)}`);
    const seal = JSON.parse(run.stdout) as { durationMs: number; checks: unknown[] };
    return { wall: run.wallMs, seal: seal.durationMs };
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function peerRun(url: string): Promise<number> {
  const outputDir = await mkdtemp('/tmp/smoke-seal-bench-spec-peer-');
  try {
    const cli = join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
    const run = await runMeasured(
      process.execPath,
      [
        cli,
        'test',
        'e2e/qa_readonly.spec.ts',
        '--grep',
        '@qa-readonly',
        '--output',
        outputDir,
        '--reporter',
        'dot',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, BASE_URL: url, CI: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
        timeoutMs: 150_000,
      },
    );
    if (run.exitCode !== 0)
      throw new Error(`playwright test exited ${run.exitCode}: ${run.stdout.slice(-800)}`);
    return run.wallMs;
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await sparticuz.executablePath();
  const sites = [
    { name: 'instant', site: await startDemoSite() },
    { name: '150 ms', site: await startDemoSite({ latencyMs: 150 }) },
  ];
  const results = new Map<string, MutableRuns>();
  try {
    for (const { name, site } of sites) {
      const runs: MutableRuns = { peerWall: [], specWall: [], dataWall: [], specSeal: [], dataSeal: [] };
      results.set(name, runs);
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order so none always runs first.
        const jobs = [
          async () => runs.peerWall.push(await peerRun(site.url)),
          async () => {
            const run = await sealRun(site.url, true);
            runs.specWall.push(run.wall);
            runs.specSeal.push(run.seal);
          },
          async () => {
            const run = await sealRun(site.url, false);
            runs.dataWall.push(run.wall);
            runs.dataSeal.push(run.seal);
          },
        ];
        for (let i = 0; i < jobs.length; i++) await jobs[(i + round) % jobs.length]!();
        console.error(`${name}: round ${round + 1}/${ROUNDS} done`);
      }
    }
  } finally {
    for (const { site } of sites) await site.close();
  }
  const section = render(results);
  console.log(section);
  const docPath = join(repoRoot, 'docs', 'performance.md');
  const existing = await readFile(docPath, 'utf8');
  const block = `${START}\n${section.trim()}\n${END}`;
  const start = existing.indexOf(START);
  const end = existing.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${existing.slice(0, start)}${block}${existing.slice(end + END.length)}`
      : `${existing.trimEnd()}\n\n## The app's own Playwright spec (issue 11)\n\n${block}\n`;
  await writeFile(docPath, next);
}

function ms(values: readonly number[]): string {
  return values.length === 0 ? '-' : `${Math.round(median(values))} ms`;
}

function x(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(2)}×`;
}

function render(results: ReadonlyMap<string, SpecBenchRuns>): string {
  const lines = [
    `Medians of ${ROUNDS} runs per site, same machine, same Chromium (@sparticuz/chromium 147), same spec file`,
    `(\`e2e/qa_readonly.spec.ts\`, 6 tests). Process wall is spawn to exit of the command a person types:`,
    '`bin/smoke-seal run <url> --spec e2e/qa_readonly.spec.ts` (bundles, loads and runs the spec, stores the seal),',
    '`bin/smoke-seal run <url>` (the same checks as data) and `npx playwright test e2e/qa_readonly.spec.ts --grep @qa-readonly`',
    '(playwright.config.ts, default workers). "In the seal" is the seal\'s own duration (launch, checks, record).',
    '',
    '| site | playwright test (wall) | seal, spec (wall) | seal, data (wall) | seal, spec (in the seal) | seal, data (in the seal) | playwright ÷ seal spec | spec ÷ data (in the seal) | spec ÷ data (wall) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const verdicts: string[] = [];
  for (const [name, runs] of results) {
    const ratios = specRatios(runs);
    const judged = judgeSpecRatios(ratios);
    lines.push(
      `| ${name} | ${ms(runs.peerWall)} | ${ms(runs.specWall)} | ${ms(runs.dataWall)} | ${ms(runs.specSeal)} | ${ms(runs.dataSeal)} | ${x(ratios.peerOverSpec)} | ${x(ratios.specOverData)} | ${x(ratios.specOverDataWall)} |`,
    );
    verdicts.push(
      `- ${name}: at least ${SPEC_PEER_TARGET}× faster than Playwright Test: **${judged.peer}**; at most ${SPEC_DATA_LIMIT}× the data checks: **${judged.data}**`,
    );
  }
  return [...lines, '', ...verdicts].join('\n');
}

await main();
