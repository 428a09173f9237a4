// The CLI against hostile pages and a dying browser: a child process, real Chromium, the embedded store.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../bin/smoke-seal');
const HOSTILE = '\u001b]52;c;b3duZWQ=\u0007\u001b[2K\rall good';
let cwd: string;
let server: Server;
let url: string;
/** Every page answers after this long (ms); 0 answers at once. */
let slowMs = 0;
/** Requests the site has received. */
let requests = 0;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], onSpawn?: (pid: number) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(CLI, args, { cwd, timeout: 230_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (child.pid) onSpawn?.(child.pid);
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'smoke-seal-cli-faults-'));
  server = createServer((_req, res) => {
    requests++;
    const answer = () => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>${HOSTILE}</title></head><body><h1>x</h1>` +
          `<script>throw new Error(${JSON.stringify(HOSTILE)})</script></body></html>`,
      );
    };
    if (slowMs > 0) setTimeout(answer, slowMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(cwd, { recursive: true, force: true });
});

/** The Chromium processes under a pid, found through /proc. */
async function chromiumUnder(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(Number(entry), await readFile(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      // exited meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === root) return true;
    return false;
  };
  return [...commands]
    .filter(([pid, command]) => under(pid) && command.includes('--user-data-dir='))
    .map(([pid]) => pid);
}

// Each test is a CLI process that loads TypeScript and launches Chromium: on a busy machine, tens of seconds.
describe('smoke-seal run against a hostile or dying checker', { timeout: 240_000 }, () => {
  it('exits 2 (inconclusive, no rollback command) when its Chromium is killed mid-seal', async () => {
    slowMs = 20_000;
    let killed: number[] = [];
    const result = await cli(['run', url, '--json', '--state-dir', join(cwd, 'killed')], (pid) => {
      // Once the checks are under way (the site has been asked), kill the real browser.
      requests = 0;
      const hunt = setInterval(async () => {
        if (requests === 0) return;
        const found = await chromiumUnder(pid);
        if (found.length === 0) return;
        clearInterval(hunt);
        for (const chromium of found) process.kill(chromium, 'SIGKILL');
        killed = found;
      }, 200);
      // Stops at the first find; the window is room for a busy machine to start the checks.
      setTimeout(() => clearInterval(hunt), 200_000).unref();
    });
    slowMs = 0;
    expect(killed.length).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(2);
    const seal = JSON.parse(result.stdout);
    expect(seal).toMatchObject({
      status: 'inconclusive',
      rollbackCommand: null,
      toolingError: 'the browser crashed (or closed)',
    });
  });

  it('never lets page text drive the terminal, in run, history, overview and show', async () => {
    const stateDir = join(cwd, 'hostile');
    const run = await cli(['run', url, '--deadline', '12000', '--state-dir', stateDir]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('\\u001b]52;c;');
    const id = /\((\S+:manual:\S+)\)/.exec(run.stdout)![1]!;
    const outputs = [
      run,
      await cli(['history', new URL(url).host, '--state-dir', stateDir]),
      await cli(['overview', '--state-dir', stateDir]),
      await cli(['show', id, '--state-dir', stateDir]),
      await cli(['show', id, '--json', '--state-dir', stateDir]),
    ];
    for (const output of outputs) {
      expect(output.code, output.stderr).toBeLessThanOrEqual(1);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a page must not send a terminal
      expect(`${output.stdout}${output.stderr}`).not.toMatch(/[\u001b\u0007\r]/);
    }
    expect(JSON.parse(outputs[4]!.stdout).summary).toContain(HOSTILE.slice(0, 10));
  }, 240_000);

  it('refuses a URL with credentials, exit 64, pointing to the credential options, repeating no password', async () => {
    const stateDir = join(cwd, 'credentials');
    const withPassword = `http://admin:hunter2-secret@${new URL(url).host}/`;
    const result = await cli(['run', withPassword, '--state-dir', stateDir]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('SMOKE_SEAL_HTTP_CREDENTIALS');
    expect(result.stderr).toContain('--auth-file');
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2-secret');
    const history = await cli(['history', new URL(url).host, '--json', '--state-dir', stateDir]);
    expect(history.stdout).not.toContain('hunter2-secret');
  });
});
