// Whether a status check passed, from what the first and the final response said. Pure.

import { checkUrl } from './check-url';
import { cutText } from './cut-text';
import { expectedStatuses, type StatusCheck } from './spec';

export interface StatusObservation {
  /** The status of the first response (before any redirect was followed). */
  readonly firstStatus: number | null;
  /** Its Location header, resolved to an absolute URL, when it was a redirect. */
  readonly firstLocation: string | null;
  /** The status after redirects. */
  readonly finalStatus: number | null;
}

/**
 * Null when the check passed, else its error. Passes when the final status is expected, when a listed
 * 3xx is what the path answered first, or when the first answer redirects to `redirectsTo` on the
 * app's own host (the query string is free: `/login?back_url=…`).
 */
export function judgeStatus(check: StatusCheck, baseUrl: string, seen: StatusObservation): string | null {
  const expected = expectedStatuses(check);
  if (seen.finalStatus !== null && expected.includes(seen.finalStatus)) return null;
  const redirected = seen.firstStatus !== null && seen.firstStatus >= 300 && seen.firstStatus < 400;
  if (redirected && expected.includes(seen.firstStatus!)) return null;
  const from = new URL(checkUrl(baseUrl, check.path));
  const to = redirected && seen.firstLocation ? safeUrl(seen.firstLocation) : null;
  if (
    to &&
    check.redirectsTo &&
    sameRedirectTarget(from, to, new URL(checkUrl(baseUrl, check.redirectsTo)))
  ) {
    return null;
  }
  const want = `${expected.join(' or ')}${check.redirectsTo ? ` or a redirect to ${check.redirectsTo}` : ''}`;
  if (to) return `${check.path} redirected to ${shortLocation(from, to)} (expected ${want})`;
  const exposed =
    seen.firstStatus !== null &&
    seen.firstStatus >= 200 &&
    seen.firstStatus < 300 &&
    expected.every((status) => status >= 400)
      ? ' (admin surface exposed)'
      : '';
  return `${check.path} answered ${seen.finalStatus ?? 'nothing'}, expected ${want}${exposed}`;
}

function sameRedirectTarget(from: URL, to: URL, wanted: URL): boolean {
  const trim = (path: string) => path.replace(/\/+$/, '') || '/';
  return to.host === from.host && trim(to.pathname) === trim(wanted.pathname);
}

/** Where a redirect went, short: the path on the app's host, query values over 12 characters elided. */
export function shortLocation(from: URL, to: URL): string {
  const params = [...to.searchParams].map(([key, value]) =>
    value.length > 12 ? `${key}=…` : `${key}=${value}`,
  );
  const query = params.length > 0 ? `?${params.join('&')}` : '';
  const where = to.host === from.host ? to.pathname : `${to.origin}${to.pathname}`;
  const text = `${where}${query}`;
  return cutText(text, 120);
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
