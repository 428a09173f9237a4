// The relay handler over a batch, as the Lambda runs it: seals in dynalite, a Discord stand-in and a
// release API stand-in on 127.0.0.1. Seals of one batch bound for one thread are told in one digest.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import dynalite from 'dynalite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordWebhook } from '../../functions/adapters/discord-webhook';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { ReleaseApi } from '../../functions/adapters/release-api';
import { createSealTable } from '../../functions/adapters/seal-table';
import { decideAlert } from '../../functions/core/alert-policy';
import { relayBatch } from '../../functions/core/relay-batch';
import { CLAIM_LEASE_MS, type RelayDestinations } from '../../functions/core/relay-seal';
import type { Seal } from '../../functions/core/seal';
import { sealRecorded } from '../../functions/core/seal-recorded';
import { createRelayHandler } from '../../functions/relay/relay-handler';
import { greenSeal, inconclusiveSeal, recoveredSeal, redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';
import { sqsRecord } from '../fixtures/sqs-record';

const THREAD_A = '111111111111111111';
const THREAD_B = '222222222222222222';
const THREAD_C = '333333333333333333';
const DIGEST_ID = '998877665544332211';
const OK_DISCORD = { status: 200, body: { id: DIGEST_ID } };
/** The relay queue's visibility timeout (lib/relay.ts): a failed message comes back after it. */
const VISIBILITY_TIMEOUT_MS = 9 * 60_000;

let server: Server;
let base: DynamoDBClient;
let client: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  base.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((stand) => stand.close()));
});

/** A release seal of `app`, red, recovered, inconclusive or green by its index, so a batch mixes them. */
function sealOf(index: number, overrides: Partial<Seal> = {}): Seal {
  const app = `app-${String(index).padStart(2, '0')}`;
  const make = [redSeal, recoveredSeal, inconclusiveSeal, greenSeal][index % 4]!;
  const seal = make();
  return {
    ...seal,
    id: `${app}:release:2026.06.26.${index}`,
    app,
    release: { ...seal.release!, releaseId: `2026.06.26.${index}`, version: `2026.06.26.${index}` },
    ...overrides,
  };
}

function record(messageId: string, seal: Seal): SQSRecord {
  return sqsRecord(messageId, JSON.stringify(sealRecorded(seal, decideAlert(seal, null))));
}

const batchOf = (seals: readonly Seal[]): SQSEvent => ({
  Records: seals.map((seal, index) => record(`m-${index}`, seal)),
});

/** Seals in a fresh dynalite table; the handler bound to the stand-ins; apps post to THREAD_A unless told. */
async function setup(options: {
  seals: readonly Seal[];
  discord?: Script;
  threads?: (app: string) => string;
}) {
  tables += 1;
  const tableName = `relay-digest-${tables}`;
  await createSealTable(base, tableName, { pollMs: 10 });
  const store = new DynamoSealStore({ client, tableName });
  for (const seal of options.seals) await store.put(seal);
  const discord = await startScriptedServer(options.discord ?? [OK_DISCORD]);
  const releaseApi = await startScriptedServer([{ status: 200, body: { ok: true } }]);
  servers.push(discord, releaseApi);
  const clock = { now: new Date('2026-06-26T14:05:00.000Z') };
  const waits: number[] = [];
  const destinations = (app: string): RelayDestinations => ({
    discordThreadId: options.threads?.(app) ?? THREAD_A,
    releaseApiUrlTemplate: `${releaseApi.origin}/api/releases/{releaseId}/smoke_seal`,
  });
  const handler = createRelayHandler({
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    // As functions/relay/handler.ts wires it: the invocation's remaining time reaches the digest.
    relay: (sealIds, timeLeftMs) =>
      relayBatch(sealIds, {
        ...(timeLeftMs ? { timeLeftMs } : {}),
        store,
        clock: { now: () => clock.now },
        sleep: async (ms) => {
          waits.push(ms);
        },
        // A generous timeout: the machine is shared and busy.
        discord: new DiscordWebhook({ webhookUrl: `${discord.origin}/api/webhooks/1/t`, timeoutMs: 30_000 }),
        releaseApi: new ReleaseApi({ token: async () => 'token', timeoutMs: 30_000 }),
        destinations,
      }),
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { store, discord, releaseApi, handler, advance, waits };
}

const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** The apps a posted body names, one line each (`**app-03 release …**`). */
function appsNamed(body: string): string[] {
  const text = JSON.parse(body) as { embeds: { description: string }[] };
  return text.embeds.flatMap((embed) =>
    [...embed.description.matchAll(/\*\*(app-\d\d) release/g)].map((m) => m[1]!),
  );
}

describe('the relay handler, a batch of seals bound for one thread', () => {
  it('posts one digest instead of 12 posts, records every seal delivered with its message id, and PATCHes each release', async () => {
    const seals = Array.from({ length: 12 }, (_, index) => sealOf(index));
    const { store, discord, releaseApi, handler } = await setup({ seals });

    const response = await handler(batchOf(seals));

    expect(response.batchItemFailures).toEqual([]);
    expect(discord.requests).toHaveLength(1);
    const post = discord.requests[0]!;
    expect(post.url).toBe(`/api/webhooks/1/t?wait=true&thread_id=${THREAD_A}`);
    const body = JSON.parse(post.body);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBe(
      '**Smoke Seal digest**: 12 seals (3 red, 3 inconclusive, 3 recovered, 3 green)',
    );
    // Red first, then inconclusive, recovered, green.
    expect(appsNamed(post.body)).toEqual([
      'app-00',
      'app-04',
      'app-08',
      'app-02',
      'app-06',
      'app-10',
      'app-01',
      'app-05',
      'app-09',
      'app-03',
      'app-07',
      'app-11',
    ]);
    for (const seal of seals) {
      expect((await store.get(seal.id))?.deliveries.discord).toEqual({
        state: 'delivered',
        attempts: 1,
        updatedAt: '2026-06-26T14:05:00.000Z',
        detail: `posted message ${DIGEST_ID} in thread ${THREAD_A}: a digest of 12 seals`,
      });
      expect((await store.get(seal.id))?.deliveries.releaseApi?.state).toBe('delivered');
    }
    // The Release record and its status stay per seal.
    expect(releaseApi.requests.map((request) => request.url).sort()).toEqual(
      seals.map((seal) => `/api/releases/${seal.release!.releaseId}/smoke_seal`).sort(),
    );
  });

  it.each([
    ['a 500 (retried, then given up)', { status: 500, body: { message: 'oops' } }, 4],
    [
      'a 429 asking for a minute (left to redelivery)',
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 60, global: false } },
      1,
    ],
  ] as const)(
    'on %s, fails every seal of the digest and records none delivered; the redelivery posts it once',
    async (_, answer, attempts) => {
      const seals = Array.from({ length: 12 }, (_, index) => sealOf(index));
      // A 13th seal alone in another thread gets through: the batch's failures are exactly the digest's
      // seals (with every record failed, Powertools throws and the whole batch comes back anyway).
      const elsewhere = sealOf(12);
      let down = true;
      const { store, discord, handler, advance } = await setup({
        seals: [...seals, elsewhere],
        threads: (app) => (app === elsewhere.app ? THREAD_C : THREAD_A),
        discord: (request) => (down && request.url.includes(THREAD_A) ? answer : OK_DISCORD),
      });
      const batch = batchOf([...seals, elsewhere]);
      const digestPosts = () => discord.requests.filter((request) => request.url.includes(THREAD_A));

      const response = await handler(batch);

      const digestRecords = batch.Records.slice(0, 12).map((r) => r.messageId);
      expect(failedIds(response)).toEqual(digestRecords.sort());
      expect(digestPosts()).toHaveLength(attempts);
      for (const seal of seals) {
        const stored = (await store.get(seal.id))?.deliveries.discord;
        expect(stored).toMatchObject({ state: 'failed', attempts });
        expect(stored?.detail).toContain(`${answer.status}`);
      }
      expect((await store.get(elsewhere.id))?.deliveries.discord?.state).toBe('delivered');

      // The messages come back after the visibility timeout; the claims have lapsed by then.
      down = false;
      advance(VISIBILITY_TIMEOUT_MS);
      expect(VISIBILITY_TIMEOUT_MS).toBeGreaterThan(CLAIM_LEASE_MS);
      const again = await handler(batch);

      expect(again.batchItemFailures).toEqual([]);
      expect(digestPosts()).toHaveLength(attempts + 1);
      expect(discord.requests).toHaveLength(attempts + 2);
      expect(appsNamed(digestPosts().at(-1)!.body).sort()).toEqual(seals.map((seal) => seal.app).sort());
      for (const seal of seals) {
        expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({
          state: 'delivered',
          attempts: attempts + 1,
          detail: `posted message ${DIGEST_ID} in thread ${THREAD_A}: a digest of 12 seals`,
        });
      }
    },
  );

  it('splits a long digest into messages in order; when one fails, only the seals not yet posted come back', async () => {
    const seals = Array.from({ length: 60 }, (_, index) => sealOf(index));
    // The first message goes through; every later request fails.
    const { store, discord, handler } = await setup({
      seals,
      discord: (_request, index) => (index === 0 ? OK_DISCORD : { status: 500 }),
    });
    const batch = batchOf(seals);

    const response = await handler(batch);

    const first = appsNamed(discord.requests[0]!.body);
    expect(first.length).toBeGreaterThan(1);
    expect(first.length).toBeLessThan(60);
    expect(JSON.parse(discord.requests[0]!.body).content).toMatch(
      /^\*\*Smoke Seal digest\*\*: 60 seals .*, part 1 of \d$/,
    );
    // The second message's attempts share one retry budget (4 attempts in all), the rest are not tried.
    expect(discord.requests).toHaveLength(1 + 4);
    expect(new Set(discord.requests.slice(1).map((request) => request.body)).size).toBe(1);
    const failed = new Set(failedIds(response));
    for (const [index, seal] of seals.entries()) {
      const posted = first.includes(seal.app);
      expect(failed.has(`m-${index}`)).toBe(!posted);
      const state = (await store.get(seal.id))?.deliveries.discord?.state;
      if (posted) expect(state).toBe('delivered');
      else expect(['failed', 'pending']).toContain(state);
    }
  });

  it('starts no digest message with too little time left: the rest comes back and is posted once, by the redelivery', async () => {
    const seals = Array.from({ length: 60 }, (_, index) => sealOf(index));
    const { store, discord, handler, advance } = await setup({ seals });
    const batch = batchOf(seals);
    // Lambda's clock for this invocation: plenty before the first post, 20 s after it.
    const context = {
      getRemainingTimeInMillis: () => (discord.requests.length === 0 ? 80_000 : 20_000),
    } as unknown as Context;

    const response = await handler(batch, context);

    expect(discord.requests).toHaveLength(1);
    const first = appsNamed(discord.requests[0]!.body);
    expect(first.length).toBeLessThan(60);
    const failed = new Set(failedIds(response));
    for (const [index, seal] of seals.entries()) {
      const posted = first.includes(seal.app);
      expect(failed.has(`m-${index}`)).toBe(!posted);
      const discordState = (await store.get(seal.id))?.deliveries.discord;
      if (posted) expect(discordState?.state).toBe('delivered');
      else {
        expect(discordState?.state).toBe('pending');
        expect(discordState?.detail).toContain('20 s left, too little to post and record another message');
      }
    }

    // The records that came back, after the visibility timeout, with time to spare: each seal named once in all.
    advance(VISIBILITY_TIMEOUT_MS);
    const again = await handler({ Records: batch.Records.filter((r) => failed.has(r.messageId)) });
    expect(again.batchItemFailures).toEqual([]);
    const named = discord.requests.flatMap((request) =>
      appsNamed(request.body).concat(singleApp(request.body)),
    );
    expect(named.sort()).toEqual(seals.map((seal) => seal.app).sort());
  });

  it('posts nothing again when the batch is redelivered after its digest went out', async () => {
    const seals = Array.from({ length: 12 }, (_, index) => sealOf(index));
    const { store, discord, releaseApi, handler, advance } = await setup({ seals });
    const batch = batchOf(seals);

    expect((await handler(batch)).batchItemFailures).toEqual([]);
    advance(VISIBILITY_TIMEOUT_MS);
    expect((await handler(batch)).batchItemFailures).toEqual([]);

    expect(discord.requests).toHaveLength(1);
    expect(releaseApi.requests).toHaveLength(12);
    for (const seal of seals) {
      expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({
        state: 'delivered',
        attempts: 1,
      });
    }
  });

  it('names each seal once when two relays take the same batch at the same moment', async () => {
    const seals = Array.from({ length: 12 }, (_, index) => sealOf(index));
    // Slow enough that both relays have read every seal as not delivered before a post returns.
    const { discord, handler } = await setup({ seals, discord: [{ ...OK_DISCORD, delayMs: 300 }] });
    const batch = batchOf(seals);

    const responses = await Promise.all([handler(batch), handler(batch)]);

    expect(responses.map((response) => response.batchItemFailures)).toEqual([[], []]);
    const named = discord.requests.flatMap((request) =>
      appsNamed(request.body).concat(singleApp(request.body)),
    );
    expect(named.sort()).toEqual(seals.map((seal) => seal.app).sort());
  });

  it('posts the seals of one batch at most once when the batch holds two copies of a message', async () => {
    const seals = Array.from({ length: 3 }, (_, index) => sealOf(index));
    const { discord, handler } = await setup({ seals });
    const event = batchOf([...seals, seals[0]!]);

    const response = await handler(event);

    expect(response.batchItemFailures).toEqual([]);
    expect(discord.requests).toHaveLength(1);
    expect(appsNamed(discord.requests[0]!.body)).toEqual(['app-00', 'app-02', 'app-01']);
  });
});

describe('the relay handler, a batch of seals bound for several threads', () => {
  it('posts one digest per thread, and its own full message for a seal alone in its thread', async () => {
    const seals = Array.from({ length: 9 }, (_, index) => sealOf(index));
    const thread = (app: string) => {
      const index = Number(app.slice(4));
      return index === 8 ? THREAD_C : index % 2 === 0 ? THREAD_A : THREAD_B;
    };
    const { store, discord, handler } = await setup({
      seals,
      threads: thread,
      discord: (request) => ({
        status: 200,
        body: { id: `${/thread_id=(\d+)/.exec(request.url)![1]!.slice(0, 1).repeat(17)}9` },
      }),
    });

    const response = await handler(batchOf(seals));

    expect(response.batchItemFailures).toEqual([]);
    expect(discord.requests).toHaveLength(3);
    const byThread = new Map(
      discord.requests.map((request) => [/thread_id=(\d+)/.exec(request.url)![1], request.body]),
    );
    expect(appsNamed(byThread.get(THREAD_A)!).sort()).toEqual(['app-00', 'app-02', 'app-04', 'app-06']);
    expect(appsNamed(byThread.get(THREAD_B)!).sort()).toEqual(['app-01', 'app-03', 'app-05', 'app-07']);
    // Alone in its thread: the rich single post (one embed with its fields), not a digest.
    const single = JSON.parse(byThread.get(THREAD_C)!);
    expect(single.content).toMatch(/^RED seal: app-08 release 2026\.06\.26\.8/);
    expect(single.embeds).toHaveLength(1);
    expect(single.embeds[0].fields.length).toBeGreaterThan(0);

    for (const seal of seals) {
      const where = thread(seal.app);
      const detail = (await store.get(seal.id))?.deliveries.discord?.detail;
      expect(detail).toBe(
        where === THREAD_C
          ? `posted message ${'3'.repeat(17)}9 in thread ${THREAD_C}`
          : `posted message ${where.slice(0, 1).repeat(17)}9 in thread ${where}: a digest of 4 seals`,
      );
    }
  });
});

/** The app of a single (non-digest) post, from its headline. */
function singleApp(body: string): string[] {
  const match = /^(?:RED|GREEN|INCONCLUSIVE|RECOVERED) seal: (app-\d\d) /.exec(JSON.parse(body).content);
  return match ? [match[1]!] : [];
}
