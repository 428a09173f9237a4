// npm run bench: how fast, how lean and how cheap a seal is, side by side with Playwright Test.
// Talks only to the demo site on 127.0.0.1; every run is bounded; writes docs/performance.md.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sparticuz from '@sparticuz/chromium';
import { startDemoSite } from '../e2e/demo-site';
import { DeployConfigSchema } from '../lib/config';
import type { BenchData, IsolationResult, MachineInfo } from './bench-data';
import { ISOLATION_VARIANTS, type IsolationVariant } from './bench-launcher';
import { measureBundle } from './bundle-size';
import { buildChildBundle } from './child-bundle';
import { spliceGenerated } from './generated-section';
import { type GuardCost, measureGuardCost, writeGuardCost } from './guard-cost';
import { headlineRows, renderMarkdown, renderText } from './render-report';
import { type PeerRun, runPeer } from './run-peer';
import { runSealJob, type SealRun } from './run-seal-job';
import type { SealJob } from './seal-job';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchStarted = performance.now();

/** Rounds of the cheap measurements; the costly ones (isolation, peer on both sites, small specs) run in the first 3. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HEAVY_ROUNDS = Math.min(3, ROUNDS);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const LATENCY_MS = 150;

function log(message: string): void {
  process.stderr.write(`[bench ${Math.round((performance.now() - benchStarted) / 1000)}s] ${message}\n`);
}

async function version(pkg: string): Promise<string> {
  const json = JSON.parse(await readFile(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  return json.version;
}

async function configuredMemoryMb(): Promise<number> {
  const fallback = DeployConfigSchema.shape.sealFunction.parse(undefined).memoryMb;
  const path = join(repoRoot, 'cdk.json');
  if (!existsSync(path)) return fallback;
  const cdkJson = JSON.parse(await readFile(path, 'utf8')) as {
    context?: { smokeSeal?: { sealFunction?: { memoryMb?: number } } };
  };
  return cdkJson.context?.smokeSeal?.sealFunction?.memoryMb ?? fallback;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  // Warm Chromium lives in the shared os.tmpdir()/chromium: made if missing, never removed.
  const executablePath = await sparticuz.executablePath();
  const site = await startDemoSite();
  // The demo site answers at once; production sits across a network. This one shows what overlapping waits gains.
  const slowSite = await startDemoSite({ latencyMs: LATENCY_MS });
  log(`demo site at ${site.url}; ${ROUNDS} rounds, ${COLD_RUNS} cold runs`);
  const base = { baseUrl: site.url, variant: 'shipped' as const, checks: 6, concurrency: 4 };
  const bundle = await buildChildBundle(repoRoot);
  const seal = async (job: Omit<SealJob, 'workDir'>, tmpDir?: string): Promise<SealRun> => {
    const options = { repoRoot, childBundle: bundle.path };
    const run = await runSealJob(job, tmpDir ? { ...options, tmpDir } : options);
    if (run.result.status !== 'green' && job.variant === 'shipped') {
      throw new Error(`a ${job.checks}-check seal of the healthy demo site was ${run.result.summary}`);
    }
    return run;
  };

  const cold: SealRun[] = [];
  const warm: SealRun[] = [];
  const sequential: SealRun[] = [];
  const latencySequential: SealRun[] = [];
  const latencyConcurrent: SealRun[] = [];
  const scaling = new Map<number, SealRun[]>([1, 4, 12, 24].map((count) => [count, []]));
  const isolationRuns = new Map<IsolationVariant, SealRun[]>(ISOLATION_VARIANTS.map((v) => [v, []]));
  const isolationBroken = new Map<IsolationVariant, string>();
  const peerSettings = ['default', '4'] as const;
  const peer = new Map<string, PeerRun[]>(peerSettings.map((workers) => [workers, []]));
  const latencyPeer = new Map<string, PeerRun[]>(peerSettings.map((workers) => [workers, []]));

  let guardCost: GuardCost | undefined;
  try {
    for (let index = 0; index < COLD_RUNS; index++) {
      // A private os.tmpdir(): the child decompresses Chromium there as a new Lambda container does.
      const tmpDir = await mkdtemp('/tmp/smoke-seal-bench-cold-');
      try {
        const run = await seal(base, tmpDir);
        cold.push(run);
        log(`cold ${index + 1}/${COLD_RUNS}: ${Math.round(run.processWallMs)} ms`);
      } finally {
        await rm(tmpDir, { recursive: true, force: true });
      }
    }

    for (let round = 0; round < ROUNDS; round++) {
      const heavy = round < HEAVY_ROUNDS;
      const tasks: [string, () => Promise<void>][] = [
        ['warm', async () => void warm.push(await seal(base))],
        ['sequential', async () => void sequential.push(await seal({ ...base, concurrency: 1 }))],
        [
          'latency, concurrency 4',
          async () => void latencyConcurrent.push(await seal({ ...base, baseUrl: slowSite.url })),
        ],
        [
          'latency, concurrency 1',
          async () =>
            void latencySequential.push(await seal({ ...base, baseUrl: slowSite.url, concurrency: 1 })),
        ],
        ['12 checks', async () => void scaling.get(12)!.push(await seal({ ...base, checks: 12 }))],
        ['24 checks', async () => void scaling.get(24)!.push(await seal({ ...base, checks: 24 }))],
      ];
      if (heavy) {
        tasks.push(['1 check', async () => void scaling.get(1)!.push(await seal({ ...base, checks: 1 }))]);
        tasks.push(['4 checks', async () => void scaling.get(4)!.push(await seal({ ...base, checks: 4 }))]);
        for (const variant of ISOLATION_VARIANTS) {
          tasks.push([
            variant,
            async () => {
              if (isolationBroken.has(variant)) return;
              const run = await seal({ ...base, variant });
              if (run.result.status === 'green') isolationRuns.get(variant)!.push(run);
              else isolationBroken.set(variant, run.result.summary);
            },
          ]);
        }
        // The peer against both sites; its seal side is `warm` and `latency, concurrency 4`.
        const peerSites = [
          { name: 'peer', url: site.url, runs: peer },
          { name: 'peer, latency', url: slowSite.url, runs: latencyPeer },
        ];
        for (const target of peerSites) {
          for (const workers of peerSettings) {
            tasks.push([
              `${target.name} (${workers} workers)`,
              async () => {
                const run = await runPeer({
                  repoRoot,
                  baseUrl: target.url,
                  executablePath,
                  workers: workers === 'default' ? null : Number(workers),
                });
                target.runs.get(workers)!.push(run);
              },
            ]);
          }
        }
      }
      // Rotate the order each round so no variant always runs first (or right after the peer).
      const rotated = [...tasks.slice(round % tasks.length), ...tasks.slice(0, round % tasks.length)];
      for (const [, task] of rotated) await task();
      log(`round ${round + 1}/${ROUNDS} done (${rotated.map(([name]) => name).join(', ')})`);
    }
    log('guard cost: the read-only guard as shipped versus none, warm, in this process');
    guardCost = await measureGuardCost({ baseUrl: site.url, executablePath, rounds: Math.max(ROUNDS, 6) });
  } finally {
    await site.close();
    await slowSite.close();
    await bundle.dispose();
  }

  log('synthesizing the CDK app for the asset size');
  const asset = await measureBundle(repoRoot);

  const isolation = new Map<IsolationVariant, IsolationResult>(
    ISOLATION_VARIANTS.map((variant) => {
      const broken = isolationBroken.get(variant);
      return [
        variant,
        broken ? { works: false, summary: broken } : { works: true, runs: isolationRuns.get(variant)! },
      ];
    }),
  );
  const { stdout: chromiumVersion } = await promisify(execFile)(executablePath, ['--version'], {
    timeout: 20_000,
  });
  const machine: MachineInfo = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    kernel: `Linux ${release()}`,
    node: process.version,
    chromium: chromiumVersion.trim(),
    sparticuz: await version('@sparticuz/chromium'),
    playwrightCore: await version('playwright-core'),
    playwrightTest: await version('@playwright/test'),
    loadBefore,
    loadAfter: loadavg(),
    benchMs: performance.now() - benchStarted,
  };
  const data: BenchData = {
    machine,
    cold,
    warm,
    sequential,
    latencyMs: LATENCY_MS,
    latencySequential,
    latencyConcurrent,
    scaling,
    isolation,
    peer,
    latencyPeer,
    bundle: asset,
    memoryMb: await configuredMemoryMb(),
  };

  const docPath = join(repoRoot, 'docs', 'performance.md');
  const existing = existsSync(docPath) ? await readFile(docPath, 'utf8') : null;
  await writeFile(docPath, spliceGenerated(existing, renderMarkdown(data)));
  if (guardCost) await writeGuardCost(repoRoot, guardCost);
  process.stdout.write(`\n${renderText(headlineRows(data))}\n\nWrote ${docPath}\n`);
}

await main();
