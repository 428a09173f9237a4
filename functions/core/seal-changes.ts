// What changed since the last green seal: part of the seal, bounded (docs/data-model.md, "changes").
import { z } from 'zod';

export const MAX_ARIA_DIFF_LINES = 10;
export const MAX_ARIA_LINE_CHARS = 160;
export const MAX_NEW_CONSOLE_ERRORS = 5;
export const MAX_CHANGE_COMMITS = 20;

export const TimingMetricSchema = z.enum(['ttfbMs', 'domContentLoadedMs', 'loadMs', 'lcpMs', 'cls']);
export type TimingMetric = z.infer<typeof TimingMetricSchema>;

export const CheckChangeSchema = z.object({
  name: z.string(),
  path: z.string(),
  /** False: unchanged since the baseline (within the tolerances). */
  changed: z.boolean(),
  /** Why this check was not compared (no baseline for it, nothing rendered); null when it was. */
  note: z.string().nullable(),
  visual: z
    .object({
      /** Share of compared pixels that differ, percent, two decimals. */
      percent: z.number().nonnegative(),
      /** The page's size changed: compared on the common area, the rest counted as different. */
      sizeChanged: z.boolean(),
      /** Evidence names (beside the report) of the baseline picture and the overlay of differing pixels. */
      baseline: z.string().nullable(),
      overlay: z.string().nullable(),
    })
    .nullable(),
  aria: z
    .object({
      added: z.array(z.string()).max(MAX_ARIA_DIFF_LINES),
      removed: z.array(z.string()).max(MAX_ARIA_DIFF_LINES),
      addedCount: z.number().int().nonnegative(),
      removedCount: z.number().int().nonnegative(),
      /** `heading renamed`, `link added`, `12 lines changed`: one phrase for the one-line message. */
      headline: z.string(),
    })
    .nullable(),
  timings: z.array(z.object({ metric: TimingMetricSchema, before: z.number(), now: z.number() })).max(5),
  newConsoleErrors: z.array(z.string()).max(MAX_NEW_CONSOLE_ERRORS),
});
export type CheckChange = z.infer<typeof CheckChangeSchema>;

export const CommitRangeSchema = z.object({
  /** https://github.com/org/app/compare/<base>...<head> */
  compareUrl: z.string(),
  base: z.string(),
  head: z.string(),
  /** The first commits of the range (oldest first), titles and authors cut to one line. */
  commits: z
    .array(z.object({ sha: z.string(), title: z.string(), author: z.string() }))
    .max(MAX_CHANGE_COMMITS),
  /** How many commits the range holds in all; null when unknown (no token, API down). */
  total: z.number().int().nonnegative().nullable(),
  /** Why the list is missing (the link stays). */
  error: z.string().nullable(),
});
export type CommitRange = z.infer<typeof CommitRangeSchema>;

export const SealChangesSchema = z.object({
  /**
   * compared: against the last green seal; first: the app has no green seal in this environment yet;
   * unavailable: a baseline could not be read (the note says why).
   */
  state: z.enum(['compared', 'first', 'unavailable']),
  note: z.string().nullable(),
  baseline: z
    .object({
      sealId: z.string(),
      checkedAt: z.string(),
      releaseId: z.string().nullable(),
      version: z.string().nullable(),
      commit: z.string().nullable(),
    })
    .nullable(),
  checks: z.array(CheckChangeSchema).max(50),
  /** The apps[].baseline.failOn rules this seal tripped, as sentences; a green seal with any is red. */
  failOn: z.array(z.string()).max(20),
  commits: CommitRangeSchema.nullable(),
  /** This seal became the new baseline (green seals only); false with a reason in `note` when it could not be stored. */
  baselineUpdated: z.boolean(),
});
export type SealChanges = z.infer<typeof SealChangesSchema>;
