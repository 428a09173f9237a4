// Runs one seal in a child process (bench/seal-child.ts) and collects its figures.
import { mkdtemp, rm } from 'node:fs/promises';
import { runMeasured } from './measured-process';
import type { MemoryPeak } from './memory-sampler';
import { RESULT_PREFIX, type SealJob, type SealJobResult } from './seal-job';

export interface SealRun {
  readonly job: Omit<SealJob, 'workDir'>;
  readonly result: SealJobResult;
  /** Spawn to exit, seen from the bench: what a whole invocation costs. */
  readonly processWallMs: number;
  readonly memory: MemoryPeak;
}

export interface SealRunOptions {
  readonly repoRoot: string;
  /** Where @sparticuz/chromium decompresses to (os.tmpdir()); a fresh folder makes a cold start. */
  readonly tmpDir?: string;
  /** The child bundled as the seal function is (bench/child-bundle.ts); without it, tsx runs the source. */
  readonly childBundle?: string;
}

/** A seal that is not green measures a failure, not a seal: the caller decides what that means. */
export async function runSealJob(job: Omit<SealJob, 'workDir'>, options: SealRunOptions): Promise<SealRun> {
  const workDir = await mkdtemp('/tmp/smoke-seal-bench-job-');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_JOB: JSON.stringify({ ...job, workDir }) };
    if (options.tmpDir) env.TMPDIR = options.tmpDir;
    const command = options.childBundle ? [options.childBundle] : ['--import', 'tsx', 'bench/seal-child.ts'];
    const run = await runMeasured(process.execPath, command, {
      cwd: options.repoRoot,
      env,
      timeoutMs: 150_000,
    });
    const line = run.stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
    if (run.exitCode !== 0 || !line) {
      throw new Error(
        `seal child (${job.variant}, ${job.checks} checks) exited ${run.exitCode}: ${run.stderr.trim().slice(-1500)}`,
      );
    }
    const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as SealJobResult;
    return { job, result, processWallMs: run.wallMs, memory: run.memory };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
