// Kills the Chromium processes of one seal, found by their profile directory: the last resort of a close that hangs.
import { browserProcesses } from './browser-processes';

/**
 * SIGKILLs every process whose command line names `--user-data-dir=<profileDir>`, so a wedged
 * browser cannot outlive its seal. `known` (found at launch) are checked and killed first, at once;
 * then all of /proc is scanned for the rest (a zygote or a renderer started after launch, which the
 * browser's death does not always take with it). Returns the pids it signalled.
 */
export async function killBrowserProcesses(
  profileDir: string,
  known: readonly number[] = [],
): Promise<number[]> {
  const killed = kill(known.length > 0 ? await browserProcesses(profileDir, known) : []);
  const rest = (await browserProcesses(profileDir)).filter((pid) => !killed.includes(pid));
  return [...killed, ...kill(rest)];
}

function kill(targets: readonly number[]): number[] {
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
