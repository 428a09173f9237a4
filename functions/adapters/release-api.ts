// ReleaseRecordWriter over the release API: PATCH {template with releaseId} with a bearer token.
import { ConfigError, DeliveryError } from '../core/errors';
import type { ReleaseRecord } from '../core/messages/render-release-record';
import type { ReleaseRecordWriter } from '../core/relay-seal';
import { ROLLBACK_PLACEHOLDERS } from '../core/rollback-command';
import { httpFailure, networkFailure, readBody } from './http-delivery';

export interface ReleaseApiOptions {
  /** The bearer token, or a function that loads it (from Secrets Manager, cached by the caller). */
  readonly token: string | (() => Promise<string>);
  /** Per request, body included. */
  readonly timeoutMs?: number;
}

export class ReleaseApi implements ReleaseRecordWriter {
  private readonly timeoutMs: number;

  constructor(private readonly options: ReleaseApiOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async write(urlTemplate: string, releaseId: string, record: ReleaseRecord): Promise<void> {
    const url = releaseUrl(urlTemplate, releaseId);
    const token = typeof this.options.token === 'string' ? this.options.token : await this.options.token();
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await readBody(response);
    } catch (error) {
      throw networkFailure(`release API PATCH ${url}`, error, this.timeoutMs, [token]);
    }
    if (response.ok) return;
    throw httpFailure(`release API PATCH ${url}`, response, body, retryAfterMs(response), [token]);
  }
}

/**
 * The template with {releaseId} filled in: the id must match the release id pattern, and is
 * URL-encoded all the same. The template itself must be https (http only on a loopback host).
 */
export function releaseUrl(template: string, releaseId: string): string {
  if (!ROLLBACK_PLACEHOLDERS.releaseId.test(releaseId)) {
    throw new DeliveryError(
      `release id ${JSON.stringify(releaseId.slice(0, 64))} does not match ${ROLLBACK_PLACEHOLDERS.releaseId}`,
      { retryable: false },
    );
  }
  if (!template.includes('{releaseId}')) {
    throw new ConfigError(`release API URL template ${JSON.stringify(template)}: must contain {releaseId}`);
  }
  const filled = template.split('{releaseId}').join(encodeURIComponent(releaseId));
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new ConfigError(`release API URL template ${JSON.stringify(template)}: not a URL once filled`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`release API URL template ${JSON.stringify(template)}: expected https`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      'release API URL template: credentials do not belong in the URL; the token is sent as a bearer',
    );
  }
  return url.href;
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(response: Response): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
