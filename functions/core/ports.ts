// The ports the core talks to. Implementations live in functions/adapters/ and are named for their technology.

import type { Attempt, CheckResult, DeliveryChannel, DeliveryState, RefusedRequest, Seal } from './seal';
import type { Check } from './spec';

export interface Clock {
  now(): Date;
}

/** What one attempt of one check produced, with its screenshot bytes still in hand. */
export interface AttemptOutcome extends Omit<Attempt, 'screenshot' | 'fullPageScreenshot' | 'artifacts'> {
  readonly screenshotPng: Uint8Array | null;
  /** A full-page capture, taken on failed attempts. */
  readonly fullPagePng?: Uint8Array | null;
  /** Playwright's own evidence of a failed test (screenshot, error context, trace), bounded by the adapter. */
  readonly artifactBytes?: readonly ArtifactBytes[];
}

/** One file of Playwright's evidence for a failed test, read and bounded by the adapter. */
export interface ArtifactBytes {
  readonly kind: 'screenshot' | 'error-context' | 'trace';
  /** A file name without folders, e.g. `trace.zip`; the seal prefixes it with the check's. */
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** One check's end, as it happens: for progress on a terminal. */
export interface CheckProgress {
  readonly name: string;
  readonly path: string;
  readonly outcome: Attempt['outcome'];
  readonly durationMs: number;
  readonly attempts: number;
  readonly error: string | null;
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

/** Where one seal's browser points, where it may go, and who it is there. */
export interface BrowserTarget {
  /** The base URL the checks run against (production, or the event's allowed smoke URL). */
  readonly baseUrl: string;
  /**
   * The app's hosts ("host" or "host:port", "*.example.com"): the base URL's host and the app's
   * allowedHosts. Everything else the browser may reach only when it is public.
   */
  readonly appHosts: readonly string[];
  /** Sign-in material; sent to the app's hosts only and never recorded anywhere. */
  readonly auth?: TargetAuth;
}

/** How a seal signs in to an app (issue "Bring the app's own Playwright spec", point 8). */
export interface TargetAuth {
  /** HTTP basic credentials. */
  readonly basic?: { readonly username: string; readonly password: string };
  /** Extra request headers, e.g. a bearer token. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A Playwright storage state: cookies and each origin's local storage. */
  readonly storageState?: StorageState;
}

export interface StorageState {
  readonly cookies: readonly {
    readonly name: string;
    readonly value: string;
    readonly domain: string;
    readonly path: string;
    readonly expires: number;
    readonly httpOnly: boolean;
    readonly secure: boolean;
    readonly sameSite: 'Strict' | 'Lax' | 'None';
  }[];
  readonly origins: readonly {
    readonly origin: string;
    readonly localStorage: readonly { readonly name: string; readonly value: string }[];
  }[];
}

/** One check of a suite's run, with its attempts' evidence bytes still in hand. */
export interface SuiteCheckRun extends Omit<CheckResult, 'attempts'> {
  readonly attempts: readonly AttemptOutcome[];
}

export interface SuiteRunInput {
  readonly target: BrowserTarget;
  /** Milliseconds from now until the suite must be decided, browser launch included. */
  readonly deadlineMs: number;
  /** Told as each test ends; what it throws is ignored. */
  readonly onCheckFinished?: (check: SuiteCheckRun) => void;
}

export interface SuiteRun {
  /** One check per test the runner selected, in its order. */
  readonly checks: readonly SuiteCheckRun[];
  readonly refused: RefusedRequests;
  readonly launchMs: number | null;
  /** Set when the checker itself broke (the runner did not start, crashed, the deadline cut tests off). */
  readonly toolingError: string | null;
}

/**
 * The app's own Playwright Test suite, run by Playwright Test itself behind the read-only guard
 * (functions/adapters/playwright-spec/). Production's failures are checks, never thrown.
 */
export interface SpecSuite {
  run(input: SuiteRunInput): Promise<SuiteRun>;
}

export interface BrowserLauncher {
  /** Throws when the browser cannot start: the seal is then inconclusive, not red. */
  launch(target: BrowserTarget): Promise<BrowserSession>;
}

/** Where screenshots and the HTML report go (local folder, S3). Returns links a person can open. */
export interface EvidenceStore {
  putScreenshot(sealId: string, name: string, png: Uint8Array): Promise<string>;
  putReport(sealId: string, html: string): Promise<string>;
  /** Any other evidence file (a Playwright trace, an error context); stores without it keep screenshots only. */
  putArtifact?(sealId: string, name: string, bytes: Uint8Array, contentType: string): Promise<string>;
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
  /** The newest seal of the app in one environment (default production). */
  latest(app: string, environment?: string): Promise<Seal | undefined>;
  /** The app's seals in one environment (default production), newest first. */
  history(
    app: string,
    options?: { limit?: number; cursor?: string; environment?: string },
  ): Promise<HistoryPage>;
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
