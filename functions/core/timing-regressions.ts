// Which page timings got slower than the baseline's: beyond a threshold AND a ratio, so noise does not flag.
import type { PageTimings } from './baseline';
import type { TimingMetric } from './seal-changes';

export interface TimingRegression {
  readonly metric: TimingMetric;
  readonly before: number;
  readonly now: number;
}

/** CLS has no unit: it regresses when it grew by this much (and by the ratio). */
const CLS_MIN_GROWTH = 0.1;
const METRICS: readonly TimingMetric[] = ['ttfbMs', 'domContentLoadedMs', 'loadMs', 'lcpMs', 'cls'];

/** Per metric, the slowest of the given samples (null where none measured it): the recent green envelope. */
export function slowestOf(samples: readonly (PageTimings | null | undefined)[]): PageTimings | null {
  const measured = samples.filter((sample): sample is PageTimings => Boolean(sample));
  if (measured.length === 0) return null;
  const slowest = (metric: TimingMetric) => {
    const values = measured
      .map((sample) => sample[metric])
      .filter((value): value is number => value !== null);
    return values.length > 0 ? Math.max(...values) : null;
  };
  return {
    ttfbMs: slowest('ttfbMs'),
    domContentLoadedMs: slowest('domContentLoadedMs'),
    loadMs: slowest('loadMs'),
    lcpMs: slowest('lcpMs'),
    cls: slowest('cls'),
  };
}

export function timingRegressions(
  before: PageTimings | null,
  now: PageTimings | null,
  limits: { readonly minMs: number; readonly ratio: number; readonly metrics?: readonly TimingMetric[] },
): TimingRegression[] {
  if (!before || !now) return [];
  const found: TimingRegression[] = [];
  for (const metric of limits.metrics ?? METRICS) {
    const was = before[metric];
    const is = now[metric];
    if (was === null || is === null) continue;
    if (grew(metric, was, is, limits.minMs, limits.ratio)) found.push({ metric, before: was, now: is });
  }
  return found;
}

/** Grew by at least `minMs` (CLS: 0.1) and to at least `ratio` times what it was. */
export function grew(metric: TimingMetric, was: number, is: number, minMs: number, ratio: number): boolean {
  const minGrowth = metric === 'cls' ? CLS_MIN_GROWTH : minMs;
  // A zero baseline has no ratio: the absolute growth decides.
  return is - was >= minGrowth && (was === 0 || is / was >= ratio);
}

const LABELS: Readonly<Record<TimingMetric, string>> = {
  ttfbMs: 'TTFB',
  domContentLoadedMs: 'DOMContentLoaded',
  loadMs: 'load',
  lcpMs: 'LCP',
  cls: 'CLS',
};

/** `LCP 310 ms -> 2.4 s`, `CLS 0.01 -> 0.32`. */
export function describeTiming(regression: TimingRegression): string {
  const { metric, before, now } = regression;
  if (metric === 'cls') return `CLS ${before.toFixed(2)} → ${now.toFixed(2)}`;
  return `${LABELS[metric]} ${duration(before)} → ${duration(now)}`;
}

function duration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
