// Puts seal requests on the seal queue: the night's fan-out, and a request sent back to wait for its start.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One seal request: the event the seal function takes, when it may start, and the queue delay before. */
export interface SealRequest {
  readonly body: string;
  /** ISO time the seal may start; the seal queue's edge sends an early request back to wait. */
  readonly notBefore?: string;
  /** 0-900 (SQS's range). */
  readonly delaySeconds: number;
}

export interface SealRequestQueue {
  send(requests: readonly SealRequest[]): Promise<void>;
}

/** SQS takes at most 10 messages per SendMessageBatch. */
const BATCH_ENTRIES = 10;
/** A batch's entries that failed are sent again this often before the call fails. */
const RETRIES = 2;

export class SqsSealRequests implements SealRequestQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Sends in batches of 10; entries SQS reports failed are retried, then the call throws naming them. */
  async send(requests: readonly SealRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_ENTRIES) {
      let pending = requests.slice(start, start + BATCH_ENTRIES).map((request, index) => ({
        Id: String(start + index),
        MessageBody: request.body,
        DelaySeconds: request.delaySeconds,
        ...(request.notBefore
          ? { MessageAttributes: { notBefore: { DataType: 'String', StringValue: request.notBefore } } }
          : {}),
      }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const output = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        const failed = new Set((output.Failed ?? []).map((entry) => entry.Id));
        const failures = (output.Failed ?? []).map(
          (entry) => `${entry.Id}: ${entry.Code} ${entry.Message ?? ''}`,
        );
        pending = pending.filter((entry) => failed.has(entry.Id));
        if (pending.length > 0 && attempt >= RETRIES) {
          throw new Error(
            `seal queue refused ${pending.length} request(s): ${failures.join('; ').slice(0, 1000)}`,
          );
        }
      }
    }
  }
}
