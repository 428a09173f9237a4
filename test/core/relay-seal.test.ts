import { afterEach, describe, expect, it } from 'vitest';
import { DiscordWebhook } from '../../functions/adapters/discord-webhook';
import { ReleaseApi } from '../../functions/adapters/release-api';
import { DeliveryError, StoreError } from '../../functions/core/errors';
import { CLAIM_LEASE_MS, type RelayPorts, relaySeal } from '../../functions/core/relay-seal';
import type { Seal } from '../../functions/core/seal';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { greenSeal, redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const WEBHOOK_PATH = '/api/webhooks/1234567890/s3cr3t-webhook-token';
const TOKEN = 'release-api-token-do-not-leak';
const THREAD = '112233445566778899';
const OK_DISCORD = { status: 200, body: { id: '998877665544332211' } };
const OK_RELEASE = { status: 200, body: { ok: true } };
/** The relay queue's visibility timeout (lib/relay.ts): a failed message comes back after it. */
const VISIBILITY_TIMEOUT_MS = 9 * 60_000;

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(options: { discord?: Script; releaseApi?: Script; seal?: Seal; timeoutMs?: number }) {
  const store = new MemorySealStore();
  const seal = options.seal ?? redSeal();
  await store.put(seal);
  const discordServer = await startScriptedServer(options.discord ?? [OK_DISCORD]);
  const releaseServer = await startScriptedServer(options.releaseApi ?? [OK_RELEASE]);
  servers.push(discordServer, releaseServer);
  const waits: number[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = { now: new Date('2026-06-26T14:05:00.000Z') };
  /** Moves time on, as between a message and its redelivery. */
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const ports: RelayPorts = {
    store,
    clock: { now: () => clock.now },
    sleep: async (ms) => {
      waits.push(ms);
    },
    discord: new DiscordWebhook({ webhookUrl: `${discordServer.origin}${WEBHOOK_PATH}`, timeoutMs }),
    releaseApi: new ReleaseApi({ token: async () => TOKEN, timeoutMs }),
    destinations: (app) =>
      app === 'studio'
        ? {
            discordThreadId: THREAD,
            releaseApiUrlTemplate: `${releaseServer.origin}/api/releases/{releaseId}/smoke_seal`,
          }
        : undefined,
  };
  return { store, seal, ports, waits, advance, discordServer, releaseServer };
}

describe('relaySeal', () => {
  it('posts to the release-notes thread with wait=true, PATCHes the Release record and records both as delivered', async () => {
    const { store, seal, ports, discordServer, releaseServer } = await setup({});
    const outcome = await relaySeal(seal.id, ports);

    expect(discordServer.requests).toHaveLength(1);
    const post = discordServer.requests[0]!;
    expect(post.method).toBe('POST');
    expect(post.url).toBe(`${WEBHOOK_PATH}?wait=true&thread_id=${THREAD}`);
    expect(JSON.parse(post.body)).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ color: 0xd93f3f }],
    });

    expect(releaseServer.requests).toHaveLength(1);
    const patch = releaseServer.requests[0]!;
    expect(patch.method).toBe('PATCH');
    expect(patch.url).toBe('/api/releases/2026.06.26.1/smoke_seal');
    expect(patch.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(patch.body)).toMatchObject({ status: 'red', rollback_command: seal.rollbackCommand });

    const stored = await store.get(seal.id);
    expect(stored?.deliveries.discord).toEqual({
      state: 'delivered',
      attempts: 1,
      updatedAt: '2026-06-26T14:05:00.000Z',
      detail: `posted message 998877665544332211 in thread ${THREAD}`,
    });
    expect(stored?.deliveries.releaseApi).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(outcome.channels.discord.state).toBe('delivered');
  });

  it('posts to the thread the release event named rather than the configured one', async () => {
    const seal = redSeal({ release: { ...redSeal().release!, notesThreadId: '123456789012345678' } });
    const { ports, discordServer } = await setup({ seal });
    await relaySeal(seal.id, ports);
    expect(discordServer.requests[0]!.url).toContain('thread_id=123456789012345678');
  });

  it('posts nothing the second time the same seal is relayed', async () => {
    const { seal, ports, discordServer, releaseServer } = await setup({});
    await relaySeal(seal.id, ports);
    const again = await relaySeal(seal.id, ports);
    expect(discordServer.requests).toHaveLength(1);
    expect(releaseServer.requests).toHaveLength(1);
    expect(again.channels.discord.alreadyDelivered).toBe(true);
    expect(again.channels.releaseApi.alreadyDelivered).toBe(true);
  });

  it('posts once and PATCHes once when two relays of the same seal run at the same moment', async () => {
    const { store, seal, ports, discordServer, releaseServer } = await setup({
      discord: [{ ...OK_DISCORD, delayMs: 300 }],
      releaseApi: [{ ...OK_RELEASE, delayMs: 300 }],
    });

    // Both read the seal as not delivered before either has sent (the servers answer after 300 ms).
    const outcomes = await Promise.all([relaySeal(seal.id, ports), relaySeal(seal.id, ports)]);

    expect(discordServer.requests).toHaveLength(1);
    expect(releaseServer.requests).toHaveLength(1);
    for (const channel of ['discord', 'releaseApi'] as const) {
      const [a, b] = outcomes.map((outcome) => outcome.channels[channel]);
      const winner = a!.claimedElsewhere ? b! : a!;
      const loser = a!.claimedElsewhere ? a! : b!;
      expect(winner).toMatchObject({ state: 'delivered', attempts: 1, claimedElsewhere: false });
      expect(loser).toMatchObject({ state: 'pending', claimedElsewhere: true, retryable: false });
      expect(loser.detail).toMatch(/^claimed elsewhere/);
    }
    const stored = await store.get(seal.id);
    expect(stored?.deliveries.discord).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(stored?.deliveries.releaseApi).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('sends nothing, records nothing and does not throw while another relay holds the channels', async () => {
    const { store, seal, ports, discordServer, releaseServer } = await setup({});
    const holder = {
      owner: 'relay-elsewhere',
      now: '2026-06-26T14:04:00.000Z',
      until: '2026-06-26T14:06:00.000Z',
    };
    await store.claimDelivery(seal.id, 'discord', holder);
    await store.claimDelivery(seal.id, 'releaseApi', holder);

    const outcome = await relaySeal(seal.id, ports);

    expect(discordServer.requests.length + releaseServer.requests.length).toBe(0);
    expect(outcome.channels.discord).toMatchObject({ state: 'pending', claimedElsewhere: true });
    // The GitHub channel is not configured here: only its skip is recorded.
    const { github, ...held } = (await store.get(seal.id))?.deliveries ?? {};
    expect(held).toEqual(seal.deliveries);
    expect(github?.state).toBe('skipped');
  });

  it('takes over a channel whose claim lapsed (its relay died) and delivers it', async () => {
    const { store, seal, ports, discordServer } = await setup({});
    await store.claimDelivery(seal.id, 'discord', {
      owner: 'relay-that-died',
      now: '2026-06-26T14:02:00.000Z',
      until: '2026-06-26T14:04:00.000Z',
    });

    const outcome = await relaySeal(seal.id, ports);

    expect(discordServer.requests).toHaveLength(1);
    expect(outcome.channels.discord).toMatchObject({ state: 'delivered', claimedElsewhere: false });
  });

  it('leaves the claim of a failed delivery to lapse after the lease, for the redelivery to take', async () => {
    const { store, seal, ports } = await setup({ discord: [{ status: 401 }], releaseApi: [{ status: 401 }] });
    await relaySeal(seal.id, ports);
    const now = ports.clock.now().getTime();
    const claim = (owner: string, at: number) => ({
      owner,
      now: new Date(at).toISOString(),
      until: new Date(at + CLAIM_LEASE_MS).toISOString(),
    });
    expect(await store.claimDelivery(seal.id, 'discord', claim('next', now + CLAIM_LEASE_MS - 1))).toBe(
      false,
    );
    expect(await store.claimDelivery(seal.id, 'discord', claim('next', now + CLAIM_LEASE_MS))).toBe(true);
  });

  it("waits as long as Discord's retry_after says on a 429, then delivers", async () => {
    const { store, seal, ports, waits, discordServer } = await setup({
      discord: [
        { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.35, global: false } },
        OK_DISCORD,
      ],
    });
    await relaySeal(seal.id, ports);
    expect(discordServer.requests).toHaveLength(2);
    expect(waits).toEqual([350]);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('backs off with a floor when a 429 says to retry at once, or in the past', async () => {
    const { seal, ports, waits, discordServer } = await setup({
      discord: [
        { status: 429, body: { message: 'rate limited' } },
        { status: 429, body: { message: 'rate limited', retry_after: -1 } },
        { status: 429, body: { message: 'rate limited', retry_after: 0.001 } },
        OK_DISCORD,
      ],
    });
    await relaySeal(seal.id, ports);
    expect(discordServer.requests).toHaveLength(4);
    expect(waits).toEqual([500, 1000, 250]);
  });

  it('redacts the release API token echoed URL-encoded or in base64 in a 401', async () => {
    const { store, seal, ports } = await setup({
      releaseApi: [
        {
          status: 401,
          body: `Bearer ${encodeURIComponent(TOKEN)} / ${Buffer.from(TOKEN).toString('base64')} / ${Buffer.from(TOKEN).toString('base64url')} ${'x'.repeat(150)}${TOKEN}`,
        },
      ],
    });
    await relaySeal(seal.id, ports);
    const detail = (await store.get(seal.id))?.deliveries.releaseApi?.detail ?? '';
    expect(detail).toContain('answered 401');
    for (const form of [TOKEN, Buffer.from(TOKEN).toString('base64'), TOKEN.slice(0, 12)]) {
      expect(detail).not.toContain(form);
    }
  });

  it('retries a 500 with growing backoff, records the failure and throws so the queue redelivers', async () => {
    const { store, seal, ports, waits, discordServer, releaseServer } = await setup({
      discord: [{ status: 500, body: { message: 'Internal Server Error' } }],
    });
    const error = await relaySeal(seal.id, ports).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);
    expect(discordServer.requests).toHaveLength(4);
    expect(waits).toEqual([500, 1000, 2000]);
    const stored = await store.get(seal.id);
    expect(stored?.deliveries.discord).toMatchObject({ state: 'failed', attempts: 4 });
    expect(stored?.deliveries.discord?.detail).toContain('answered 500');
    // One channel failing does not hold back the other.
    expect(releaseServer.requests).toHaveLength(1);
    expect(stored?.deliveries.releaseApi?.state).toBe('delivered');
  });

  it('counts attempts across redeliveries and delivers once the channel is back, without posting twice elsewhere', async () => {
    let down = true;
    const { store, seal, ports, advance, discordServer, releaseServer } = await setup({
      discord: () => (down ? { status: 503 } : OK_DISCORD),
    });
    await expect(relaySeal(seal.id, ports)).rejects.toThrow(DeliveryError);
    down = false;
    advance(VISIBILITY_TIMEOUT_MS);
    await relaySeal(seal.id, ports);
    expect(discordServer.requests).toHaveLength(5);
    expect(releaseServer.requests).toHaveLength(1);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'delivered', attempts: 5 });
  });

  it('treats a 401 as terminal: one attempt, recorded as failed, not thrown, and no secret in the detail', async () => {
    const { store, seal, ports, waits, releaseServer } = await setup({
      releaseApi: [{ status: 401, body: { message: `bad token ${TOKEN}` } }],
      discord: [{ status: 401, body: { message: '401: Unauthorized', code: 0 } }],
    });
    const outcome = await relaySeal(seal.id, ports);
    expect(releaseServer.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(outcome.channels.releaseApi).toMatchObject({ state: 'failed', attempts: 1, retryable: false });
    const stored = await store.get(seal.id);
    const details = `${stored?.deliveries.discord?.detail} ${stored?.deliveries.releaseApi?.detail}`;
    expect(details).toContain('answered 401');
    expect(details).not.toContain(TOKEN);
    expect(details).not.toContain('s3cr3t-webhook-token');
  });

  it('gives up on a server that answers too slowly after the bounded retries', async () => {
    const { store, seal, ports, waits } = await setup({
      timeoutMs: 150,
      releaseApi: [{ ...OK_RELEASE, delayMs: 1_000 }],
    });
    await expect(relaySeal(seal.id, ports)).rejects.toThrow(/releaseApi: .*no answer within 150 ms/);
    expect(waits).toHaveLength(3);
    expect((await store.get(seal.id))?.deliveries.releaseApi).toMatchObject({ state: 'failed', attempts: 4 });
  });

  it('delivers through a server that is slow but within the timeout', async () => {
    const { store, seal, ports } = await setup({
      timeoutMs: 2_000,
      discord: [{ ...OK_DISCORD, delayMs: 300 }],
    });
    await relaySeal(seal.id, ports);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('leaves a retry_after longer than it may wait to the queue instead of sleeping through it', async () => {
    const { store, seal, ports, waits } = await setup({
      discord: [{ status: 429, body: { message: 'slow down', retry_after: 120, global: true } }],
    });
    await expect(relaySeal(seal.id, ports)).rejects.toThrow(DeliveryError);
    expect(waits).toEqual([]);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('skips channels that are not configured without failing', async () => {
    const { store, seal, ports, discordServer } = await setup({});
    const outcome = await relaySeal(seal.id, { ...ports, discord: undefined, destinations: () => undefined });
    expect(discordServer.requests).toHaveLength(0);
    expect(outcome.channels.discord).toMatchObject({
      state: 'skipped',
      detail: 'not configured: no Discord webhook',
    });
    expect((await store.get(seal.id))?.deliveries.releaseApi).toMatchObject({
      state: 'skipped',
      detail: 'not configured: app studio has no releaseApiUrlTemplate',
    });
  });

  it('records a nightly seal the policy keeps quiet as skipped, and sends nothing', async () => {
    const seal = greenSeal({ id: 'studio:nightly:2026-06-27', trigger: 'nightly', transition: 'unchanged' });
    const { store, ports, discordServer, releaseServer } = await setup({ seal });
    await relaySeal(seal.id, ports);
    expect(discordServer.requests.length + releaseServer.requests.length).toBe(0);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({
      state: 'skipped',
      detail: 'policy: nightly seal green, nothing changed',
    });
  });

  it('throws a StoreError for a seal the store does not have, so the message comes back', async () => {
    const { ports } = await setup({});
    await expect(relaySeal('studio:release:missing', ports)).rejects.toThrow(StoreError);
  });
});
