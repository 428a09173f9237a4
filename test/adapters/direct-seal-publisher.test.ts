import { afterEach, describe, expect, it } from 'vitest';
import { DirectSealPublisher, RELEASE_API_TOKEN_ENV } from '../../functions/adapters/direct-seal-publisher';
import { ConfigError } from '../../functions/core/errors';
import type { RelayOutcome } from '../../functions/core/relay-seal';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { redSeal } from '../fixtures/sample-seals';
import { type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function servePair() {
  const discord = await startScriptedServer([{ status: 200, body: { id: '5550001112223334445' } }]);
  const releaseApi = await startScriptedServer([{ status: 401, body: { message: 'who are you' } }]);
  servers.push(discord, releaseApi);
  return { discord, releaseApi };
}

describe('DirectSealPublisher', () => {
  it('delivers the same messages as the relay and records the outcome in the store, without throwing on a 401', async () => {
    const { discord, releaseApi } = await servePair();
    const store = new MemorySealStore();
    const seal = redSeal();
    await store.put(seal);
    const outcomes: RelayOutcome[] = [];
    const publisher = new DirectSealPublisher({
      discordWebhookUrl: `${discord.origin}/api/webhooks/1/t`,
      releaseApiUrlTemplate: `${releaseApi.origin}/releases/{releaseId}`,
      releaseApiToken: 'laptop-token',
      discordThreadId: '112233445566778899',
      store,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    await publisher.publish(seal);
    expect(discord.requests[0]!.url).toBe('/api/webhooks/1/t?wait=true&thread_id=112233445566778899');
    expect(releaseApi.requests[0]!.headers.authorization).toBe('Bearer laptop-token');
    expect(outcomes[0]?.channels.discord.state).toBe('delivered');
    expect(publisher.lastOutcome?.channels.releaseApi).toMatchObject({ state: 'failed', retryable: false });
    const stored = await store.get(seal.id);
    expect(stored?.deliveries.discord?.state).toBe('delivered');
    expect(stored?.deliveries.releaseApi?.state).toBe('failed');
  });

  it('with a store, leaves a channel alone that a relay elsewhere is delivering', async () => {
    const { discord } = await servePair();
    const store = new MemorySealStore();
    const seal = redSeal();
    await store.put(seal);
    const now = new Date('2026-06-26T14:05:00.000Z');
    await store.claimDelivery(seal.id, 'discord', {
      owner: 'the-relay',
      now: now.toISOString(),
      until: '2026-06-26T14:07:00.000Z',
    });
    const publisher = new DirectSealPublisher({
      discordWebhookUrl: `${discord.origin}/api/webhooks/1/t`,
      store,
      clock: { now: () => now },
    });
    await publisher.publish(seal);
    expect(discord.requests).toHaveLength(0);
    expect(publisher.lastOutcome?.channels.discord).toMatchObject({
      state: 'pending',
      claimedElsewhere: true,
    });
    expect((await store.get(seal.id))?.deliveries.discord).toBeUndefined();
  });

  it('without a store, records delivery states on the seal it was given', async () => {
    const { discord } = await servePair();
    const seal = redSeal();
    await new DirectSealPublisher({ discordWebhookUrl: `${discord.origin}/api/webhooks/1/t` }).publish(seal);
    expect(seal.deliveries.discord?.state).toBe('delivered');
    expect(seal.deliveries.releaseApi).toMatchObject({
      state: 'skipped',
      detail: 'not configured: no release API token',
    });
  });

  it(`asks for ${RELEASE_API_TOKEN_ENV} when a release API template comes without a token`, () => {
    const saved = process.env[RELEASE_API_TOKEN_ENV];
    delete process.env[RELEASE_API_TOKEN_ENV];
    try {
      const attempt = () =>
        new DirectSealPublisher({ releaseApiUrlTemplate: 'https://ops.example.com/r/{releaseId}' });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(RELEASE_API_TOKEN_ENV);
    } finally {
      if (saved !== undefined) process.env[RELEASE_API_TOKEN_ENV] = saved;
    }
  });

  it('refuses a release API template without {releaseId} before anything runs', () => {
    expect(
      () =>
        new DirectSealPublisher({ releaseApiUrlTemplate: 'https://ops.example.com/r', releaseApiToken: 't' }),
    ).toThrow(/must contain \{releaseId\}/);
  });
});
