// Peak memory of a process and everything it started, sampled from /proc (Linux only).
import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryPeak {
  /** Peak VmRSS of the root process (the Node process running the seal). */
  readonly rootRssKib: number;
  /** Peak of the summed VmRSS of its descendants (Chromium's processes). */
  readonly descendantsRssKib: number;
  /** Peak of root + descendants VmRSS at one instant: counts shared pages once per process. */
  readonly treeRssKib: number;
  /** Peak of root + descendants Pss (smaps_rollup) at one instant: shared pages split fairly. */
  readonly treePssKib: number;
  /** Most processes seen in the tree at once. */
  readonly maxProcesses: number;
  readonly samples: number;
}

/**
 * Samples VmRSS of the tree every `intervalMs` (cheap: /proc/<pid>/status) and Pss every
 * `pssEvery`-th tick (smaps_rollup walks page tables, so it is read less often).
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | null = null;
  private peak = { rootRssKib: 0, descendantsRssKib: 0, treeRssKib: 0, treePssKib: 0, maxProcesses: 0 };
  private samples = 0;

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 20,
    private readonly pssEvery = 5,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return { ...this.peak, samples: this.samples };
  }

  private sample(): void {
    const pids = processTree(this.rootPid);
    if (pids.length === 0) return;
    this.samples++;
    let rootRss = 0;
    let descendantsRss = 0;
    for (const pid of pids) {
      const rss = readStatusKib(pid, 'VmRSS');
      if (pid === this.rootPid) rootRss = rss;
      else descendantsRss += rss;
    }
    const peak = this.peak;
    peak.rootRssKib = Math.max(peak.rootRssKib, rootRss);
    peak.descendantsRssKib = Math.max(peak.descendantsRssKib, descendantsRss);
    peak.treeRssKib = Math.max(peak.treeRssKib, rootRss + descendantsRss);
    peak.maxProcesses = Math.max(peak.maxProcesses, pids.length);
    if (this.samples % this.pssEvery === 1 || this.pssEvery === 1) {
      const pss = pids.reduce((sum, pid) => sum + readPssKib(pid), 0);
      peak.treePssKib = Math.max(peak.treePssKib, pss);
    }
  }
}

/** The root and all its descendants, from /proc/<pid>/task/<tid>/children. */
export function processTree(rootPid: number): number[] {
  const seen: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited between two reads
    }
    seen.push(pid);
    for (const tid of tasks) {
      const children = readOr(`/proc/${pid}/task/${tid}/children`, '');
      for (const child of children.split(' ')) {
        if (child.trim()) queue.push(Number(child));
      }
    }
  }
  return seen;
}

function readStatusKib(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readOr(`/proc/${pid}/status`, ''));
  return match ? Number(match[1]) : 0;
}

function readPssKib(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readOr(`/proc/${pid}/smaps_rollup`, ''));
  return match ? Number(match[1]) : 0;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}
