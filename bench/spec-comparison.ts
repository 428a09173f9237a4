// Issue 18's ratio: a seal of an app's spec against stock `npx playwright test` of the same spec and config.
import { median } from './stats';

/** The seal's process wall at most this many times stock Playwright Test's (the guard and the record cost little). */
export const SPEC_STOCK_LIMIT = 1.15;

export interface SpecBenchPair {
  /** Process walls, spawn to exit, ms, of one round: the two run one after the other. */
  readonly stockMs: number;
  readonly sealMs: number;
}

/**
 * The median of the per-round ratios seal ÷ stock: pairing rounds keeps a drift in the machine's speed (other
 * work starting or stopping) out of the ratio, where a ratio of medians would mix rounds.
 */
export function sealOverStock(pairs: readonly SpecBenchPair[]): number | null {
  const ratios = pairs.filter((pair) => pair.stockMs > 0).map((pair) => pair.sealMs / pair.stockMs);
  return ratios.length === 0 ? null : median(ratios);
}

export function judgeSealOverStock(ratio: number | null): string {
  if (ratio === null) return 'not measured';
  return ratio <= SPEC_STOCK_LIMIT ? 'met' : `missed (${ratio.toFixed(2)}× > ${SPEC_STOCK_LIMIT}×)`;
}
