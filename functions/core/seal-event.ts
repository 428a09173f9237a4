// The event contract of the seal function: Release Shipped (EventBridge), nightly (Scheduler), manual (invoke).
import { z } from 'zod';
import { describeZodError } from './describe-zod-error';
import { EventError } from './errors';
import { ROLLBACK_PLACEHOLDERS } from './rollback-command';

/** The contract's version; an event may say which it was written for (`detail.schemaVersion`). */
export const EVENT_SCHEMA_VERSION = 1;

const sha = z
  .string()
  .regex(ROLLBACK_PLACEHOLDERS.commit, 'expected 7-40 hex characters (a git SHA, lower case)');
const appName = z
  .string()
  .regex(ROLLBACK_PLACEHOLDERS.app, 'expected an app name: 1-40 lower-case letters, digits or "-"');
const releaseId = z
  .string()
  .regex(
    ROLLBACK_PLACEHOLDERS.releaseId,
    'expected a release id: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
/** The longest URL an event may carry: the seal keeps it, the messages link it (docs/events.md). */
export const MAX_EVENT_URL_CHARS = 2_000;
const httpsUrl = z
  .url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' })
  .max(
    MAX_EVENT_URL_CHARS,
    `expected a URL of at most ${MAX_EVENT_URL_CHARS.toLocaleString('en-US')} characters`,
  );
/** Envelope text (id, source, detail-type, time): bounded so no part of an event can outgrow a seal. */
const envelopeText = (max: number) => z.string().min(1).max(max, `expected at most ${max} characters`);

export const ReleaseShippedDetailSchema = z.object({
  schemaVersion: z
    .literal(EVENT_SCHEMA_VERSION, {
      error: `expected ${EVENT_SCHEMA_VERSION} (this Smoke Seal reads version 1)`,
    })
    .default(EVENT_SCHEMA_VERSION),
  app: appName,
  releaseId,
  version: z
    .string()
    .regex(ROLLBACK_PLACEHOLDERS.version, 'expected a version: 1-64 letters, digits, ".", "_", "+" or "-"'),
  commit: sha,
  mergeCommit: sha,
  branch: z
    .string()
    .regex(
      ROLLBACK_PLACEHOLDERS.branch,
      'expected a branch name: letters, digits, ".", "_", "/" or "-" (max 100)',
    ),
  /** Seal this URL instead of the app's production URL; only hosts in the app's allowlist are accepted. */
  smokeUrl: httpsUrl.optional(),
  links: z
    .object({
      release: httpsUrl.optional(),
      /** The Discord thread of this release's notes; overrides the app's configured thread. */
      notesThreadId: z
        .string()
        .regex(/^\d{17,20}$/, 'expected a Discord snowflake id (17-20 digits)')
        .optional(),
    })
    .optional(),
});

/** The EventBridge envelope as Lambda receives it. Unknown fields are ignored. */
export const ReleaseShippedEventSchema = z.object({
  id: envelopeText(256),
  source: envelopeText(256),
  'detail-type': envelopeText(256),
  time: envelopeText(64),
  detail: ReleaseShippedDetailSchema,
});
export type ReleaseShippedEvent = z.infer<typeof ReleaseShippedEventSchema>;

/** What each app's nightly schedule sends (EventBridge Scheduler fills scheduledAt). */
export const NightlyEventSchema = z.object({
  trigger: z.literal('nightly'),
  app: appName,
  /** `<aws.scheduler.scheduled-time>`: a retried schedule keeps its night, so it makes no second seal. */
  scheduledAt: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' }).optional(),
});
export type NightlyEvent = z.infer<typeof NightlyEventSchema>;

/** What an operator sends with `aws lambda invoke` to re-seal an app, or one release, on demand. */
export const ManualEventSchema = z.object({
  trigger: z.literal('manual'),
  app: appName,
  /** Makes the invocation idempotent; defaults to the Lambda request id. */
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected 1-100 letters, digits, ".", "_" or "-"')
    .optional(),
  releaseId: releaseId.optional(),
  smokeUrl: httpsUrl.optional(),
});
export type ManualEvent = z.infer<typeof ManualEventSchema>;

export type SealEvent =
  | { readonly kind: 'release'; readonly event: ReleaseShippedEvent }
  | { readonly kind: 'nightly'; readonly event: NightlyEvent }
  | { readonly kind: 'manual'; readonly event: ManualEvent };

export interface ReleaseEventMatch {
  readonly source: string;
  readonly detailType: string;
}

/**
 * Parses any event the seal function accepts. A malformed field is an EventError naming its path
 * (`detail.mergeCommit: expected 7-40 hex characters`); unknown fields are ignored.
 */
export function parseSealEvent(raw: unknown, match: ReleaseEventMatch): SealEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EventError(
      'event: expected a JSON object (a Release Shipped event, a nightly or a manual event)',
    );
  }
  const record = raw as Record<string, unknown>;
  if ('detail-type' in record || 'detail' in record) {
    if (record['detail-type'] !== match.detailType || record.source !== match.source) {
      throw new EventError(
        `detail-type/source: expected "${match.detailType}" from "${match.source}", got ${JSON.stringify(
          record['detail-type'],
        )} from ${JSON.stringify(record.source)} (configure events.detailType and events.source)`,
      );
    }
    return { kind: 'release', event: parseWith(ReleaseShippedEventSchema, raw) };
  }
  if (record.trigger === 'nightly') return { kind: 'nightly', event: parseWith(NightlyEventSchema, raw) };
  if (record.trigger === 'manual') return { kind: 'manual', event: parseWith(ManualEventSchema, raw) };
  throw new EventError(
    `trigger: expected a Release Shipped event (with "detail-type" and "detail") or "trigger": "nightly" | "manual", got ${JSON.stringify(
      record.trigger ?? null,
    )}`,
  );
}

function parseWith<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new EventError(describeZodError(parsed.error), { cause: parsed.error });
  return parsed.data;
}
