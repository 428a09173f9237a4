// The relay of one queue batch: each seal as relaySeal delivers it, except that the seals of the
// batch bound for one Discord channel or thread are told there in one digest.
import { composeDigests } from './relay-digest';
import {
  type ChannelOutcome,
  claimChannel,
  claimedElsewhere,
  DEFAULT_RETRY_POLICY,
  deliverChannel,
  loadSeal,
  outcomeOf,
  type PreparedSeal,
  pendingDiscordPost,
  prepareSeal,
  type RelayChannel,
  type RelayOutcome,
  type RelayPorts,
  type RetryPool,
  throwIfRetryable,
  withRetries,
} from './relay-seal';
import type { DeliveryState } from './seal';

/**
 * Time a digest message may need, and less than which it is not started: one post (the webhook's 10 s
 * timeout), a wait the retry policy allows (up to 10 s) and a second post, then its records.
 */
export const DIGEST_MESSAGE_RESERVE_MS = 30_000;

/** A seal's relay: its outcome, or the error that sends its message back to the queue. */
export type SealRelayResult =
  | { readonly ok: true; readonly outcome: RelayOutcome }
  | { readonly ok: false; readonly error: unknown };

type DiscordResult = { readonly outcome: ChannelOutcome } | { readonly error: unknown };

/**
 * Relays every seal named (a seal named twice is relayed once) and answers per seal: ok, or the
 * error for which its message must come back (the store failed, or a retryable delivery failure
 * remains). The release API and GitHub are told per seal, as relaySeal does. On Discord, a channel
 * or thread that two or more of these seals are to be posted to gets a digest (composeDigests):
 * each seal's channel is claimed first, the digest names only the seals won, and each is recorded
 * `delivered` with the digest's message id, or `failed` with why. A seal alone for its thread gets
 * its own full message, as relaySeal posts it.
 */
export async function relayBatch(
  sealIds: readonly string[],
  ports: RelayPorts,
): Promise<ReadonlyMap<string, SealRelayResult>> {
  const results = new Map<string, SealRelayResult>();
  const loaded = await Promise.all(
    [...new Set(sealIds)].map(async (id) => {
      try {
        return await prepareSeal(await loadSeal(id, ports), ports);
      } catch (error) {
        results.set(id, { ok: false, error });
        return undefined;
      }
    }),
  );
  const prepared = loaded.filter((seal): seal is PreparedSeal => seal !== undefined);

  const byThread = new Map<string | null, PreparedSeal[]>();
  for (const seal of prepared) {
    const post = pendingDiscordPost(seal, ports);
    if (!post) continue;
    byThread.set(post.threadId, [...(byThread.get(post.threadId) ?? []), seal]);
  }
  const digests = [...byThread].filter(([, seals]) => seals.length > 1);
  const inDigest = new Set(digests.flatMap(([, seals]) => seals));

  const discord = new Map<PreparedSeal, Promise<DiscordResult>>();
  for (const [threadId, seals] of digests) {
    const told = deliverDigest(seals, threadId, ports);
    for (const seal of seals)
      discord.set(
        seal,
        told.then((map) => map.get(seal) ?? { error: new Error(`seal ${seal.seal.id}: no digest result`) }),
      );
  }
  await Promise.all(
    prepared.map(async (seal) => {
      const { id } = seal.seal;
      try {
        const channel = (name: RelayChannel) => deliverChannel(seal, name, ports);
        const [discordOutcome, releaseApi, github] = await Promise.all([
          inDigest.has(seal) ? unwrap(discord.get(seal)!) : channel('discord'),
          channel('releaseApi'),
          channel('github'),
        ]);
        const outcome = outcomeOf(seal, { discord: discordOutcome, releaseApi, github });
        results.set(id, { ok: true, outcome: throwIfRetryable(outcome) });
      } catch (error) {
        results.set(id, { ok: false, error });
      }
    }),
  );
  return results;
}

async function unwrap(result: Promise<DiscordResult>): Promise<ChannelOutcome> {
  const settled = await result;
  if ('error' in settled) throw settled.error;
  return settled.outcome;
}

/**
 * Posts one thread's digest. The messages go one after another (Discord keeps their order) and
 * share one retry budget, so a digest in several messages is not several times as slow at worst;
 * after a message that failed, the rest are not tried and their seals come back with the queue.
 */
async function deliverDigest(
  seals: readonly PreparedSeal[],
  threadId: string | null,
  ports: RelayPorts,
): Promise<ReadonlyMap<PreparedSeal, DiscordResult>> {
  const results = new Map<PreparedSeal, DiscordResult>();
  const claims = await Promise.all(
    seals.map(async (seal) => {
      try {
        return await claimChannel(seal, 'discord', ports);
      } catch (error) {
        results.set(seal, { error });
        return false;
      }
    }),
  );
  for (const [index, seal] of seals.entries()) {
    if (!claims[index] && !results.has(seal))
      results.set(seal, { outcome: claimedElsewhere(seal, 'discord', ports.clock.now()) });
  }
  const won = seals.filter((_, index) => claims[index]);
  const poster = ports.discord;
  if (won.length === 0 || !poster) return results;
  if (won.length === 1) {
    // Alone after the claims: its own full message (the claim is this relay's, so it is won again).
    const [seal] = won as [PreparedSeal];
    results.set(seal, await settle(deliverChannel(seal, 'discord', ports)));
    return results;
  }

  const bySealId = new Map(won.map((seal) => [seal.seal.id, seal]));
  const messages = composeDigests(won.map((seal) => seal.message));
  const pool: RetryPool = { left: (ports.retry ?? DEFAULT_RETRY_POLICY).maxAttempts - 1 };
  const where = threadId ? ` in thread ${threadId}` : '';
  let earlierFailure: string | undefined;
  for (const [index, digest] of messages.entries()) {
    const members = digest.sealIds.map((id) => bySealId.get(id)!);
    const left = ports.timeLeftMs?.();
    if (earlierFailure === undefined && left !== undefined && left < DIGEST_MESSAGE_RESERVE_MS) {
      // Posted but not recorded when the function is stopped, a message would be posted again by the
      // redelivered batch: what is not started now comes back with the queue instead.
      earlierFailure = `the relay had ${Math.max(0, Math.round(left / 1000))} s left, too little to post and record another message`;
    }
    if (earlierFailure !== undefined) {
      const detail = `not posted: ${earlierFailure}`;
      await recordAll(members, results, ports, { state: 'pending', attempts: 0, detail }, true);
      continue;
    }
    const part = messages.length > 1 ? `, part ${index + 1} of ${messages.length}` : '';
    const result = await withRetries(
      async () => {
        const { messageId } = await poster.post(digest.payload, threadId);
        return `${messageId ? `posted message ${messageId}` : 'posted'}${where}: a digest of ${won.length} seals${part}`;
      },
      ports,
      pool,
    );
    const state = result.delivered ? 'delivered' : 'failed';
    const detail = result.delivered ? result.detail : `digest${part}: ${result.detail}`;
    await recordAll(members, results, ports, { state, attempts: result.attempts, detail }, result.retryable);
    if (!result.delivered) earlierFailure = `an earlier message of this digest failed (${result.detail})`;
  }
  return results;
}

/** Records one delivery state per seal (attempts added to its earlier ones); a store failure is that seal's error. */
async function recordAll(
  seals: readonly PreparedSeal[],
  results: Map<PreparedSeal, DiscordResult>,
  ports: RelayPorts,
  sent: Pick<DeliveryState, 'state' | 'attempts'> & { readonly detail: string },
  retryable: boolean,
): Promise<void> {
  const updatedAt = ports.clock.now().toISOString();
  await Promise.all(
    seals.map(async (seal) => {
      const recorded: DeliveryState = {
        state: sent.state,
        attempts: (seal.seal.deliveries.discord?.attempts ?? 0) + sent.attempts,
        updatedAt,
        detail: sent.detail,
      };
      try {
        await ports.store.updateDelivery(seal.seal.id, 'discord', recorded);
        results.set(seal, {
          outcome: { ...recorded, alreadyDelivered: false, retryable, claimedElsewhere: false },
        });
      } catch (error) {
        results.set(seal, { error });
      }
    }),
  );
}

async function settle(outcome: Promise<ChannelOutcome>): Promise<DiscordResult> {
  try {
    return { outcome: await outcome };
  } catch (error) {
    return { error };
  }
}
