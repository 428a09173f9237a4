// The relay: delivers a stored seal to Discord and the Release record, once per seal and channel.
import { randomUUID } from 'node:crypto';
import { alertForSeal } from './alert-for-seal';
import type { AlertDecision } from './alert-policy';
import { errorText } from './error-text';
import { ConfigError, DeliveryError, StoreError } from './errors';
import { type CommitStatus, renderCommitStatus } from './messages/render-commit-status';
import { type DiscordEmbed, type DiscordMessage, renderDiscord } from './messages/render-discord';
import { type ReleaseRecord, renderReleaseRecord } from './messages/render-release-record';
import { buildSealMessage, type SealMessage } from './messages/seal-message';
import type { Clock, SealStore } from './ports';
import type { DeliveryState, Seal } from './seal';

/** A webhook body: one seal's message (one embed) or a digest of several (up to 10 embeds). */
export type DiscordPayload = Omit<DiscordMessage, 'embeds'> & { readonly embeds: readonly DiscordEmbed[] };

/** Posts to the Discord webhook; throws DeliveryError. Returns Discord's message id when it gave one. */
export interface DiscordPoster {
  post(message: DiscordPayload, threadId: string | null): Promise<{ readonly messageId: string | null }>;
}

/** PATCHes the Release record; throws DeliveryError. */
export interface ReleaseRecordWriter {
  write(urlTemplate: string, releaseId: string, record: ReleaseRecord): Promise<void>;
}

/** Sets a commit status on GitHub; throws DeliveryError. `repo` is "owner/name". */
export interface CommitStatusWriter {
  setStatus(repo: string, sha: string, status: CommitStatus): Promise<void>;
}

/** Where an app's seals go, from its configuration. */
export interface RelayDestinations {
  /** The release-notes thread; a thread named by the release event wins. */
  readonly discordThreadId?: string;
  readonly releaseApiUrlTemplate?: string;
  /** The repository whose merge commit carries the `smoke-seal/<app>` status. */
  readonly github?: { readonly repo: string };
}

export interface RetryPolicy {
  /** Attempts per channel in one relay, the first included. */
  readonly maxAttempts: number;
  /** First backoff; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A retry_after longer than this is left to the queue's redelivery instead of waited for here. */
  readonly maxWaitMs: number;
}

/** The shortest wait between two attempts, whatever a server asks. */
export const MIN_RETRY_WAIT_MS = 250;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxWaitMs: 10_000,
};

/**
 * How long a relay holds a channel it claimed. Longer than the relay function's timeout (90 s), so a
 * holder still running never loses its claim; shorter than the queue's visibility timeout (9 min), so
 * the redelivery of a message whose relay died or failed finds the claim lapsed.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

export interface RelayPorts {
  readonly store: Pick<SealStore, 'get' | 'history' | 'updateDelivery' | 'claimDelivery'>;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  /** Absent when no webhook is configured: the channel is skipped. */
  readonly discord?: DiscordPoster;
  /** Absent when no release API token is configured: the channel is skipped. */
  readonly releaseApi?: ReleaseRecordWriter;
  /** Absent when no GitHub token is configured: the channel is skipped. */
  readonly github?: CommitStatusWriter;
  readonly destinations: (app: string) => RelayDestinations | undefined;
  readonly retry?: RetryPolicy;
  /**
   * What the invocation has left (Lambda's remaining time). A digest's next message is not started with
   * less than DIGEST_MESSAGE_RESERVE_MS left: a relay stopped between a post and its record would have
   * the redelivered batch post it again. Absent: no limit (the CLI).
   */
  readonly timeLeftMs?: () => number;
}

export type RelayChannel = 'discord' | 'releaseApi' | 'github';

export interface ChannelOutcome extends DeliveryState {
  /** The state was already delivered: nothing was sent this time. */
  readonly alreadyDelivered: boolean;
  /** A failure that another try (SQS redelivery) may fix. */
  readonly retryable: boolean;
  /**
   * Another relay of the same seal holds the channel (or has just delivered it): nothing was sent or
   * recorded here, and nothing is left to retry. Reported with state `pending`.
   */
  readonly claimedElsewhere: boolean;
}

export interface RelayOutcome {
  readonly sealId: string;
  readonly decision: AlertDecision;
  readonly channels: Readonly<Record<RelayChannel, ChannelOutcome>>;
}

const CHANNELS: readonly RelayChannel[] = ['discord', 'releaseApi', 'github'];

/**
 * Loads the seal and delivers it (see deliverSeal). Throws, so the queue redelivers, when the
 * store fails or a retryable delivery failure remains after the bounded retries; a terminal
 * failure (a 4xx) is recorded in the seal, not thrown.
 */
export async function relaySeal(sealId: string, ports: RelayPorts): Promise<RelayOutcome> {
  return throwIfRetryable(await deliverSeal(await loadSeal(sealId, ports), ports));
}

/** Reads a seal for relaying; a seal the store does not have (yet) is a StoreError, so the message comes back. */
export async function loadSeal(sealId: string, ports: Pick<RelayPorts, 'store'>): Promise<Seal> {
  const seal = await ports.store.get(sealId);
  if (!seal) {
    // Published right after the write; an eventually consistent read may lag. Redelivery tries again.
    throw new StoreError(`seal ${sealId} not found in the seal store; the message will be retried`);
  }
  return seal;
}

/** The outcome, or a retryable DeliveryError naming each channel that a redelivery may still fix. */
export function throwIfRetryable(outcome: RelayOutcome): RelayOutcome {
  const pending = CHANNELS.filter((channel) => outcome.channels[channel].retryable);
  if (pending.length > 0) {
    const details = pending.map((channel) => `${channel}: ${outcome.channels[channel].detail}`).join('; ');
    throw new DeliveryError(`seal ${outcome.sealId}: ${details}`, { retryable: true });
  }
  return outcome;
}

/** A seal ready to relay: the policy's decision, its message, where it goes, and who claims for it. */
export interface PreparedSeal {
  readonly seal: Seal;
  readonly decision: AlertDecision;
  readonly message: SealMessage;
  readonly destinations: RelayDestinations;
  /** One owner per relay of a seal, not per container: two copies of a message in one batch are two relays. */
  readonly owner: string;
}

/** Decides (reading the app's history when the policy needs it) and builds the message; throws on a store failure. */
export async function prepareSeal(seal: Seal, ports: RelayPorts): Promise<PreparedSeal> {
  return {
    seal,
    decision: await alertForSeal(seal, ports.store),
    message: buildSealMessage(seal),
    destinations: ports.destinations(seal.app) ?? {},
    owner: randomUUID(),
  };
}

/**
 * Delivers a seal to each channel the alert policy selects and configuration names, skipping a
 * channel already delivered, and records every outcome in the seal's delivery state. A channel is
 * sent only after winning its claim in the store, so concurrent relays of one seal send it once; a
 * lost claim is reported as claimed elsewhere and records nothing. Delivery failures are returned,
 * not thrown; a store failure is thrown.
 */
export async function deliverSeal(seal: Seal, ports: RelayPorts): Promise<RelayOutcome> {
  const prepared = await prepareSeal(seal, ports);
  // Channels are independent: in parallel, so a slow one does not eat the other's time.
  const [discord, releaseApi, github] = await Promise.all(
    CHANNELS.map((channel) => deliverChannel(prepared, channel, ports)),
  );
  return outcomeOf(prepared, { discord: discord!, releaseApi: releaseApi!, github: github! });
}

export function outcomeOf(
  prepared: PreparedSeal,
  channels: Readonly<Record<RelayChannel, ChannelOutcome>>,
): RelayOutcome {
  return { sealId: prepared.seal.id, decision: prepared.decision, channels };
}

/**
 * Where the seal's Discord post goes (the thread; null: the webhook's own channel), or null when
 * nothing is to be posted now: already delivered, the policy keeps quiet, or no webhook.
 */
export function pendingDiscordPost(
  prepared: PreparedSeal,
  ports: RelayPorts,
): { threadId: string | null } | null {
  if (prepared.seal.deliveries.discord?.state === 'delivered') return null;
  const plan = planChannel(prepared, 'discord', ports);
  return 'skip' in plan ? null : { threadId: discordThreadOf(prepared) };
}

function discordThreadOf({ seal, destinations }: PreparedSeal): string | null {
  return seal.release?.notesThreadId ?? destinations.discordThreadId ?? null;
}

/**
 * Claims one channel of the seal for this relay (see SealStore.claimDelivery): true when won, and
 * then only this relay sends. A failed send keeps its claim until it lapses (CLAIM_LEASE_MS).
 */
export async function claimChannel(
  prepared: PreparedSeal,
  channel: RelayChannel,
  ports: RelayPorts,
): Promise<boolean> {
  const now = ports.clock.now();
  return ports.store.claimDelivery(prepared.seal.id, channel, {
    owner: prepared.owner,
    until: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(),
    now: now.toISOString(),
  });
}

/** What a relay reports for a channel another relay holds: nothing sent, nothing recorded, nothing to retry. */
export function claimedElsewhere(prepared: PreparedSeal, channel: RelayChannel, now: Date): ChannelOutcome {
  return {
    state: 'pending',
    attempts: prepared.seal.deliveries[channel]?.attempts ?? 0,
    updatedAt: now.toISOString(),
    detail: 'claimed elsewhere: another relay of this seal is delivering it or has delivered it',
    alreadyDelivered: false,
    retryable: false,
    claimedElsewhere: true,
  };
}

export type Send = () => Promise<string>;
type Plan = { readonly skip: string } | { readonly send: Send };

/** Delivers one channel of one seal (see deliverSeal): skip, already delivered, claim, send with retries, record. */
export async function deliverChannel(
  prepared: PreparedSeal,
  channel: RelayChannel,
  ports: RelayPorts,
): Promise<ChannelOutcome> {
  const { seal } = prepared;
  const previous = seal.deliveries[channel];
  if (previous?.state === 'delivered') {
    return { ...previous, alreadyDelivered: true, retryable: false, claimedElsewhere: false };
  }

  const plan = planChannel(prepared, channel, ports);
  const priorAttempts = previous?.attempts ?? 0;
  if ('skip' in plan) {
    const state: DeliveryState = {
      state: 'skipped',
      attempts: priorAttempts,
      updatedAt: ports.clock.now().toISOString(),
      detail: plan.skip,
    };
    if (previous?.state !== 'skipped' || previous.detail !== plan.skip) {
      await ports.store.updateDelivery(seal.id, channel, state);
    }
    return { ...state, alreadyDelivered: false, retryable: false, claimedElsewhere: false };
  }

  // The read above may be stale by now: only the winner of the claim sends. A failed send keeps its
  // claim until it lapses; the message's redelivery comes after that.
  if (!(await claimChannel(prepared, channel, ports))) {
    return claimedElsewhere(prepared, channel, ports.clock.now());
  }

  const result = await withRetries(plan.send, ports);
  const state: DeliveryState = {
    state: result.delivered ? 'delivered' : 'failed',
    attempts: priorAttempts + result.attempts,
    updatedAt: ports.clock.now().toISOString(),
    detail: result.detail,
  };
  await ports.store.updateDelivery(seal.id, channel, state);
  return { ...state, alreadyDelivered: false, retryable: result.retryable, claimedElsewhere: false };
}

function planChannel(prepared: PreparedSeal, channel: RelayChannel, ports: RelayPorts): Plan {
  const { seal, decision, message, destinations } = prepared;
  // The commit status speaks when the Release record does: it is the same verdict, on the commit.
  if (!decision[channel === 'github' ? 'releaseApi' : channel]) return { skip: `policy: ${decision.reason}` };
  if (channel === 'github') return planCommitStatus(seal, message, destinations, ports);
  if (channel === 'discord') {
    const discord = ports.discord;
    if (!discord) return { skip: 'not configured: no Discord webhook' };
    const threadId = discordThreadOf(prepared);
    const body = renderDiscord(message);
    return {
      send: async () => {
        const { messageId } = await discord.post(body, threadId);
        const where = threadId ? ` in thread ${threadId}` : '';
        return messageId ? `posted message ${messageId}${where}` : `posted${where}`;
      },
    };
  }
  const releaseApi = ports.releaseApi;
  if (!releaseApi) return { skip: 'not configured: no release API token' };
  const template = destinations.releaseApiUrlTemplate;
  if (!template) return { skip: `not configured: app ${seal.app} has no releaseApiUrlTemplate` };
  if (!seal.release) return { skip: 'no release is known for this seal' };
  const releaseId = seal.release.releaseId;
  const record = renderReleaseRecord(message);
  return {
    send: async () => {
      await releaseApi.write(template, releaseId, record);
      return `Release record ${releaseId} updated`;
    },
  };
}

function planCommitStatus(
  seal: Seal,
  message: SealMessage,
  destinations: RelayDestinations,
  ports: RelayPorts,
): Plan {
  const github = ports.github;
  if (!github) return { skip: 'not configured: no GitHub token' };
  const repo = destinations.github?.repo;
  if (!repo) return { skip: `not configured: app ${seal.app} has no github.repo` };
  const sha = seal.release?.mergeCommit ?? seal.release?.commit;
  if (!sha) return { skip: 'no commit is known for this seal' };
  const status = renderCommitStatus(message);
  return {
    send: async () => {
      await github.setStatus(repo, sha, status);
      return `status ${status.state} set on ${repo}@${sha.slice(0, 12)}`;
    },
  };
}

export interface RetryResult {
  readonly delivered: boolean;
  readonly attempts: number;
  readonly detail: string;
  readonly retryable: boolean;
}

/**
 * Retries shared by several sends (the messages of one digest): each send has its first attempt,
 * and the retries after it come out of `left`, so a digest in several messages takes about as
 * long at worst as one message does.
 */
export interface RetryPool {
  left: number;
}

/** Sends with the bounded retries of the policy (and of the pool, when given); never throws. */
export async function withRetries(send: Send, ports: RelayPorts, pool?: RetryPool): Promise<RetryResult> {
  const policy = ports.retry ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      return { delivered: true, attempts: attempt, detail: await send(), retryable: false };
    } catch (error) {
      // A secret that would not load is assumed passing; a configuration error is not.
      const retryable = error instanceof DeliveryError ? error.retryable : !(error instanceof ConfigError);
      const detail = errorText(error);
      if (!retryable) return { delivered: false, attempts: attempt, detail, retryable: false };
      if (attempt >= policy.maxAttempts) {
        return {
          delivered: false,
          attempts: attempt,
          detail: `${detail} (gave up after ${attempt} attempts)`,
          retryable,
        };
      }
      if (pool && pool.left <= 0) {
        return {
          delivered: false,
          attempts: attempt,
          detail: `${detail} (this digest's retries are used up: left to redelivery)`,
          retryable,
        };
      }
      const asked = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      // A floor: a server asking for 0 ms, or less, must not turn the retries into a burst.
      const wait = Math.max(
        MIN_RETRY_WAIT_MS,
        asked ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)),
      );
      if (wait > policy.maxWaitMs) {
        return {
          delivered: false,
          attempts: attempt,
          detail: `${detail} (asked to wait ${Math.ceil(wait / 1000)} s: left to redelivery)`,
          retryable,
        };
      }
      if (pool) pool.left -= 1;
      await ports.sleep(wait);
    }
  }
}
