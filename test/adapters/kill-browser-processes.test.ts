import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserProcesses } from '../../functions/adapters/browser-processes';
import { killBrowserProcesses } from '../../functions/adapters/kill-browser-processes';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A stand-in for one of a seal's Chromium processes: it names the profile directory on its command line. */
async function browserLike(profileDir: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${profileDir}`],
    {
      stdio: 'ignore',
    },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  return child.pid!;
}

async function exited(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('killBrowserProcesses', () => {
  it('kills the processes found at launch and the ones started after, and leaves other seals alone', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'smoke-seal-kill-'));
    const other = await mkdtemp(join(tmpdir(), 'smoke-seal-kill-other-'));
    try {
      const atLaunch = await browserLike(profile);
      const later = await browserLike(profile);
      const otherSeal = await browserLike(other);
      const killed = await killBrowserProcesses(profile, [atLaunch]);
      expect(killed.sort()).toEqual([atLaunch, later].sort());
      expect(await exited(atLaunch)).toBe(true);
      expect(await exited(later)).toBe(true);
      expect(await browserProcesses(other)).toEqual([otherSeal]);
    } finally {
      await rm(profile, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });
});
