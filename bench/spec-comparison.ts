// Issue 11's two ratios: the seal running a Playwright spec against Playwright Test, and against its own data checks.
import { median } from './stats';

/** At least this many times faster than `npx playwright test` (process wall). */
export const SPEC_PEER_TARGET = 2;
/** A Playwright spec in the seal at most this many times slower than the same checks as data. */
export const SPEC_DATA_LIMIT = 1.2;

export interface SpecBenchRuns {
  /** Process walls (spawn to exit), ms. */
  readonly peerWall: readonly number[];
  readonly specWall: readonly number[];
  readonly dataWall: readonly number[];
  /** The seal's own duration (launch, checks, record), ms. */
  readonly specSeal: readonly number[];
  readonly dataSeal: readonly number[];
}

export interface SpecBenchRatios {
  /** Median peer wall ÷ median seal-with-spec wall: met when ≥ SPEC_PEER_TARGET. */
  readonly peerOverSpec: number | null;
  /** Median spec seal ÷ median data seal (inside the seal): met when ≤ SPEC_DATA_LIMIT. */
  readonly specOverData: number | null;
  /** The same, process wall (bundling and loading the spec included). */
  readonly specOverDataWall: number | null;
}

function ratio(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null;
  const under = median(b);
  return under === 0 ? null : median(a) / under;
}

export function specRatios(runs: SpecBenchRuns): SpecBenchRatios {
  return {
    peerOverSpec: ratio(runs.peerWall, runs.specWall),
    specOverData: ratio(runs.specSeal, runs.dataSeal),
    specOverDataWall: ratio(runs.specWall, runs.dataWall),
  };
}

export function judgeSpecRatios(ratios: SpecBenchRatios): { peer: string; data: string } {
  const peer =
    ratios.peerOverSpec === null
      ? 'not measured'
      : ratios.peerOverSpec >= SPEC_PEER_TARGET
        ? 'met'
        : `missed (${ratios.peerOverSpec.toFixed(2)}× < ${SPEC_PEER_TARGET}×)`;
  const data =
    ratios.specOverData === null
      ? 'not measured'
      : ratios.specOverData <= SPEC_DATA_LIMIT
        ? 'met'
        : `missed (${ratios.specOverData.toFixed(2)}× > ${SPEC_DATA_LIMIT}×)`;
  return { peer, data };
}
