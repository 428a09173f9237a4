// Runs the peer (bench/peer, Playwright Test) as a team would: its CLI, one process tree, to the end.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumArgs } from '../functions/adapters/chromium-browser';
import { runMeasured } from './measured-process';
import type { MemoryPeak } from './memory-sampler';

export interface PeerRun {
  /** Workers asked for; null is Playwright's default (half the cores). */
  readonly workers: number | null;
  readonly processWallMs: number;
  /** The runner's own duration from its JSON report (after its startup, before its exit). */
  readonly reportedMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly flaky: number;
  readonly memory: MemoryPeak;
}

export interface PeerOptions {
  readonly repoRoot: string;
  readonly baseUrl: string;
  readonly executablePath: string;
  readonly workers: number | null;
}

interface JsonReport {
  readonly stats: {
    readonly duration: number;
    readonly expected: number;
    readonly unexpected: number;
    readonly flaky: number;
  };
}

/**
 * The seal's flags minus --single-process: Playwright Test gives every test its own context and
 * closes it after, and a single-process Chromium dies with its first closed context (each test
 * after the first then fails once and passes on a new worker's browser, which measures crashes).
 */
export function peerChromiumArgs(): string[] {
  return chromiumArgs().filter((flag) => flag !== '--single-process');
}

export async function runPeer(options: PeerOptions): Promise<PeerRun> {
  const outputDir = await mkdtemp('/tmp/smoke-seal-bench-peer-');
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PEER_BASE_URL: options.baseUrl,
      PEER_EXECUTABLE_PATH: options.executablePath,
      PEER_CHROMIUM_ARGS: JSON.stringify(peerChromiumArgs()),
      PEER_OUTPUT_DIR: outputDir,
      // Never a browser download, never a report server.
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      PW_TEST_HTML_REPORT_OPEN: 'never',
      CI: '1',
    };
    if (options.workers !== null) env.PEER_WORKERS = String(options.workers);
    else delete env.PEER_WORKERS;
    const cli = join(options.repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
    const run = await runMeasured(process.execPath, [cli, 'test', '-c', 'bench/peer/playwright.config.ts'], {
      cwd: options.repoRoot,
      env,
      timeoutMs: 150_000,
    });
    let report: JsonReport;
    try {
      report = JSON.parse(await readFile(join(outputDir, 'report.json'), 'utf8')) as JsonReport;
    } catch (error) {
      throw new Error(`the peer wrote no report (exit ${run.exitCode}): ${run.stderr.trim().slice(-1500)}`, {
        cause: error,
      });
    }
    return {
      workers: options.workers,
      processWallMs: run.wallMs,
      reportedMs: report.stats.duration,
      passed: report.stats.expected,
      flaky: report.stats.flaky,
      failed: report.stats.unexpected,
      memory: run.memory,
    };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}
