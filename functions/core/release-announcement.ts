// What `smoke-seal announce` puts on the bus, checked by the very parser the seal function runs.
import { EventError } from './errors';
import { parseSealEvent, type ReleaseEventMatch, type ReleaseShippedEvent } from './seal-event';

/** The release as the tooling describes it (flags, GitHub's environment); every field still unchecked. */
export interface ReleaseAnnouncementInput {
  readonly app: string | undefined;
  readonly releaseId: string | undefined;
  readonly version: string | undefined;
  readonly commit: string | undefined;
  readonly mergeCommit: string | undefined;
  readonly branch: string | undefined;
  readonly smokeUrl?: string;
  readonly notesThreadId?: string;
  readonly releaseUrl?: string;
}

export interface ReleaseAnnouncement {
  /** The PutEvents entry's Detail, exactly as sent. */
  readonly detail: Record<string, unknown>;
  /** The event as the seal function will receive it (envelope filled as EventBridge would). */
  readonly event: ReleaseShippedEvent;
}

const REQUIRED = [
  ['app', '--app'],
  ['releaseId', '--release-id'],
  ['commit', '--commit'],
  ['mergeCommit', '--merge-commit'],
  ['branch', '--branch'],
] as const;

/**
 * Builds the Release Shipped detail and runs the EventBridge envelope the seal function would get
 * through its own parser (parseSealEvent), so a value it would refuse is refused here, naming the
 * field (`detail.commit: expected 7-40 hex characters`). `version` defaults to the release id.
 */
export function buildReleaseAnnouncement(
  input: ReleaseAnnouncementInput,
  match: ReleaseEventMatch,
  now: Date,
): ReleaseAnnouncement {
  for (const [field, flag] of REQUIRED) {
    if (input[field] === undefined || input[field] === '') {
      throw new EventError(`detail.${field}: missing; pass ${flag}`);
    }
  }
  const links = {
    ...(input.releaseUrl !== undefined ? { release: input.releaseUrl } : {}),
    ...(input.notesThreadId !== undefined ? { notesThreadId: input.notesThreadId } : {}),
  };
  const detail: Record<string, unknown> = {
    schemaVersion: 1,
    app: input.app,
    releaseId: input.releaseId,
    version: input.version ?? input.releaseId,
    commit: input.commit,
    mergeCommit: input.mergeCommit,
    branch: input.branch,
    ...(input.smokeUrl !== undefined ? { smokeUrl: input.smokeUrl } : {}),
    ...(Object.keys(links).length > 0 ? { links } : {}),
  };
  const envelope = {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': match.detailType,
    source: match.source,
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail,
  };
  const parsed = parseSealEvent(envelope, match);
  if (parsed.kind !== 'release') throw new EventError('event: expected a Release Shipped event');
  return { detail, event: parsed.event };
}
