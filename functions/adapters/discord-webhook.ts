// DiscordPoster over a Discord webhook. The webhook URL is a credential: it never appears in an error or a log.
import { ConfigError, DeliveryError } from '../core/errors';
import type { DiscordPayload, DiscordPoster } from '../core/relay-seal';
import { httpFailure, networkFailure, readBody } from './http-delivery';

export interface DiscordWebhookOptions {
  /** The webhook URL, or a function that loads it (from Secrets Manager, cached by the caller). */
  readonly webhookUrl: string | (() => Promise<string>);
  /** Per request, body included. */
  readonly timeoutMs?: number;
}

const SNOWFLAKE = /^\d{17,20}$/;

export class DiscordWebhook implements DiscordPoster {
  private readonly timeoutMs: number;

  constructor(private readonly options: DiscordWebhookOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (typeof options.webhookUrl === 'string') webhookEndpoint(options.webhookUrl);
  }

  async post(
    message: DiscordPayload,
    threadId: string | null,
  ): Promise<{ readonly messageId: string | null }> {
    if (threadId !== null && !SNOWFLAKE.test(threadId)) {
      throw new DeliveryError(
        `Discord thread id ${JSON.stringify(threadId.slice(0, 40))} is not a snowflake`,
        {
          retryable: false,
        },
      );
    }
    const raw =
      typeof this.options.webhookUrl === 'string' ? this.options.webhookUrl : await this.options.webhookUrl();
    const url = webhookEndpoint(raw);
    // wait=true: Discord answers with the saved message, so a message it did not keep is an error, not a 204.
    url.searchParams.set('wait', 'true');
    if (threadId !== null) url.searchParams.set('thread_id', threadId);

    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await readBody(response);
    } catch (error) {
      throw networkFailure('Discord webhook', error, this.timeoutMs, [raw]);
    }
    if (response.ok) return { messageId: messageIdOf(body) };
    throw httpFailure('Discord webhook', response, body, retryAfterMs(response, body), [raw]);
  }
}

/** Checks a webhook URL without ever echoing it: https, or http on a loopback address for tests. */
function webhookEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('Discord webhook URL: not a URL (value not shown: it is a credential)');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(
      'Discord webhook URL: expected https://discord.com/api/webhooks/<id>/<token> (value not shown)',
    );
  }
  return url;
}

function messageIdOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'id' in parsed && typeof parsed.id === 'string')
      return parsed.id;
  } catch {
    // A 204 (a proxy that dropped wait=true) has no body: delivered, id unknown.
  }
  return null;
}

/** Discord puts seconds (fractional) in the JSON `retry_after`, and whole seconds in Retry-After. */
function retryAfterMs(response: Response, body: string): number | undefined {
  if (response.status !== 429) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      parsed &&
      typeof parsed === 'object' &&
      'retry_after' in parsed &&
      typeof parsed.retry_after === 'number'
    ) {
      if (Number.isFinite(parsed.retry_after) && parsed.retry_after > 0)
        return Math.ceil(parsed.retry_after * 1000);
    }
  } catch {
    // Fall back to the header.
  }
  // No usable advice (absent, zero, negative, garbage): undefined, so the relay's own backoff applies.
  const raw = response.headers.get('retry-after');
  const header = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(header) && header > 0 ? Math.ceil(header * 1000) : undefined;
}
