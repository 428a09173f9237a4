// Runs one conformance case (a folder of test/conformance/specs/ with its playwright.config.ts) under stock
// `npx playwright test --reporter=json` and under a seal (`bin/smoke-seal run <url> --spec --config --json`),
// both against the same site, one after the other, and returns each side's verdicts.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealVerdicts, stockVerdicts, type VerdictMap } from './verdicts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const specsRoot = join(import.meta.dirname, 'specs');

interface Ran {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const KEEP = 2_000_000;

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < KEEP) stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < KEEP) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

export interface StockRun {
  readonly verdicts: VerdictMap;
  readonly exitCode: number | null;
  readonly errors: readonly string[];
}

/** Stock Playwright Test on the case's own config, BASE_URL pointing at the site. */
export async function runStock(caseDir: string, url: string, timeoutMs = 600_000): Promise<StockRun> {
  const work = await mkdtemp(join(tmpdir(), 'conformance-stock-'));
  try {
    const reportFile = join(work, 'report.json');
    const cli = join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
    const ran = await run(
      process.execPath,
      [
        cli,
        'test',
        '-c',
        join(caseDir, 'playwright.config.ts'),
        '--reporter=json',
        '--output',
        join(work, 'out'),
      ],
      { ...process.env, BASE_URL: url, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, CI: '' },
      timeoutMs,
    );
    const report = JSON.parse(await readFile(reportFile, 'utf8').catch(() => '{}')) as Parameters<
      typeof stockVerdicts
    >[0] & { errors?: { message?: string }[] };
    if (!report.suites) {
      throw new Error(
        `stock run of ${caseDir} wrote no report (exit ${ran.exitCode}): ${ran.stderr.slice(-2000)}`,
      );
    }
    return {
      verdicts: stockVerdicts(report),
      exitCode: ran.exitCode,
      errors: (report.errors ?? []).map((error) => (error.message ?? '').slice(0, 500)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface SealRun {
  readonly verdicts: VerdictMap;
  readonly status: string;
  readonly summary: string;
  readonly failedChecks: readonly { name: string; error: string | null }[];
  readonly exitCode: number | null;
  readonly stderr: string;
}

/** The seal through its CLI, as a team runs it: `run <url> --spec <folder> --config <its config> --json`. */
export async function runSeal(caseDir: string, url: string, timeoutMs = 600_000): Promise<SealRun> {
  const state = await mkdtemp(join(tmpdir(), 'conformance-seal-'));
  try {
    const ran = await run(
      process.execPath,
      [
        join(repoRoot, 'bin', 'smoke-seal'),
        'run',
        url,
        '--spec',
        caseDir,
        '--config',
        join(caseDir, 'playwright.config.ts'),
        // Every test, as stock runs them: the seal's default grep is @qa-readonly.
        '--grep',
        '.',
        '--deadline',
        '600000',
        '--state-dir',
        state,
        '--json',
      ],
      { ...process.env, BASE_URL: '', CI: '' },
      timeoutMs,
    );
    let seal: {
      status: string;
      summary?: string;
      checks: {
        name: string;
        outcome: 'passed' | 'failed' | 'skipped' | 'unfinished';
        error: string | null;
      }[];
    };
    try {
      seal = JSON.parse(ran.stdout);
    } catch (cause) {
      throw new Error(
        `seal of ${caseDir}: stdout is not one JSON seal (exit ${ran.exitCode}); stdout starts ${JSON.stringify(
          ran.stdout.slice(0, 300),
        )}; stderr ends ${ran.stderr.slice(-1500)}`,
        { cause },
      );
    }
    return {
      verdicts: sealVerdicts(seal),
      status: seal.status,
      summary: seal.summary ?? '',
      failedChecks: seal.checks
        .filter((check) => check.outcome === 'failed')
        .map((check) => ({ name: check.name, error: check.error })),
      exitCode: ran.exitCode,
      stderr: ran.stderr.slice(-4000),
    };
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
