import { describe, expect, it } from 'vitest';
import type { PageTimings } from '../../functions/core/baseline';
import { describeTiming, timingRegressions } from '../../functions/core/timing-regressions';

const base: PageTimings = { ttfbMs: 40, domContentLoadedMs: 300, loadMs: 500, lcpMs: 600, cls: 0.01 };
const limits = { minMs: 1_000, ratio: 2 };

it('judges only the metrics it is given', () => {
  const slower = { ...base, ttfbMs: 2_000, lcpMs: 9_000 };
  expect(timingRegressions(base, slower, { ...limits, metrics: ['ttfbMs'] }).map((r) => r.metric)).toEqual([
    'ttfbMs',
  ]);
});

describe('timingRegressions', () => {
  it('flags a metric only beyond both the threshold and the ratio', () => {
    // 3x slower but only +80 ms: noise. +900 ms at 2.5x: under the threshold.
    expect(timingRegressions(base, { ...base, ttfbMs: 120, lcpMs: 1_500 }, limits)).toEqual([]);
    // +1.2 s but only 1.4x: under the ratio.
    expect(timingRegressions({ ...base, loadMs: 3_000 }, { ...base, loadMs: 4_200 }, limits)).toEqual([]);
    expect(timingRegressions(base, { ...base, lcpMs: 2_400 }, limits)).toEqual([
      { metric: 'lcpMs', before: 600, now: 2_400 },
    ]);
  });

  it('judges CLS by its own growth, and skips what was not measured', () => {
    expect(timingRegressions(base, { ...base, cls: 0.3 }, limits)).toEqual([
      { metric: 'cls', before: 0.01, now: 0.3 },
    ]);
    expect(timingRegressions(base, { ...base, cls: 0.05 }, limits)).toEqual([]);
    expect(timingRegressions({ ...base, lcpMs: null }, { ...base, lcpMs: 9_000 }, limits)).toEqual([]);
    expect(timingRegressions(null, base, limits)).toEqual([]);
  });

  it('reads as a person would say it', () => {
    expect(describeTiming({ metric: 'lcpMs', before: 310, now: 2_400 })).toBe('LCP 310 ms → 2.4 s');
    expect(describeTiming({ metric: 'cls', before: 0.01, now: 0.32 })).toBe('CLS 0.01 → 0.32');
  });
});
