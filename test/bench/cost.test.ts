import { describe, expect, it } from 'vitest';
import { fleetMonthlyCost, formatUsd, LAMBDA_PRICING, nightlyCost, sealCost } from '../../bench/cost';

describe('sealCost', () => {
  it('bills GB-seconds at the configured memory plus the request', () => {
    const cost = sealCost(10_000, 2048);
    expect(cost.gbSeconds).toBe(20);
    expect(cost.usd).toBeCloseTo(20 * 0.0000166667 + 0.0000002, 12);
  });

  it('rounds the duration up to the whole millisecond, as Lambda bills', () => {
    expect(sealCost(1000.2, 1024).billedMs).toBe(1001);
    expect(sealCost(1000.2, 1024).gbSeconds).toBeCloseTo(1.001, 12);
  });

  it('uses the price it is given', () => {
    const free = { ...LAMBDA_PRICING, perGbSecondUsd: 0, perRequestUsd: 0 };
    expect(sealCost(5_000, 2048, free).usd).toBe(0);
  });
});

describe('nightlyCost', () => {
  it('multiplies one seal by the apps and the nights of a 30-night month', () => {
    expect(nightlyCost(0.001, 10)).toBeCloseTo(0.3, 12);
    expect(nightlyCost(0.001, 10, 31)).toBeCloseTo(0.31, 12);
  });
});

describe('formatUsd', () => {
  it('keeps enough digits for a fraction of a cent to be read', () => {
    expect(formatUsd(0.000712345)).toBe('$0.000712');
    expect(formatUsd(0.2134)).toBe('$0.213');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0)).toBe('$0');
  });
});

describe('fleetMonthlyCost', () => {
  it('grows with the seals, not with resources per app: alarms and metrics stay a fixed few dollars', () => {
    const ten = fleetMonthlyCost(10);
    const tenThousand = fleetMonthlyCost(10_000);
    expect(tenThousand.cloudwatch - ten.cloudwatch).toBeLessThan(10);
    expect(tenThousand.lambda / ten.lambda).toBeCloseTo(1_000, 6);
    expect(tenThousand.total).toBeGreaterThan(tenThousand.lambda);
  });
});
