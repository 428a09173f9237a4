import { describe, expect, it } from 'vitest';
import { formatMs, formatRatio, median, percentile, summarize } from '../../bench/stats';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
    expect(percentile([10, 20, 30, 40, 50], 10)).toBe(14);
  });

  it('does not depend on the order of the values', () => {
    expect(percentile([50, 10, 40, 20, 30], 25)).toBe(20);
  });

  it('refuses an empty list and a rank outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });
});

describe('median and summarize', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarizes a run with its median, extremes and 10th and 90th percentiles', () => {
    expect(summarize([5, 1, 9, 3, 7])).toEqual({ n: 5, median: 5, min: 1, max: 9, p10: 1.8, p90: 8.2 });
  });

  it('formats a summary as the median followed by min–max and the count', () => {
    expect(formatMs(summarize([1000.4, 1200.6, 900]))).toBe('1000 ms (900–1201, n=3)');
    expect(formatMs(null)).toBe('n/a');
    expect(formatRatio(3.456)).toBe('3.46×');
    expect(formatRatio(null)).toBe('n/a');
  });
});
