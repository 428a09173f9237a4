import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../functions/core/deploy-config';
import { createMissingSealsHandler } from '../../functions/missing-seals/missing-seals-handler';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { greenSeal } from '../fixtures/sample-seals';

const NOW = new Date('2026-12-04T09:00:00.000Z');

async function check(sealed: Record<string, string>) {
  const config = parseDeployConfig({
    apps: [
      { name: 'shop', url: 'https://shop.example.com' },
      { name: 'studio', url: 'https://studio.example.com' },
      { name: 'legacy', url: 'https://legacy.example.com', nightly: false },
    ],
    alarms: { noSealHours: 26 },
  });
  const store = new MemorySealStore();
  for (const [app, checkedAt] of Object.entries(sealed)) {
    await store.put(greenSeal({ id: `seal-${app}`, app, checkedAt }));
  }
  const notices: { subject: string; text: string }[] = [];
  const metrics = new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' });
  const emitted: string[] = [];
  const publish = metrics.publishStoredMetrics.bind(metrics);
  metrics.publishStoredMetrics = () => {
    emitted.push(JSON.stringify(metrics.serializeMetrics()));
    return publish();
  };
  const handler = createMissingSealsHandler({
    config,
    store,
    notice: { send: async (subject, text) => void notices.push({ subject, text }) },
    clock: { now: () => NOW },
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    stackName: 'SmokeSeal-team-a',
  });
  return { result: await handler(), notices, emitted };
}

describe('the missing-seal check', () => {
  it('is quiet when every nightly app has a seal in the last hours: metric 0, no email', async () => {
    const { result, notices, emitted } = await check({
      shop: '2026-12-04T03:20:00.000Z',
      studio: '2026-12-04T03:40:00.000Z',
    });
    expect(result).toEqual({ checked: 2, missing: [] });
    expect(notices).toEqual([]);
    expect(emitted.join()).toContain('"NightlySealsMissing":0');
  });

  it('names every app without a recent seal in one email and one metric, an old seal counting as none', async () => {
    const { result, notices, emitted } = await check({ shop: '2026-12-03T03:20:00.000Z' });
    expect(result.missing).toEqual(['shop', 'studio']);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('Smoke Seal SmokeSeal-team-a: 2 nightly seal(s) missing');
    expect(notices[0]!.text).toContain(
      '2 of 2 nightly apps have no seal recorded in the last 26 hours:\n\n- shop\n- studio',
    );
    expect(notices[0]!.text).not.toContain('legacy');
    expect(emitted.join()).toContain('"NightlySealsMissing":2');
  });
});
