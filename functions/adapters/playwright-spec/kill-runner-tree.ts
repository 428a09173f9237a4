// Ends a Playwright run for good: the runner's process group (runner and workers) and every browser it started.
import { readdir, readFile } from 'node:fs/promises';

/**
 * SIGKILLs the runner's process group (it was spawned detached, so its workers share its group) and
 * every process whose command line names `runDir` (Chromium's profile lives there: Playwright puts
 * each browser in a group of its own, which outlives a killed worker). Returns the pids signalled.
 */
export async function killRunnerTree(runnerPid: number | undefined, runDir: string): Promise<number[]> {
  const killed: number[] = [];
  if (runnerPid !== undefined) {
    try {
      process.kill(-runnerPid, 'SIGKILL');
      killed.push(runnerPid);
    } catch {
      // already gone
    }
  }
  for (const pid of await processesNaming(runDir)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

/** The pids (not this one) whose command line mentions `text` (Linux /proc; none elsewhere). */
export async function processesNaming(text: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if ((await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(text)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
