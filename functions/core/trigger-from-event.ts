import type { ReleaseInfo } from './seal';
import type { SealEvent } from './seal-event';
import { nightOf } from './seal-id';
import type { SealTrigger } from './seal-trigger';

export interface TriggerContext {
  /** The invocation's id: a manual run's default request id (stable across Lambda's own retries). */
  readonly requestId: string;
  readonly now: Date;
  /** The nightly schedule's time zone: a night is a date there. */
  readonly timeZone: string;
}

/** Turns a parsed event into what the core seals. */
export function triggerFromEvent(parsed: SealEvent, context: TriggerContext): SealTrigger {
  switch (parsed.kind) {
    case 'release': {
      const { detail } = parsed.event;
      const release: ReleaseInfo = {
        releaseId: detail.releaseId,
        version: detail.version,
        commit: detail.commit,
        mergeCommit: detail.mergeCommit,
        branch: detail.branch,
        notesThreadId: detail.links?.notesThreadId ?? null,
        releaseUrl: detail.links?.release ?? null,
      };
      return { trigger: 'release', release, smokeUrl: detail.smokeUrl };
    }
    case 'nightly': {
      const at = parsed.event.scheduledAt ? new Date(parsed.event.scheduledAt) : context.now;
      return { trigger: 'nightly', night: nightOf(at, context.timeZone) };
    }
    case 'manual':
      return {
        trigger: 'manual',
        requestId: parsed.event.requestId ?? context.requestId,
        releaseId: parsed.event.releaseId,
        smokeUrl: parsed.event.smokeUrl,
      };
  }
}
