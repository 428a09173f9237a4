// Finds the Chromium processes of one seal by their profile directory (Linux /proc, as in Lambda).
import { readdir, readFile } from 'node:fs/promises';

/** The pids whose command line names `--user-data-dir=<profileDir>`; among `candidates` only, when given. */
export async function browserProcesses(
  profileDir: string,
  candidates?: readonly number[],
): Promise<number[]> {
  const needle = `--user-data-dir=${profileDir}`;
  let pids: readonly number[];
  if (candidates) {
    pids = candidates;
  } else {
    try {
      pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
    } catch {
      return []; // not Linux: nothing to find this way
    }
  }
  const found: number[] = [];
  for (const pid of pids) {
    if (pid === process.pid) continue;
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.split('\0').includes(needle)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
