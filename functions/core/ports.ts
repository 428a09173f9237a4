// The ports the core talks to. Implementations live in functions/adapters/ and are named for their technology.

import type { Attempt, DeliveryChannel, DeliveryState, RefusedRequest, Seal } from './seal';
import type { Check } from './spec';

export interface Clock {
  now(): Date;
}

/** What one attempt of one check produced, with its screenshot bytes still in hand. */
export interface AttemptOutcome extends Omit<Attempt, 'screenshot'> {
  readonly screenshotPng: Uint8Array | null;
}

export interface RunCheckOptions {
  /** Budget for this attempt. */
  readonly timeoutMs: number;
  /** Aborted when the seal's overall deadline expires: the attempt must stop at once. */
  readonly signal: AbortSignal;
}

export interface RefusedRequests {
  /** Exact count. */
  readonly count: number;
  /** The first ones, capped so a seal stays small. */
  readonly requests: readonly RefusedRequest[];
}

/** One browser, for one seal. Each attempt runs on a fresh page. */
export interface BrowserSession {
  runCheck(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome>;
  /** Mutating requests and WebSockets the read-only guard refused so far. */
  refusedRequests(): RefusedRequests;
  close(): Promise<void>;
}

export interface BrowserLauncher {
  /** Throws when the browser cannot start: the seal is then inconclusive, not red. */
  launch(): Promise<BrowserSession>;
}

/** Where screenshots and the HTML report go (local folder, S3). Returns links a person can open. */
export interface EvidenceStore {
  putScreenshot(sealId: string, name: string, png: Uint8Array): Promise<string>;
  putReport(sealId: string, html: string): Promise<string>;
}

export interface PutSealResult {
  readonly seal: Seal;
  /** True when a seal with this id already existed: the stored one is returned, nothing was written. */
  readonly duplicate: boolean;
}

export interface HistoryPage {
  readonly seals: readonly Seal[];
  /** Items that did not parse: reported, never fatal to a listing. */
  readonly corrupt: readonly CorruptItem[];
  /** Pass back to get the next page; undefined on the last page. */
  readonly cursor: string | undefined;
}

export interface CorruptItem {
  readonly key: string;
  readonly problem: string;
}

export interface SealStore {
  put(seal: Seal): Promise<PutSealResult>;
  get(id: string): Promise<Seal | undefined>;
  latest(app: string): Promise<Seal | undefined>;
  history(app: string, options?: { limit?: number; cursor?: string }): Promise<HistoryPage>;
  forRelease(app: string, releaseId: string): Promise<HistoryPage>;
  latestOfEveryApp(): Promise<HistoryPage>;
  /** Updates one channel's delivery state without touching the verdict. */
  updateDelivery(id: string, channel: DeliveryChannel, state: DeliveryState): Promise<void>;
  /**
   * Claims one channel of a seal for delivery, atomically, so two relays of one seal never both send.
   * True when won: the channel is not delivered and holds no unexpired claim of another owner (the same
   * owner wins again, so a retried call is harmless). False otherwise, and for a seal that does not exist.
   * `until` and `now` are `Date#toISOString()` times; a claim is never released, it lapses at `until`,
   * and it is not part of the seal (`get` does not show it).
   */
  claimDelivery(
    id: string,
    channel: DeliveryChannel,
    claim: { readonly owner: string; readonly until: string; readonly now: string },
  ): Promise<boolean>;
}

/** Announces a recorded seal ("seal recorded" on SNS, or straight to the channels on a laptop). */
export interface SealPublisher {
  publish(seal: Seal): Promise<void>;
}
