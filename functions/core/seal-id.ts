import { PRODUCTION } from './environment-of';
import type { Trigger } from './seal';

/**
 * A seal's id comes from what triggered it and the environment it checked, so a redelivered event (or
 * a second event for the same release and environment) maps to the same seal, while a staging seal
 * never stands in for production: release -> app + release id; nightly -> app + night; manual ->
 * request id; then `@<environment>` outside production. Production ids keep the form they always had
 * (`app:release:id`), so seals already in the table are still found.
 */
export function sealId(app: string, trigger: Trigger, key: string, environment: string = PRODUCTION): string {
  const base = `${app}:${trigger}:${key}`;
  return environment === PRODUCTION ? base : `${base}@${environment}`;
}

/**
 * Ids a seal of `id` for `environment` may already be stored under. Before environments were part of
 * the id, a staging seal was stored under the bare id: it is that seal's own id still (a redelivery
 * finds it), and production, finding the bare id taken by another environment, uses `@production`.
 */
export function sealIdCandidates(
  id: string,
  environment: string,
): { readonly legacy: string; readonly own: string } {
  const suffix = `@${environment}`;
  if (environment === PRODUCTION) return { legacy: id, own: `${id}${suffix}` };
  return { legacy: id.endsWith(suffix) ? id.slice(0, -suffix.length) : id, own: id };
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
