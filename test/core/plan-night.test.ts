import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../functions/core/deploy-config';
import { MAX_QUEUE_DELAY_SECONDS, planNight } from '../../functions/core/plan-night';

const NIGHT = new Date('2026-12-04T03:00:00.000Z');

function apps(count: number, nightly = true) {
  return parseDeployConfig({
    apps: Array.from({ length: count }, (_, index) => ({
      name: `app-${index}`,
      url: `https://app-${index}.example.com`,
      nightly,
    })),
  }).apps;
}

describe('planNight', () => {
  it('requests every nightly app once, with the night as its scheduled time, and skips the others', () => {
    const config = parseDeployConfig({
      apps: [
        { name: 'shop', url: 'https://shop.example.com' },
        { name: 'legacy', url: 'https://legacy.example.com', nightly: false },
      ],
    });
    const plan = planNight(config.apps, { windowMinutes: 60 }, NIGHT);
    expect(plan.map((request) => request.event)).toEqual([
      { trigger: 'nightly', app: 'shop', scheduledAt: '2026-12-04T03:00:00.000Z' },
    ]);
  });

  it('spreads 1,000 apps over the whole window, each start inside it, none more than 3 % in one minute', () => {
    const plan = planNight(apps(1_000), { windowMinutes: 60 }, NIGHT);
    const offsets = plan.map((request) => (Date.parse(request.notBefore) - NIGHT.getTime()) / 1000);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(3_600);
    const perMinute = new Map<number, number>();
    for (const offset of offsets)
      perMinute.set(Math.floor(offset / 60), (perMinute.get(Math.floor(offset / 60)) ?? 0) + 1);
    expect(perMinute.size).toBe(60);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(30);
  });

  it("gives an app the same offset every night, and caps the first delay at SQS's 900 s", () => {
    const tonight = planNight(apps(50), { windowMinutes: 120 }, NIGHT);
    const tomorrow = planNight(apps(50), { windowMinutes: 120 }, new Date(NIGHT.getTime() + 86_400_000));
    tonight.forEach((request, index) => {
      expect(Date.parse(tomorrow[index]!.notBefore) - Date.parse(request.notBefore)).toBe(86_400_000);
      const offset = (Date.parse(request.notBefore) - NIGHT.getTime()) / 1000;
      expect(request.delaySeconds).toBe(Math.min(offset, MAX_QUEUE_DELAY_SECONDS));
    });
    expect(tonight.some((request) => request.delaySeconds === MAX_QUEUE_DELAY_SECONDS)).toBe(true);
  });

  it('starts every app at once with a window of 0 (the cap alone spreads them)', () => {
    const plan = planNight(apps(10), { windowMinutes: 0 }, NIGHT);
    expect(new Set(plan.map((request) => request.notBefore))).toEqual(new Set([NIGHT.toISOString()]));
    expect(plan.every((request) => request.delaySeconds === 0)).toBe(true);
  });
});
