// Puts a Release Shipped event on an EventBridge bus: retries throttling, 5xx and dropped connections within a deadline.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { errorText } from '../core/error-text';
import { DeliveryError } from '../core/errors';
import { oneLine } from '../core/messages/one-line';
import type { ReleaseEventMatch } from '../core/seal-event';

export interface EventBridgeAnnouncerOptions {
  /** A client built by the caller; by default one from the usual AWS environment (AWS_ENDPOINT_URL_EVENTBRIDGE too). */
  readonly client?: EventBridgeClient;
  /** `--endpoint`: overrides the SDK's endpoint (a local stand-in, a VPC endpoint). */
  readonly endpoint?: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface AnnounceResult {
  readonly eventId: string;
  readonly attempts: number;
}

/** Entry error codes PutEvents reports per entry that a later try may get past. */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException']);
/** Error names of the SDK (and of Node's sockets) that say "try again". */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'InternalException',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 2_000;

export class EventBridgeAnnouncer {
  private readonly client: EventBridgeClient;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgeAnnouncerOptions = {}) {
    this.client =
      options.client ??
      new EventBridgeClient({
        // Retries are ours, bounded by the caller's deadline.
        maxAttempts: 1,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
      });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One PutEvents entry. Throttling, 5xx, a failed entry with a retryable code and a connection that
   * got no answer are retried with jittered backoff until `timeoutMs` has passed; anything else (no
   * credentials, access denied, a bus that does not exist) fails at once. Throws DeliveryError.
   */
  async announce(
    detail: Record<string, unknown>,
    match: ReleaseEventMatch & { readonly busName: string },
    timeoutMs: number,
  ): Promise<AnnounceResult> {
    const deadline = Date.now() + timeoutMs;
    const entry = {
      EventBusName: match.busName,
      Source: match.source,
      DetailType: match.detailType,
      Detail: JSON.stringify(detail),
    };
    let last = '';
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new DeliveryError(
          `EventBridge PutEvents on bus "${match.busName}": gave up after ${attempt - 1} attempts within ${timeoutMs} ms (last: ${last})`,
          { retryable: true },
        );
      }
      let retryable: boolean;
      try {
        const output = await this.client.send(new PutEventsCommand({ Entries: [entry] }), {
          abortSignal: AbortSignal.timeout(remaining),
        });
        const result = output.Entries?.[0];
        if ((output.FailedEntryCount ?? 0) === 0 && result?.EventId) {
          return { eventId: result.EventId, attempts: attempt };
        }
        const code = result?.ErrorCode ?? 'no event id';
        last = `entry failed: ${oneLine(code, 100)}${result?.ErrorMessage ? ` (${oneLine(result.ErrorMessage, 200)})` : ''}`;
        retryable = RETRYABLE_ENTRY_CODES.has(code);
      } catch (error) {
        if (Date.now() >= deadline) {
          // Cut off by our own deadline: the reason worth telling is the one before it.
          throw new DeliveryError(
            `EventBridge PutEvents on bus "${match.busName}": gave up after ${attempt} attempts within ${timeoutMs} ms (last: ${last || `no answer within ${timeoutMs} ms`})`,
            { retryable: true },
          );
        }
        last = describe(error);
        retryable = isRetryable(error);
      }
      if (!retryable) {
        throw new DeliveryError(`EventBridge PutEvents on bus "${match.busName}": ${last}`, {
          retryable: false,
        });
      }
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      const wait = Math.min(Math.random() * backoff + BASE_DELAY_MS / 2, Math.max(0, deadline - Date.now()));
      await this.sleep(wait);
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $fault?: string }).$metadata;
  const status = meta?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if ((error as { $fault?: string }).$fault === 'server') return true;
  if ((error as { $retryable?: unknown }).$retryable) return true;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  // No answer at all: refused, reset, DNS, a timeout of the socket. The bus may come back.
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code) && status === undefined;
}

function describe(error: unknown): string {
  // What the endpoint answered is not trusted: one line, bounded, before it reaches a terminal.
  if (!(error instanceof Error)) return oneLine(String(error), 300);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: unknown }).code;
  const where = status ? ` (HTTP ${status})` : typeof code === 'string' ? ` (${code})` : '';
  return oneLine(`${error.name}: ${errorText(error)}`, 300) + oneLine(where, 60);
}
