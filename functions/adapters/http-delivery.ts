// How an HTTP delivery (Discord, the release API) failed, as a DeliveryError that says whether to retry.
import { errorText } from '../core/error-text';
import { DeliveryError } from '../core/errors';
import { oneLine } from '../core/messages/one-line';

/** Longest piece of a response body quoted in an error. */
const MAX_QUOTED = 200;

/** The body as text, at most 64 KB read (the rest is never downloaded): an error page cannot flood a delivery state. */
export async function readBody(response: Response, maxBytes = 65_536): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= maxBytes) await reader.cancel().catch(() => undefined);
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
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
  // Redacted before it is cut: a cut through a token would leave its head unrecognised.
  const said = quoted(redact(body, secrets));
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

/**
 * Removes each secret in every form a server may echo it: as is, URL-encoded, base64 (standard and
 * URL-safe, padded or not); for a secret URL also its path and each long path segment (a webhook's
 * token lives in its path), in the same forms.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    for (const part of secretParts(secret)) for (const form of encodings(part)) forms.add(form);
  }
  let out = text;
  // Longest first, so a secret's form is not half-replaced by a shorter one inside it.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length < 4) continue;
    out = out.split(form).join('[redacted]');
    if (/%[0-9A-F]{2}/.test(form)) out = out.split(form.toLowerCase()).join('[redacted]');
  }
  return out;
}

function secretParts(secret: string): string[] {
  const parts = [secret];
  try {
    const { pathname } = new URL(secret);
    if (pathname.length > 1) parts.push(pathname);
    for (const segment of pathname.split('/')) if (segment.length >= 16) parts.push(segment);
  } catch {
    // not a URL: the secret itself is all there is
  }
  return parts;
}

function encodings(part: string): string[] {
  const base64 = Buffer.from(part, 'utf8').toString('base64');
  const base64url = Buffer.from(part, 'utf8').toString('base64url');
  return [part, encodeURIComponent(part), encodeURI(part), base64, base64.replace(/=+$/, ''), base64url];
}
