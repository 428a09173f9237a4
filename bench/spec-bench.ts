// Issue 11's benchmark, runnable alone (`npm run bench:spec`): the seal running e2e/qa_readonly.spec.ts versus
// `npx playwright test e2e/qa_readonly.spec.ts --grep @qa-readonly`, and versus the same checks as data, on the
// instant and the 150 ms demo site. Talks only to 127.0.0.1; rewrites its block of docs/performance.md.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { startDemoSite } from '../e2e/demo-site';
import { preparePlaywrightSpec } from '../functions/adapters/playwright-spec/prepare-playwright-spec';
import { buildChildBundle } from './child-bundle';
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

/** The seal as the function runs it: a fresh process of the bundled child, the spec bundled beforehand (as at synth). */
async function sealRun(
  url: string,
  specBundle: string | null,
  childBundle: string,
): Promise<{ wall: number; seal: number }> {
  const workDir = await mkdtemp('/tmp/smoke-seal-bench-spec-');
  try {
    const run = await runMeasured(process.execPath, [childBundle], {
      cwd: repoRoot,
      env: { ...process.env, SPEC_BENCH_JOB: JSON.stringify({ baseUrl: url, specBundle, workDir }) },
      timeoutMs: 120_000,
    });
    const line = run.stdout.split('\n').find((entry) => entry.startsWith('SPEC_BENCH_RESULT '));
    if (run.exitCode !== 0 || !line) {
      throw new Error(
        `seal ${specBundle ? 'spec' : 'data'} exited ${run.exitCode}: ${run.stderr.slice(-800)}`,
      );
    }
    const result = JSON.parse(line.slice('SPEC_BENCH_RESULT '.length)) as {
      status: string;
      sealMs: number;
      summary: string;
    };
    if (result.status !== 'green') throw new Error(`seal ${specBundle ? 'spec' : 'data'}: ${result.summary}`);
    return { wall: run.wallMs, seal: result.sealMs };
  } finally {
    await rm(workDir, { recursive: true, force: true });
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
  const child = await buildChildBundle(repoRoot, 'spec-seal-child');
  const childBundle = child.path;
  // As cdk synth does: the spec prepared once (checked and copied), shipped beside the function.
  const specBundle = join(child.dir, 'qa_readonly');
  await preparePlaywrightSpec({
    config: { files: 'e2e/qa_readonly.spec.ts', grep: '@qa-readonly' },
    baseDir: repoRoot,
    outDir: specBundle,
    where: 'bench',
  });
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
            const run = await sealRun(site.url, specBundle, childBundle);
            runs.specWall.push(run.wall);
            runs.specSeal.push(run.seal);
          },
          async () => {
            const run = await sealRun(site.url, null, childBundle);
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
    await child.dispose();
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
    `(\`e2e/qa_readonly.spec.ts\`, 6 tests). Process wall is spawn to exit. The seal runs as the function does:`,
    'a fresh Node process of the bundled seal code (bench/spec-seal-child.ts), the spec bundled beforehand as `cdk synth`',
    'does and loaded in the process (its load counts in the wall), the seal stored in dynalite; "data" is the same six',
    'checks as the default data lane. The peer is `npx playwright test e2e/qa_readonly.spec.ts --grep @qa-readonly`',
    '(playwright.config.ts, default workers). "In the seal" is sealApp\'s time (launch, checks, record).',
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
