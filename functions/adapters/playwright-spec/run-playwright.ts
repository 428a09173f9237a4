// Starts Playwright Test's own CLI on a generated overlay config, fenced, and ends it (and its browsers) at a deadline.
import { spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BROWSER_PROBE_SOURCE } from './browser-probe';
import { killRunnerTree } from './kill-runner-tree';
import { NODE_NETWORK_FENCE_SOURCE } from './node-network-fence';
import { type OverlaySettings, overlayConfigSource } from './overlay-config';
import { SEAL_REPORTER_SOURCE } from './seal-reporter';

/** The environment the spec's processes may see: nothing of the seal's (AWS credentials, sign-in secrets, tokens). */
const PASSED_ENV =
  /^(PATH|HOME|USER|LANG|LANGUAGE|LC_[A-Z]+|TZ|CI|NODE_ENV|FONTCONFIG_PATH|LD_LIBRARY_PATH)$/;
/** Runner output kept for a tooling error (the tail), and told to the log (lines). */
const KEPT_OUTPUT_CHARS = 4_000;
const MAX_LOG_LINES = 500;
const MAX_LOG_LINE_CHARS = 1_000;

export interface RunPlaywrightOptions {
  /** A folder of this run's own, removed by the caller: config, reporter, fence, output, Chromium's profiles. */
  readonly runDir: string;
  readonly settings: Omit<OverlaySettings, 'reporter' | 'reporterOut' | 'skippedOut' | 'outputDir' | 'probe'>;
  /** CLI arguments after `test` (grep, a file filter, --list). */
  readonly args: readonly string[];
  /** `127.0.0.1:port`: the one place the spec's Node code may connect to. */
  readonly nodeProxy: string;
  /** The per-seal CA (PEM): Node's clients in the spec's processes trust the proxy's leaves. */
  readonly caPem: string | null;
  /** Past this, the runner and its browsers are SIGKILLed. */
  readonly killAfterMs: number;
  /** The spec's output (console) line by line: the seal's log, never stdout. */
  readonly log?: (line: string) => void;
}

export interface PlaywrightExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the deadline (or a failed start) made us kill it. */
  readonly killed: boolean;
  /** The end of what the runner printed, for a tooling error. */
  readonly outputTail: string;
  /** Where the reporter wrote, and the projects the overlay left out. */
  readonly reporterOut: string;
  readonly skippedOut: string;
  /** The Node fence's refusals, one JSON line each. */
  readonly fenceLog: string;
  /** The browser probe's answers (browser-probe.ts), one JSON line each. */
  readonly probeOut: string;
  readonly outputDir: string;
  readonly startError: string | null;
}

/** The `playwright` package's CLI, the one `npx playwright test` runs. */
export function playwrightCli(): string {
  return join(playwrightDir(), 'cli.js');
}

function playwrightDir(): string {
  return dirname(createRequire(import.meta.url).resolve('playwright/package.json'));
}

/** The `playwright-core` and `playwright/test` modules the runner's workers load (the probe hooks the same instances). */
function workerModules(): { core: string; test: string } {
  const fromPlaywright = createRequire(join(playwrightDir(), 'package.json'));
  return { core: fromPlaywright.resolve('playwright-core'), test: fromPlaywright.resolve('playwright/test') };
}

export async function runPlaywright(options: RunPlaywrightOptions): Promise<PlaywrightExit> {
  const { runDir } = options;
  const files = {
    config: join(runDir, 'smoke-seal.config.mjs'),
    reporter: join(runDir, 'smoke-seal-reporter.cjs'),
    fence: join(runDir, 'smoke-seal-fence.cjs'),
    ca: join(runDir, 'seal-ca.pem'),
    reporterOut: join(runDir, 'results.jsonl'),
    skippedOut: join(runDir, 'skipped-projects.json'),
    fenceLog: join(runDir, 'fence.jsonl'),
    probe: join(runDir, 'smoke-seal-probe.cjs'),
    probeOut: join(runDir, 'probe.jsonl'),
    outputDir: join(runDir, 'output'),
    tmp: join(runDir, 'tmp'),
  };
  await writeFile(files.reporter, SEAL_REPORTER_SOURCE);
  await writeFile(files.fence, NODE_NETWORK_FENCE_SOURCE);
  await writeFile(files.fenceLog, '');
  await writeFile(files.probe, BROWSER_PROBE_SOURCE);
  await writeFile(
    files.config,
    overlayConfigSource({
      ...options.settings,
      reporter: files.reporter,
      reporterOut: files.reporterOut,
      skippedOut: files.skippedOut,
      outputDir: files.outputDir,
      probe: { module: files.probe, ...workerModules(), out: files.probeOut },
    }),
  );
  if (options.caPem) await writeFile(files.ca, options.caPem);
  await mkdir(files.tmp, { recursive: true });
  // The run's TMPDIR is its own (below), so a team config that asks @sparticuz/chromium for its binary
  // (`executablePath: await chromium.executablePath()`, common where teams already run in Lambda) would
  // find no `<tmpdir>/chromium` and decompress a second copy there: about a second of CPU and 180 MB of
  // /tmp per seal. The link hands it the seal's own browser, which the overlay uses anyway.
  await symlink(options.settings.executablePath, join(files.tmp, 'chromium')).catch(() => undefined);

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && PASSED_ENV.test(name)) env[name] = value;
  }
  Object.assign(env, {
    NODE_OPTIONS: `--require ${files.fence}`,
    SMOKE_SEAL_FENCE: files.fence,
    SMOKE_SEAL_FENCE_LOG: files.fenceLog,
    SMOKE_SEAL_NODE_PROXY: options.nodeProxy,
    SMOKE_SEAL_BROWSER: options.settings.executablePath,
    // Chromium's profiles land here, so a kill finds every browser of this run by its command line.
    TMPDIR: files.tmp,
    // Playwright's transform cache outlives the run (a warm Lambda reuses it), under the real temp folder.
    PWTEST_CACHE_DIR: join(tmpdir(), 'smoke-seal-playwright-cache'),
    FORCE_COLOR: '0',
    ...(env.HOME ? {} : { HOME: files.tmp }),
    ...(options.caPem ? { NODE_EXTRA_CA_CERTS: files.ca } : {}),
  });

  const output = new OutputKeeper(options.log);
  const child = spawn(
    process.execPath,
    [playwrightCli(), 'test', '--config', files.config, ...options.args],
    {
      cwd: options.settings.teamDir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.add(chunk));
  let killed = false;
  const kill = () => {
    killed = true;
    void killRunnerTree(child.pid, runDir);
  };
  const timer = setTimeout(kill, Math.max(0, options.killAfterMs));
  timer.unref?.();
  const exit = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    error: string | null;
  }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  });
  clearTimeout(timer);
  // Whatever the runner did, nothing of it outlives the run: a browser whose worker died lingers otherwise.
  await killRunnerTree(undefined, runDir);
  output.flush();
  return {
    code: exit.code,
    signal: exit.signal,
    killed,
    outputTail: output.tail(),
    reporterOut: files.reporterOut,
    skippedOut: files.skippedOut,
    fenceLog: files.fenceLog,
    probeOut: files.probeOut,
    outputDir: files.outputDir,
    startError: exit.error,
  };
}

/** The runner's output: told line by line to the log (bounded), its tail kept for errors. */
class OutputKeeper {
  private text = '';
  private partial = '';
  private lines = 0;

  constructor(private readonly log?: (line: string) => void) {}

  add(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.text = (this.text + text).slice(-KEPT_OUTPUT_CHARS);
    if (!this.log) return;
    const parts = (this.partial + text).split('\n');
    this.partial = (parts.pop() ?? '').slice(-MAX_LOG_LINE_CHARS);
    for (const line of parts) this.tell(line);
  }

  flush(): void {
    if (this.partial) this.tell(this.partial);
    this.partial = '';
  }

  tail(): string {
    return this.text;
  }

  private tell(line: string): void {
    if (this.lines >= MAX_LOG_LINES) return;
    this.lines++;
    try {
      this.log?.(
        this.lines === MAX_LOG_LINES ? '… (more spec output left out)' : line.slice(0, MAX_LOG_LINE_CHARS),
      );
    } catch {
      // the log is a courtesy
    }
  }
}
