// Kills the Chromium processes of one seal, found by their profile directory: the last resort of a close that hangs.
import { readdir, readFile } from 'node:fs/promises';

/**
 * SIGKILLs every process whose command line names `--user-data-dir=<profileDir>` (Linux /proc, as in
 * Lambda), so a wedged browser cannot outlive its seal. Returns the pids it signalled.
 */
export async function killBrowserProcesses(profileDir: string): Promise<number[]> {
  const needle = `--user-data-dir=${profileDir}`;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return []; // not Linux: nothing to find this way
  }
  const killed: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (!cmdline.split('\0').includes(needle)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already exited
    }
  }
  return killed;
}
