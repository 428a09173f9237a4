// Parks an event the seal function refused (malformed, unknown app) where an operator sees it, without retries.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface DeadLetter {
  park(event: unknown, reason: string): Promise<void>;
}

/** SQS caps a message at 256 KB; an event larger than this is parked truncated, with a marker. */
const MAX_EVENT_CHARS = 200_000;

export class SqsDeadLetter implements DeadLetter {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async park(event: unknown, reason: string): Promise<void> {
    let body = JSON.stringify({ reason, event });
    if (body.length > MAX_EVENT_CHARS) {
      body = JSON.stringify({
        reason,
        eventTruncated: `${JSON.stringify(event).slice(0, MAX_EVENT_CHARS)}… [truncated]`,
      });
    }
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      }),
    );
  }
}
