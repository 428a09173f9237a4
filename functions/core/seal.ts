// The seal: the contract every reader shares (store, relay, release API, CLI). Versioned.
import { z } from 'zod';

export const SEAL_SCHEMA_VERSION = 1;

export const SealStatusSchema = z.enum(['green', 'red', 'inconclusive']);
export type SealStatus = z.infer<typeof SealStatusSchema>;

export const TriggerSchema = z.enum(['release', 'nightly', 'manual']);
export type Trigger = z.infer<typeof TriggerSchema>;

/**
 * passed / failed by production; unfinished when the seal's deadline cut it off (not production's fault);
 * skipped when a Playwright test skipped itself (test.skip, test.fixme): it counts neither way.
 */
export const CheckOutcomeSchema = z.enum(['passed', 'failed', 'unfinished', 'skipped']);
export type CheckOutcome = z.infer<typeof CheckOutcomeSchema>;

// Evidence fields added later are optional, so seals stored before them still parse.
export const AttemptSchema = z.object({
  outcome: CheckOutcomeSchema,
  url: z.string(),
  finalUrl: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  /** Why the attempt failed, written for a person: `/up answered 503`, `uncaught ReferenceError: x is not defined`. */
  error: z.string().nullable(),
  pageErrors: z.array(z.string()),
  consoleErrors: z.array(z.string()),
  /** Evidence key or link of the screenshot taken after this attempt. */
  screenshot: z.string().nullable(),
  /** Evidence key of a full-page capture (failed attempts only). */
  fullPageScreenshot: z.string().nullable().optional(),
  /** Why there is no screenshot, when nothing rendered (e.g. `connection refused: nothing rendered`). */
  screenshotMissing: z.string().nullable().optional(),
  /** The responses the navigation went through, first to last (at most 10): redirects then the final answer. */
  redirectChain: z.array(z.object({ url: z.string(), status: z.number().int() })).optional(),
  /** Subresources and fetches of this attempt that failed or answered 4xx/5xx (at most 20). */
  failedRequests: z
    .array(
      z.object({
        method: z.string(),
        url: z.string(),
        /** null when no response came (`failure` says why). */
        status: z.number().int().nullable(),
        failure: z.string().nullable(),
      }),
    )
    .optional(),
  /** Uncaught exceptions with their stack (source locations), same order as pageErrors (at most 10). */
  pageErrorDetails: z.array(z.object({ message: z.string(), stack: z.string().nullable() })).optional(),
  /** Playwright's own evidence of a failed test: evidence keys of its screenshot, error context and trace. */
  artifacts: z
    .array(z.object({ kind: z.enum(['screenshot', 'error-context', 'trace']), file: z.string() }))
    .optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;
export type FailedRequest = NonNullable<Attempt['failedRequests']>[number];
export type RedirectHop = NonNullable<Attempt['redirectChain']>[number];
export type PageErrorDetail = NonNullable<Attempt['pageErrorDetails']>[number];

export const CheckResultSchema = z.object({
  name: z.string(),
  kind: z.enum(['page', 'status', 'script', 'test']),
  path: z.string(),
  url: z.string(),
  outcome: CheckOutcomeSchema,
  httpStatus: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  error: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  /**
   * Where a Playwright test came from, as Playwright's JSON reporter names it: match a check to its
   * result there by project, file, line and column (docs/spec.md).
   */
  playwright: z
    .object({
      project: z.string(),
      file: z.string(),
      line: z.number().int(),
      column: z.number().int(),
      titlePath: z.array(z.string()),
    })
    .optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** One group of refusals: same method, URL and reason; `count` is how many (seals before it was added read as 1). */
export const RefusedRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  reason: z.string(),
  count: z.number().int().positive().default(1),
});
export type RefusedRequest = z.infer<typeof RefusedRequestSchema>;

/** How this seal relates to the app's previous one; the alert policy speaks from this. */
export const TransitionSchema = z.enum([
  'first',
  'unchanged',
  'broke',
  'recovered',
  'still-red',
  'tooling-fault',
]);
export type Transition = z.infer<typeof TransitionSchema>;

export const DeliveryChannelSchema = z.enum(['published', 'email', 'discord', 'releaseApi', 'github']);
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;

export const DeliveryStateSchema = z.object({
  state: z.enum(['pending', 'delivered', 'failed', 'skipped']),
  attempts: z.number().int().nonnegative(),
  updatedAt: z.string(),
  detail: z.string().nullable(),
});
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

export const ReleaseInfoSchema = z.object({
  releaseId: z.string(),
  version: z.string().nullable(),
  commit: z.string().nullable(),
  mergeCommit: z.string().nullable(),
  branch: z.string().nullable(),
  notesThreadId: z.string().nullable(),
  releaseUrl: z.string().nullable(),
});
export type ReleaseInfo = z.infer<typeof ReleaseInfoSchema>;

export const SealSchema = z.object({
  schemaVersion: z.literal(SEAL_SCHEMA_VERSION),
  id: z.string().min(1),
  app: z.string().min(1),
  /**
   * The environment checked: "production", or the name the configuration gives the target's host
   * (apps[].environments). Absent on seals stored before environments existed: those were production.
   */
  environment: z.string().min(1).max(30).optional(),
  trigger: TriggerSchema,
  /** The release this seal speaks for; null when no release is known (a laptop run against a URL). */
  release: ReleaseInfoSchema.nullable(),
  status: SealStatusSchema,
  transition: TransitionSchema,
  summary: z.string(),
  checkedAt: z.string(),
  durationMs: z.number().nonnegative(),
  targetUrl: z.string(),
  checks: z.array(CheckResultSchema),
  refused: z.object({ count: z.number().int().nonnegative(), requests: z.array(RefusedRequestSchema) }),
  timings: z.object({
    launchMs: z.number().nonnegative().nullable(),
    checksMs: z.number().nonnegative().nullable(),
    totalMs: z.number().nonnegative(),
  }),
  evidence: z.object({
    reportUrl: z.string().nullable(),
    error: z.string().nullable(),
  }),
  /** Only on red seals of a known release: the command an operator may paste. Never run by Smoke Seal. */
  rollbackCommand: z.string().nullable(),
  /** Why the checker itself broke, on inconclusive seals. */
  toolingError: z.string().nullable(),
  deliveries: z.partialRecord(DeliveryChannelSchema, DeliveryStateSchema).default({}),
});
export type Seal = z.infer<typeof SealSchema>;
