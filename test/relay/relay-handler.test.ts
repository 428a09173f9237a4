import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordWebhook } from '../../functions/adapters/discord-webhook';
import { decideAlert } from '../../functions/core/alert-policy';
import { relayBatch } from '../../functions/core/relay-batch';
import type { Seal } from '../../functions/core/seal';
import { sealRecorded } from '../../functions/core/seal-recorded';
import { createRelayHandler } from '../../functions/relay/relay-handler';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { redSeal } from '../fixtures/sample-seals';
import { type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';
import { sqsRecord } from '../fixtures/sqs-record';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The message as the queue holds it with raw message delivery on. */
const raw = (seal: Seal) => JSON.stringify(sealRecorded(seal, decideAlert(seal, null)));
/** The same message inside SNS's envelope, with raw message delivery off. */
const enveloped = (seal: Seal) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'n-1',
    TopicArn: 'arn:aws:sns:x:1:t',
    Message: raw(seal),
  });

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe('the relay handler', () => {
  it('reports only the records that failed, so only they come back from the queue', async () => {
    // Each in its own release thread, so each is its own post (seals sharing a thread share a digest).
    const inThread = (id: string, notesThreadId: string) =>
      redSeal({ id, release: { ...redSeal().release!, notesThreadId } });
    const sealOk = inThread('studio:release:ok', '111111111111111111');
    const sealEnveloped = inThread('studio:release:enveloped', '222222222222222222');
    const sealDown = inThread('studio:release:down', '333333333333333333');
    const store = new MemorySealStore();
    for (const seal of [sealOk, sealEnveloped, sealDown]) await store.put(seal);
    const discord = await startScriptedServer((request) =>
      request.url.includes('thread_id=333333333333333333')
        ? { status: 503 }
        : { status: 200, body: { id: '1' } },
    );
    servers.push(discord);
    const handler = relayTo(store, discord.origin);
    const event: SQSEvent = {
      Records: [
        sqsRecord('m-ok', raw(sealOk)),
        sqsRecord('m-enveloped', enveloped(sealEnveloped)),
        sqsRecord('m-down', raw(sealDown)),
        sqsRecord('m-garbage', '{"hello":'),
      ],
    };

    const response = await handler(event);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'm-down',
      'm-garbage',
    ]);
    expect((await store.get(sealOk.id))?.deliveries.discord?.state).toBe('delivered');
    expect((await store.get(sealEnveloped.id))?.deliveries.discord?.state).toBe('delivered');
    expect((await store.get(sealDown.id))?.deliveries.discord).toMatchObject({
      state: 'failed',
      attempts: 4,
    });
  });

  it('posts once when one batch holds two copies of the same message, and fails neither', async () => {
    const seal = redSeal();
    const store = new MemorySealStore();
    await store.put(seal);
    // Slow enough that both copies have read the seal as not delivered before the post returns.
    const discord = await startScriptedServer([{ status: 200, body: { id: '1' }, delayMs: 300 }]);
    servers.push(discord);
    const handler = relayTo(store, discord.origin);

    const response = await handler({
      Records: [sqsRecord('m-1', raw(seal)), sqsRecord('m-1-copy', raw(seal))],
    });

    expect(response.batchItemFailures).toEqual([]);
    expect(discord.requests).toHaveLength(1);
    expect((await store.get(seal.id))?.deliveries.discord).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('reports nothing failed when a terminal failure was recorded: retrying a 401 would not help', async () => {
    const seal = redSeal();
    const store = new MemorySealStore();
    await store.put(seal);
    const discord = await startScriptedServer([{ status: 401, body: { message: '401: Unauthorized' } }]);
    servers.push(discord);
    const errors: unknown[] = [];
    const handler = createRelayHandler({
      logger: { ...silentLogger, error: (...args: unknown[]) => errors.push(args) },
      relay: (sealIds) =>
        relayBatch(sealIds, {
          store,
          clock: { now: () => new Date() },
          sleep: async () => {},
          discord: new DiscordWebhook({ webhookUrl: `${discord.origin}/api/webhooks/1/t` }),
          destinations: () => undefined,
        }),
    });
    const response = await handler({ Records: [sqsRecord('m-1', raw(seal))] });
    expect(response.batchItemFailures).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

/** The relay handler with its ports bound: the given store, a Discord stand-in, no waiting. */
function relayTo(store: MemorySealStore, discordOrigin: string) {
  return createRelayHandler({
    logger: silentLogger,
    relay: (sealIds) =>
      relayBatch(sealIds, {
        store,
        clock: { now: () => new Date('2026-06-26T14:05:00.000Z') },
        sleep: async () => {},
        discord: new DiscordWebhook({ webhookUrl: `${discordOrigin}/api/webhooks/1/t` }),
        destinations: () => undefined,
      }),
  });
}
