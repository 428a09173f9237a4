// Kills the Chromium processes of one seal, found by their profile directory: the last resort of a close that hangs.
import { browserProcesses } from './browser-processes';

/**
 * SIGKILLs every process whose command line names `--user-data-dir=<profileDir>`, so a wedged
 * browser cannot outlive its seal. `known` (found at launch) are checked and killed first, at once;
 * only when none of them is left is all of /proc scanned (slow on a busy machine). Returns the pids
 * it signalled.
 */
export async function killBrowserProcesses(
  profileDir: string,
  known: readonly number[] = [],
): Promise<number[]> {
  let targets = known.length > 0 ? await browserProcesses(profileDir, known) : [];
  if (targets.length === 0) targets = await browserProcesses(profileDir);
  const killed: number[] = [];
  for (const pid of targets) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already exited
    }
  }
  return killed;
}
