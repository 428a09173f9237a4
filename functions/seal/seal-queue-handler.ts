// The seal function's outer edge: a batch from the seal queue (release and nightly requests), or a direct invoke.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SealRequestQueue } from '../adapters/sqs-seal-requests';
import { MAX_QUEUE_DELAY_SECONDS } from '../core/plan-night';
import type { Clock } from '../core/ports';
import type { SealHandlerResult } from './seal-handler';

type SealContext = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

export interface SealQueueHandlerDeps {
  /** createSealHandler's handler: one event, one seal (duplicates make none). */
  readonly seal: (event: unknown, context: SealContext) => Promise<SealHandlerResult>;
  /** The seal queue itself: a request that arrives before its start goes back to wait. */
  readonly requests: SealRequestQueue;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/** A request due within this long runs now rather than waiting another hop. */
const EARLY_TOLERANCE_MS = 1_000;

/**
 * SQS batches (the seal queue's event source mapping, batch size 1): each record's body is the seal
 * event, as EventBridge (release) or the fan-out (nightly) put it. A record that throws is reported
 * as a batch item failure, comes back after the visibility timeout, and after maxReceiveCount lands
 * in the dead-letter queue; a redelivered request makes one seal (the seal id). A nightly request
 * whose start (`notBefore`, past SQS's 900 s delay) is still ahead is sent back to wait, and deleted.
 * Anything else (a manual `{"trigger":"manual","app":…}` invoke) is one seal event, as before.
 */
export function createSealQueueHandler(deps: SealQueueHandlerDeps) {
  const processor = new BatchProcessor(EventType.SQS);

  const sealRecord = async (record: SQSRecord, context: SealContext): Promise<void> => {
    const notBefore = record.messageAttributes?.notBefore?.stringValue;
    const waitMs = notBefore ? Date.parse(notBefore) - deps.clock.now().getTime() : 0;
    if (notBefore && waitMs > EARLY_TOLERANCE_MS) {
      const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(waitMs / 1000));
      await deps.requests.send([{ body: record.body, notBefore, delaySeconds }]);
      deps.logger.info('seal request sent back to wait for its start', { notBefore, delaySeconds });
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(record.body);
    } catch {
      // Not JSON: the seal handler refuses it as an event and parks it where an operator sees it.
      event = record.body;
    }
    await deps.seal(event, context);
  };

  return async (event: unknown, context: SealContext): Promise<SQSBatchResponse | SealHandlerResult> => {
    if (!isSqsEvent(event)) return deps.seal(event, context);
    return processPartialResponse(event, (record: SQSRecord) => sealRecord(record, context), processor, {
      context: context as Context,
      // One seal at a time in a container: Chromium takes the function's memory.
      processInParallel: false,
      // A failed seal is reported like any failed item (batch size 1 makes every failure a full batch).
      throwOnFullBatchFailure: false,
    });
  };
}

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((record) => (record as { eventSource?: unknown })?.eventSource === 'aws:sqs')
  );
}
