// The peer against the seal on one site: the faster peer setting, and how many times slower it is.
import { median } from './stats';

/** What the comparison reads of a peer run (bench/run-peer.ts's PeerRun). */
export interface PeerTiming {
  readonly processWallMs: number;
  /** The runner's own duration from its report. */
  readonly reportedMs: number;
}

/** What the comparison reads of a seal run (bench/run-seal-job.ts's SealRun). */
export interface SealTiming {
  readonly processWallMs: number;
  readonly result: { readonly sealMs: number };
}

export interface PeerComparison<P extends PeerTiming> {
  /** The worker setting with the lowest median process wall, or null when no setting ran. */
  readonly fastest: { readonly workers: string; readonly runs: readonly P[]; readonly wall: number } | null;
  /** Median peer process wall ÷ median seal process wall (both spawn to exit). */
  readonly wallRatio: number | null;
  /** Median runner's own duration ÷ median sealApp time. */
  readonly ownRatio: number | null;
}

/** Issue 7: the seal at least 3 times faster than Playwright Test on the same checks. */
export const PEER_TARGET_RATIO = 3;

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function med(values: readonly number[]): number | null {
  return values.length === 0 ? null : median(values);
}

/**
 * Compares the peer's fastest worker setting with the seal runs against the same site; the
 * peer is given its best showing, so a ratio here is never flattered by a slow setting.
 */
export function comparePeer<P extends PeerTiming>(
  peer: ReadonlyMap<string, readonly P[]>,
  seal: readonly SealTiming[],
): PeerComparison<P> {
  let fastest: PeerComparison<P>['fastest'] = null;
  for (const [workers, runs] of peer) {
    const wall = med(runs.map((run) => run.processWallMs));
    if (wall !== null && (fastest === null || wall < fastest.wall)) fastest = { workers, runs, wall };
  }
  return {
    fastest,
    wallRatio: ratio(fastest?.wall ?? null, med(seal.map((run) => run.processWallMs))),
    ownRatio: ratio(
      med((fastest?.runs ?? []).map((run) => run.reportedMs)),
      med(seal.map((run) => run.result.sealMs)),
    ),
  };
}

/** "met", or by how much the ratio falls short of the target, or "not measured". */
export function judgePeerRatio(wallRatio: number | null): string {
  if (wallRatio === null) return 'not measured';
  if (wallRatio >= PEER_TARGET_RATIO) return 'met';
  return `missed by ${(PEER_TARGET_RATIO - wallRatio).toFixed(2)}×`;
}
