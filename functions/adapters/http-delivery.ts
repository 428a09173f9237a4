// How an HTTP delivery (Discord, the release API) failed, as a DeliveryError that says whether to retry.
import { errorText } from '../core/error-text';
import { DeliveryError } from '../core/errors';
import { oneLine } from '../core/messages/one-line';

/** Longest piece of a response body quoted in an error. */
const MAX_QUOTED = 200;

/** The body as text, at most 64 KB read: an error page cannot flood a delivery state. */
export async function readBody(response: Response): Promise<string> {
  const text = await response.text();
  return text.slice(0, 65_536);
}

/**
 * 408, 429 and 5xx may pass with time; any other status is the request's fault and will not.
 * `secrets` are removed from anything quoted (a server may echo the URL or the token).
 */
export function httpFailure(
  service: string,
  response: Response,
  body: string,
  retryAfterMs: number | undefined,
  secrets: readonly string[],
): DeliveryError {
  const status = response.status;
  const retryable = status === 408 || status === 429 || status >= 500;
  const said = quoted(body);
  const wait = retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`;
  const message = `${service} answered ${status}${said ? `: ${said}` : ''}${wait}`;
  return new DeliveryError(redact(message, secrets), { retryable, retryAfterMs });
}

/** A request that got no answer (refused, reset, timed out) may pass on another try. */
export function networkFailure(
  service: string,
  error: unknown,
  timeoutMs: number,
  secrets: readonly string[],
): DeliveryError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const reason = timedOut ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
  // The original error is not kept as cause: undici may carry the request URL in it.
  return new DeliveryError(redact(`${service}: ${reason}`, secrets), { retryable: true });
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
    return `request failed (${cause.code})`;
  }
  return `request failed (${errorText(cause ?? error)})`;
}

/** Discord and most APIs answer errors as JSON with a `message`; otherwise the start of the body. */
function quoted(body: string): string {
  if (body.trim() === '') return '';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      const code = 'code' in parsed && typeof parsed.code === 'number' ? ` (code ${parsed.code})` : '';
      return oneLine(`${parsed.message}${code}`, MAX_QUOTED);
    }
  } catch {
    // not JSON
  }
  return oneLine(body, MAX_QUOTED);
}

/** Removes each secret, and the path of each secret URL (a webhook's token lives in its path). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    try {
      const { pathname } = new URL(secret);
      if (pathname.length > 1) out = out.split(pathname).join('[redacted]');
    } catch {
      // not a URL: the plain replacement above is enough
    }
  }
  return out;
}
