// A browser killed (SIGKILL) or stopped (SIGSTOP), mid-seal or while it starts, ends the seal as the
// checker's fault long before its deadline, and no Chromium outlives the seal (issue 19). Real Chromium.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserProcesses } from '../../functions/adapters/browser-processes';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { CUT_OFF_BY_DEADLINE } from '../../functions/core/checker-fault';
import { runSpec } from '../../functions/core/run-spec';
import { SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';

let server: Server;
let base = '';
let asked = 0;
let profileRoot: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked++;
    if (req.url === '/hang') return; // never answered: the check waits on the browser
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Home</title><h1>Home</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  profileRoot = await mkdtemp(join(tmpdir(), 'smoke-seal-crash-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(profileRoot, { recursive: true, force: true });
});

/** The seal's deadline and each check's budget: large, so only fault detection can end a seal early. */
const DEADLINE_MS = 120_000;
const spec = SpecSchema.parse({
  checks: [
    { kind: 'page', name: 'hang', path: '/hang', landmark: { role: 'heading' } },
    { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
  ],
  checkTimeoutMs: DEADLINE_MS,
  retries: 0,
});

type Fault = 'SIGKILL' | 'SIGSTOP';
type When = 'mid-seal' | 'launch';

async function profiles(): Promise<string[]> {
  return (await readdir(profileRoot)).map((name) => join(profileRoot, name));
}

/** Waits for the seal's Chromium to exist (mid-seal: and to have asked the site), then signals all of it. */
async function strike(fault: Fault, when: When, known: readonly string[]): Promise<number[]> {
  const before = asked;
  for (;;) {
    const fresh = (await profiles()).filter((dir) => !known.includes(dir));
    const pids = fresh.length > 0 ? await browserProcesses(fresh[0]!) : [];
    if (pids.length > 0 && (when === 'launch' || asked > before)) {
      if (when === 'mid-seal') await new Promise((resolve) => setTimeout(resolve, 300));
      for (const pid of pids) process.kill(pid, fault);
      return pids;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cases: [Fault, When][] = [
  ['SIGKILL', 'mid-seal'],
  ['SIGSTOP', 'mid-seal'],
  ['SIGSTOP', 'launch'],
  ['SIGKILL', 'launch'],
  ['SIGSTOP', 'mid-seal'],
  ['SIGKILL', 'mid-seal'],
  ['SIGSTOP', 'launch'],
  ['SIGSTOP', 'mid-seal'],
  ['SIGKILL', 'mid-seal'],
  ['SIGSTOP', 'launch'],
];

describe('checker faults end the seal fast', () => {
  it.each(cases)(
    'a %s %s: inconclusive, ended by the fault (never the deadline), no Chromium left',
    async (fault, when) => {
      const launcher = new ChromiumLauncher({ profileRoot, notFoundProbe: false });
      const known = await profiles();
      const running = runSpec({ spec, baseUrl: base, launcher, deadlineMs: DEADLINE_MS });
      const pids = await strike(fault, when, known);
      try {
        const run = await running;
        const verdict = decideVerdict(
          run.checks.map((check) => ({ ...check, attempts: [] })),
          run.toolingError,
        );
        expect(verdict.status).toBe('inconclusive');
        // Ended by the fault, long before the deadline: nothing was cut off by it.
        expect(verdict.summary).not.toContain('deadline');
        expect(run.checks.map((check) => check.error)).not.toContain(CUT_OFF_BY_DEADLINE);
        expect(run.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
        const left = (await Promise.all((await profiles()).map((dir) => browserProcesses(dir)))).flat();
        expect(left).toEqual([]);
      } finally {
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone, as it should be
          }
        }
      }
    },
    DEADLINE_MS + 30_000,
  );
});
