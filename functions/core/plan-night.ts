// The night's seal requests: one per nightly app, each at its own fixed offset inside the window.
import type { DeployConfig } from './deploy-config';

/** SQS's longest DelaySeconds: a request due later waits in hops of at most this (see the seal queue's edge). */
export const MAX_QUEUE_DELAY_SECONDS = 900;

export interface NightlyRequest {
  /** The nightly event the seal function takes (functions/core/seal-event.ts). */
  readonly event: { readonly trigger: 'nightly'; readonly app: string; readonly scheduledAt: string };
  /** When the seal may start: the night's start plus the app's offset. */
  readonly notBefore: string;
  /** The first hop's delay: the offset, capped at SQS's 900 s. */
  readonly delaySeconds: number;
}

/**
 * Every nightly app's request for the night that started at `scheduledAt`. The offset is a hash of
 * the app's name (FNV-1a) modulo the window: the same app starts at the same minute every night, and
 * apps spread evenly over the window, whatever their number. The concurrency cap (the queue's event
 * source mapping) does the rest: a window too short for the fleet only means a longer queue.
 */
export function planNight(
  apps: DeployConfig['apps'],
  nightly: Pick<DeployConfig['nightly'], 'windowMinutes'>,
  scheduledAt: Date,
): NightlyRequest[] {
  const windowSeconds = nightly.windowMinutes * 60;
  return apps
    .filter((app) => app.nightly)
    .map((app) => {
      const offsetSeconds = windowSeconds === 0 ? 0 : fnv1a(app.name) % windowSeconds;
      return {
        event: { trigger: 'nightly', app: app.name, scheduledAt: scheduledAt.toISOString() },
        notBefore: new Date(scheduledAt.getTime() + offsetSeconds * 1000).toISOString(),
        delaySeconds: Math.min(offsetSeconds, MAX_QUEUE_DELAY_SECONDS),
      };
    });
}

/** 32-bit FNV-1a of the UTF-16 code units: small, stable, well spread over short names. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
