// The contract between the bench and its child processes: one job in (env BENCH_JOB), one result out (stdout).
import { z } from 'zod';
import { ISOLATION_VARIANTS } from './bench-launcher';

export const SealJobSchema = z
  .object({
    /** "shipped" is the production adapter (ChromiumLauncher); the others are the isolation variants. */
    variant: z.enum(['shipped', ...ISOLATION_VARIANTS]),
    checks: z.number().int().min(1).max(96),
    concurrency: z.number().int().min(1).max(16),
    baseUrl: z.url(),
    /** Private folder for evidence; the parent removes it. */
    workDir: z.string().min(1),
  })
  .strict();
export type SealJob = z.infer<typeof SealJobSchema>;

/** Milliseconds unless named otherwise; all measured inside the child. */
export interface SealJobResult {
  readonly status: string;
  readonly summary: string;
  /** Process start to the first line of the bench's own code (Node, module load). */
  readonly startupMs: number;
  /** @sparticuz/chromium's executablePath(): decompression on a cold start, a stat when warm. */
  readonly decompressMs: number;
  readonly launchMs: number;
  readonly checksMs: number;
  readonly closeMs: number;
  /** Seal time not spent in the browser: store reads, evidence writes, verdict, report, store write. */
  readonly recordMs: number;
  /** sealApp from call to return: launch, checks, close, verdict and record. */
  readonly sealMs: number;
  readonly slowestCheckMs: number;
  readonly checkCount: number;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';
