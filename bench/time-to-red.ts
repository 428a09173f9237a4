// Issue 14 measurements: time to red for a missing landmark, the not-found probe's cost on a green seal,
// and the CLI's first output. Run: npx tsx bench/time-to-red.ts (numbers go to docs/performance.md by hand).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSite } from '../e2e/demo-site';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { defaultSpec } from '../functions/core/default-spec';
import { runSpec } from '../functions/core/run-spec';
import { formatMs, summarize } from './stats';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const site = await startDemoSite({ slowMs: 30_000 });
const withProbe = new ChromiumLauncher();
const withoutProbe = new ChromiumLauncher({ notFoundProbe: false });

const toRed: number[] = [];
const greenWith: number[] = [];
const greenWithout: number[] = [];
const firstOutput: number[] = [];
const stateDir = await mkdtemp(join(tmpdir(), 'smoke-seal-ttr-'));
try {
  for (let round = 0; round < ROUNDS; round++) {
    site.setFaults(['sign-in-missing-form']);
    const red = await runSpec({
      spec: defaultSpec,
      baseUrl: site.url,
      launcher: withProbe,
      deadlineMs: 90_000,
    });
    const signIn = red.checks.find((check) => check.name === 'sign-in')!;
    if (signIn.outcome !== 'failed') throw new Error(`expected sign-in to fail, got ${signIn.outcome}`);
    toRed.push(signIn.durationMs);

    site.setFaults([]);
    for (const [launcher, into] of (round % 2 === 0
      ? [
          [withProbe, greenWith],
          [withoutProbe, greenWithout],
        ]
      : [
          [withoutProbe, greenWithout],
          [withProbe, greenWith],
        ]) as [ChromiumLauncher, number[]][]) {
      const green = await runSpec({ spec: defaultSpec, baseUrl: site.url, launcher, deadlineMs: 60_000 });
      if (green.checks.some((check) => check.outcome !== 'passed')) throw new Error('expected a green seal');
      into.push(green.checksMs!);
    }

    firstOutput.push(await cliFirstStderr(site.url, stateDir));
  }
} finally {
  await site.close();
  await rm(stateDir, { recursive: true, force: true });
}

const show = (values: number[]) => formatMs(summarize(values));
console.log(
  `| Missing landmark on a settled page: sign-in check, 2 attempts, 15 s budget | ${show(toRed)} |`,
);
console.log(`| Green demo seal, checks phase, with the not-found probe | ${show(greenWith)} |`);
console.log(`| Green demo seal, checks phase, probe off | ${show(greenWithout)} |`);
console.log(`| CLI: first line on stderr after spawn | ${show(firstOutput)} |`);

/** Milliseconds from spawning `smoke-seal run` to its first stderr bytes. */
function cliFirstStderr(url: string, dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first: number | null = null;
    const child = spawn(join(import.meta.dirname, '../bin/smoke-seal'), ['run', url, '--state-dir', dir], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.stderr.once('data', () => {
      first = performance.now() - started;
    });
    child.stdout.resume();
    child.on('close', () => (first === null ? reject(new Error('no stderr')) : resolve(first)));
  });
}
