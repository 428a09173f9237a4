// The seal function keeps environments apart: the seal says which, and production's metrics never count staging.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { createSealHandler } from '../../functions/seal/seal-handler';
import { parseDeployConfig } from '../../lib/config';
import { lambdaContext } from '../fixtures/lambda-context';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { RecordingPublisher } from '../fixtures/recording-publisher';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

function harness() {
  const config = parseDeployConfig({
    apps: [
      {
        name: 'studio',
        url: 'https://studio.example.com',
        environments: { staging: 'staging.studio.example.com' },
      },
    ],
  });
  const emitted: Record<string, unknown>[] = [];
  const metrics = new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' });
  metrics.publishStoredMetrics = () => {
    if (metrics.hasStoredMetrics()) emitted.push(metrics.serializeMetrics() as never);
    metrics.clearMetrics();
    metrics.clearDimensions();
    return metrics;
  };
  const store = new MemorySealStore();
  const handler = createSealHandler({
    config,
    launcher: new ScriptedBrowser({}),
    store,
    evidence: new MemoryEvidenceStore(),
    publisher: new RecordingPublisher(),
    deadLetter: { park: async () => undefined } as never,
    clock: { now: () => new Date() },
    logger: new Logger({ serviceName: 'smoke-seal', logLevel: 'SILENT' }),
    metrics,
    marginMs: 1_000,
  });
  return { handler, store, emitted };
}

describe('the seal handler and environments', () => {
  it('records a staging seal as staging, with its own metric series; production keeps its own', async () => {
    const { handler, store, emitted } = harness();
    await handler(
      { trigger: 'manual', app: 'studio', requestId: 's1', smokeUrl: 'https://staging.studio.example.com/' },
      lambdaContext(30_000),
    );
    await handler({ trigger: 'manual', app: 'studio', requestId: 'p1' }, lambdaContext(30_000));

    // Outside production a seal's id names its environment (functions/core/seal-id.ts).
    expect((await store.get('studio:manual:s1@staging'))?.environment).toBe('staging');
    expect((await store.get('studio:manual:p1'))?.environment).toBe('production');
    const dimensions = emitted.map(
      (blob) =>
        (blob as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } })._aws.CloudWatchMetrics[0]!
          .Dimensions[0],
    );
    expect(dimensions[0]).toEqual(expect.arrayContaining(['service', 'app', 'environment']));
    expect(dimensions[1]).not.toContain('environment');
    expect(emitted[0]).toMatchObject({ app: 'studio', environment: 'staging', SealRecorded: 1 });
  });
});
