import { afterEach, describe, expect, it } from 'vitest';
import { DiscordWebhook } from '../../functions/adapters/discord-webhook';
import { DeliveryError, StoreError } from '../../functions/core/errors';
import { relayBatch } from '../../functions/core/relay-batch';
import { CLAIM_LEASE_MS, type RelayPorts } from '../../functions/core/relay-seal';
import type { Seal } from '../../functions/core/seal';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { greenSeal, redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const THREAD = '112233445566778899';
const NOW = new Date('2026-06-26T14:05:00.000Z');
const OK_DISCORD = { status: 200, body: { id: '998877665544332211' } };

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function sealOf(app: string, make: (overrides?: Partial<Seal>) => Seal = redSeal): Seal {
  return make({ id: `${app}:nightly:2026-06-27T03:00:00.000Z`, app, trigger: 'nightly', release: null });
}

async function setup(seals: readonly Seal[], discord: Script = [OK_DISCORD]) {
  const store = new MemorySealStore();
  for (const seal of seals) await store.put(seal);
  const server = await startScriptedServer(discord);
  servers.push(server);
  const ports: RelayPorts = {
    store,
    clock: { now: () => NOW },
    sleep: async () => {},
    discord: new DiscordWebhook({ webhookUrl: `${server.origin}/api/webhooks/1/t`, timeoutMs: 30_000 }),
    destinations: () => ({ discordThreadId: THREAD }),
  };
  return { store, server, ports };
}

/** Another relay's live claim on the seal's Discord channel. */
async function claimElsewhere(store: MemorySealStore, seal: Seal): Promise<void> {
  const won = await store.claimDelivery(seal.id, 'discord', {
    owner: 'another-relay',
    until: new Date(NOW.getTime() + CLAIM_LEASE_MS).toISOString(),
    now: NOW.toISOString(),
  });
  expect(won).toBe(true);
}

describe('relayBatch', () => {
  it('answers for a seal the store lacks with a StoreError, and tells the others in a digest', async () => {
    const seals = [sealOf('alpha'), sealOf('beta'), sealOf('gamma', greenSeal)];
    const { server, ports } = await setup(seals);
    const missing = 'ghost:nightly:2026-06-27T03:00:00.000Z';

    const results = await relayBatch([...seals.map((seal) => seal.id), missing], ports);

    const ghost = results.get(missing);
    expect(ghost?.ok).toBe(false);
    expect(ghost && !ghost.ok && ghost.error).toBeInstanceOf(StoreError);
    expect(server.requests).toHaveLength(1);
    // A nightly green seal with nothing changed is kept quiet by the policy: not in the digest.
    expect(JSON.parse(server.requests[0]!.body).content).toBe('**Smoke Seal digest**: 2 seals (2 red)');
    const gamma = results.get(seals[2]!.id);
    expect(gamma?.ok && gamma.outcome.channels.discord.state).toBe('skipped');
  });

  it('leaves out a seal another relay holds, and reports it claimed elsewhere, not failed', async () => {
    const seals = [sealOf('alpha'), sealOf('beta'), sealOf('gamma')];
    const { store, server, ports } = await setup(seals);
    await claimElsewhere(store, seals[1]!);

    const results = await relayBatch(
      seals.map((seal) => seal.id),
      ports,
    );

    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!.body;
    expect(body).toContain('**alpha nightly**');
    expect(body).toContain('**gamma nightly**');
    expect(body).not.toContain('beta');
    const beta = results.get(seals[1]!.id);
    expect(beta?.ok && beta.outcome.channels.discord).toMatchObject({
      state: 'pending',
      claimedElsewhere: true,
    });
    expect((await store.get(seals[1]!.id))?.deliveries.discord).toBeUndefined();
    expect((await store.get(seals[0]!.id))?.deliveries.discord?.detail).toBe(
      `posted message 998877665544332211 in thread ${THREAD}: a digest of 2 seals`,
    );
  });

  it('posts the full single message for the one seal left after the claims', async () => {
    const seals = [sealOf('alpha'), sealOf('beta')];
    const { store, server, ports } = await setup(seals);
    await claimElsewhere(store, seals[0]!);

    await relayBatch(
      seals.map((seal) => seal.id),
      ports,
    );

    expect(server.requests).toHaveLength(1);
    const body = JSON.parse(server.requests[0]!.body);
    expect(body.content).toMatch(/^RED seal: beta nightly/);
    expect(body.embeds[0].fields.length).toBeGreaterThan(0);
    expect((await store.get(seals[1]!.id))?.deliveries.discord?.detail).toBe(
      `posted message 998877665544332211 in thread ${THREAD}`,
    );
  });

  it('records a terminal 401 on the digest as failed for each seal, once, without asking for a retry', async () => {
    const seals = [sealOf('alpha'), sealOf('beta')];
    const { store, server, ports } = await setup(seals, [
      { status: 401, body: { message: '401: Unauthorized' } },
    ]);

    const results = await relayBatch(
      seals.map((seal) => seal.id),
      ports,
    );

    expect(server.requests).toHaveLength(1);
    for (const seal of seals) {
      expect(results.get(seal.id)?.ok).toBe(true);
      expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'failed', attempts: 1 });
      expect((await store.get(seal.id))?.deliveries.discord?.detail).toContain('401');
    }
  });

  it('answers a retryable digest failure with a DeliveryError for each of its seals', async () => {
    const seals = [sealOf('alpha'), sealOf('beta')];
    const { server, ports } = await setup(seals, [{ status: 503 }]);

    const results = await relayBatch(
      seals.map((seal) => seal.id),
      ports,
    );

    expect(server.requests).toHaveLength(4);
    for (const seal of seals) {
      const result = results.get(seal.id);
      expect(result?.ok).toBe(false);
      expect(result && !result.ok && result.error).toBeInstanceOf(DeliveryError);
      expect(result && !result.ok && String(result.error)).toMatch(/discord: digest: .*503/);
    }
  });
});
