import { describe, expect, it } from 'vitest';
import { judgeSealOverStock, SPEC_STOCK_LIMIT, sealOverStock } from '../../bench/spec-comparison';

describe('sealOverStock', () => {
  it('is the median of the per-round ratios, not a ratio of medians', () => {
    // Round 2 ran while the machine was slow for both: its ratio is still 1.1.
    const pairs = [
      { stockMs: 100, sealMs: 105 },
      { stockMs: 1000, sealMs: 1100 },
      { stockMs: 100, sealMs: 130 },
    ];
    expect(sealOverStock(pairs)).toBeCloseTo(1.1);
  });

  it('has nothing to say without a stock wall', () => {
    expect(sealOverStock([])).toBeNull();
    expect(sealOverStock([{ stockMs: 0, sealMs: 5 }])).toBeNull();
  });

  it(`is met at ${SPEC_STOCK_LIMIT}× and missed above, naming the ratio`, () => {
    expect(judgeSealOverStock(SPEC_STOCK_LIMIT)).toBe('met');
    expect(judgeSealOverStock(1.3)).toBe(`missed (1.30× > ${SPEC_STOCK_LIMIT}×)`);
    expect(judgeSealOverStock(null)).toBe('not measured');
  });
});
