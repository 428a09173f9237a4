// Watches one seal's Chromium processes from outside (Linux /proc): a browser that was stopped (SIGSTOP) or
// whose processes are gone (SIGKILL) is a checker fault to end at once, not a page to wait on to the deadline.
import { readFile } from 'node:fs/promises';
import { browserProcesses } from './browser-processes';

export type BrowserFault = 'stopped' | 'gone';

/** How often the processes are looked at. */
export const WATCH_INTERVAL_MS = 250;
/** A process seen stopped this many looks in a row is stopped (a debugger's brief stop is not). */
const STOPPED_LOOKS = 3;

/**
 * Calls `onFault` once when the browser's processes (found by their profile directory) are stopped
 * (state T) or, after some were seen, all gone. Returns a stop function. Off Linux it never fires.
 */
export function watchBrowser(profileDir: string, onFault: (fault: BrowserFault) => void): () => void {
  let stopped = false;
  let seen: number[] = [];
  let stoppedLooks = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = async () => {
    if (stopped) return;
    // Known pids are cheap to check; the slow /proc scan only until the browser's processes are found.
    let pids =
      seen.length > 0 ? await browserProcesses(profileDir, seen) : await browserProcesses(profileDir);
    if (seen.length > 0 && pids.length < seen.length) {
      const fresh = await browserProcesses(profileDir);
      pids = [...new Set([...pids, ...fresh])];
    }
    if (stopped) return;
    if (seen.length > 0 && pids.length === 0) {
      stopped = true;
      onFault('gone');
      return;
    }
    if (pids.length > 0) seen = pids;
    const states = await Promise.all(pids.map(processState));
    stoppedLooks = states.some((state) => state === 'T' || state === 't') ? stoppedLooks + 1 : 0;
    if (stoppedLooks >= STOPPED_LOOKS) {
      stopped = true;
      onFault('stopped');
      return;
    }
    timer = setTimeout(() => void look(), WATCH_INTERVAL_MS);
    timer.unref?.();
  };
  timer = setTimeout(() => void look(), WATCH_INTERVAL_MS);
  timer.unref?.();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The one-letter state of /proc/<pid>/stat (R, S, D, T, Z…), or null when the process is gone. */
async function processState(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null;
  } catch {
    return null;
  }
}
