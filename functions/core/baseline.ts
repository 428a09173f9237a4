// The baseline of an app in one environment: what its last green seal saw, per check, to compare the next seal with.
// Any check can feed it (a default-lane page today, a Playwright test's final state once its runner hands
// material over): the core takes per-check material and does not care who produced it.
import { z } from 'zod';

export const BASELINE_SCHEMA_VERSION = 1;

/** An ARIA snapshot is cut here where it enters (characters). */
export const MAX_ARIA_SNAPSHOT_CHARS = 16_000;
/** A baseline keeps at most this many checks, and each at most this many console errors. */
export const MAX_BASELINE_CHECKS = 50;
export const MAX_BASELINE_CONSOLE_ERRORS = 20;
/** How many green seals' timings a check's baseline remembers. */
export const MAX_TIMING_SAMPLES = 5;

const millis = z.number().nonnegative().finite().nullable();

/** From the browser's own Performance APIs, milliseconds since navigation start; null when not measured. */
export const PageTimingsSchema = z.object({
  /** Time to first byte: responseStart of the navigation entry. */
  ttfbMs: millis,
  domContentLoadedMs: millis,
  loadMs: millis,
  /** Largest Contentful Paint (the last candidate before the check ended). */
  lcpMs: millis,
  /** Cumulative Layout Shift (sum of shifts without recent input); unitless. */
  cls: z.number().nonnegative().finite().nullable(),
});
export type PageTimings = z.infer<typeof PageTimingsSchema>;

/** What a browser adapter or a test runner hands over for one attempt, besides its screenshot. */
export interface PageMaterial {
  /** Playwright's ariaSnapshot() of the page's body (YAML lines), cut to MAX_ARIA_SNAPSHOT_CHARS. */
  readonly ariaSnapshot: string | null;
  readonly timings: PageTimings | null;
}

/** One check's material, as the comparison takes it: a screenshot, its structure, its timings, its console. */
export interface CheckMaterial {
  readonly name: string;
  readonly path: string;
  readonly screenshotPng: Uint8Array | null;
  readonly ariaSnapshot: string | null;
  readonly timings: PageTimings | null;
  readonly consoleErrors: readonly string[];
}

export const BaselineCheckSchema = z.object({
  name: z.string().min(1).max(300),
  path: z.string().max(2_000),
  /** The store's name for this check's screenshot (relative to the baseline); null when there was none. */
  screenshot: z.string().max(200).nullable(),
  ariaSnapshot: z.string().max(MAX_ARIA_SNAPSHOT_CHARS).nullable(),
  timings: PageTimingsSchema.nullable(),
  /**
   * The timings of the green seals before this one (newest first, at most MAX_TIMING_SAMPLES - 1): a timing
   * regresses against the slowest of them all, so one fast sample on a quiet moment does not make noise a change.
   */
  timingSamples: z.array(PageTimingsSchema).max(MAX_TIMING_SAMPLES).optional(),
  consoleErrors: z.array(z.string().max(500)).max(MAX_BASELINE_CONSOLE_ERRORS),
});
export type BaselineCheck = z.infer<typeof BaselineCheckSchema>;

/** The stored manifest: which seal it came from, and each check's material (pictures beside it). */
export const BaselineSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  app: z.string().min(1),
  environment: z.string().min(1),
  sealId: z.string().min(1),
  checkedAt: z.string(),
  release: z
    .object({
      releaseId: z.string(),
      version: z.string().nullable(),
      /** The release's commit (merge commit when known): the start of the compare range. */
      commit: z.string().nullable(),
    })
    .nullable(),
  checks: z.array(BaselineCheckSchema).max(MAX_BASELINE_CHECKS),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/** A baseline as read back: the manifest and each check's screenshot bytes, by check name. */
export interface StoredBaseline {
  readonly baseline: Baseline;
  readonly screenshots: ReadonlyMap<string, Uint8Array>;
}
