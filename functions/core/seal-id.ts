import type { Trigger } from './seal';

/**
 * A seal's id comes from what triggered it, so a redelivered event (or a second event for the same
 * release) maps to the same seal: release -> app + release id; nightly -> app + night; manual -> request id.
 */
export function sealId(app: string, trigger: Trigger, key: string): string {
  return `${app}:${trigger}:${key}`;
}

/** The night a nightly seal belongs to, as YYYY-MM-DD in the schedule's time zone. */
export function nightOf(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return parts.format(at);
}
