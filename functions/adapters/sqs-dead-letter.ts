// Parks an event the seal function refused (malformed, unknown app) where an operator sees it, without retries.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cutUtf8 } from '../core/cut-utf8';

export interface DeadLetter {
  park(event: unknown, reason: string): Promise<void>;
}

/** SQS caps a message at 256 KiB of UTF-8, body and attributes together. */
export const MAX_SQS_MESSAGE_BYTES = 256 * 1024;
/** Room kept back under the cap (the attribute's name and type, rounding). */
const HEADROOM_BYTES = 4 * 1024;
/** The reason, in the body and as an attribute. */
const MAX_REASON_BYTES = 1_000;

export class SqsDeadLetter implements DeadLetter {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** One message, whatever the event's size: a large event is parked cut (in bytes), with its full size. */
  async park(event: unknown, reason: string): Promise<void> {
    const why = cutUtf8(reason, MAX_REASON_BYTES);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: parkedBody(event, why, MAX_SQS_MESSAGE_BYTES - HEADROOM_BYTES - Buffer.byteLength(why)),
        MessageAttributes: { reason: { DataType: 'String', StringValue: why } },
      }),
    );
  }
}

/** The body: `{ reason, event }`, or `{ reason, eventBytes, eventTruncated }` cut to fit `maxBytes`. */
export function parkedBody(event: unknown, reason: string, maxBytes: number): string {
  const whole = JSON.stringify({ reason, event });
  if (Buffer.byteLength(whole) <= maxBytes) return whole;
  const json = JSON.stringify(event) ?? 'undefined';
  const eventBytes = Buffer.byteLength(json);
  // JSON-escaping the cut text can grow it (quotes, backslashes, control characters): shrink until it fits.
  let budget = maxBytes - 200 - Buffer.byteLength(reason);
  for (;;) {
    const body = JSON.stringify({
      reason,
      eventBytes,
      eventTruncated: `${cutUtf8(json, budget)}… [truncated]`,
    });
    if (Buffer.byteLength(body) <= maxBytes || budget <= 0) return body;
    budget -= Buffer.byteLength(body) - maxBytes + 64;
  }
}
