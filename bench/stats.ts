// Summaries of repeated measurements: median and spread, never a lone mean.

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p10: number;
  readonly p90: number;
}

/** Linear interpolation between closest ranks (the "R-7" definition spreadsheets use). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p10: percentile(values, 10),
    p90: percentile(values, 90),
  };
}

/** "1234 ms (1100–1400, n=5)": the median, then min–max. */
export function formatMs(summary: Summary | null): string {
  if (!summary) return 'n/a';
  return `${Math.round(summary.median)} ms (${Math.round(summary.min)}–${Math.round(summary.max)}, n=${summary.n})`;
}

export function formatMiB(kib: number | null): string {
  return kib === null ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? 'n/a' : `${ratio.toFixed(2)}×`;
}
