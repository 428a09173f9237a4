import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { SealRequest } from '../../functions/adapters/sqs-seal-requests';
import type { SealHandlerResult } from '../../functions/seal/seal-handler';
import { createSealQueueHandler } from '../../functions/seal/seal-queue-handler';

const NOW = new Date('2026-12-04T03:10:00.000Z');
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 100_000 };

function record(messageId: string, body: string, notBefore?: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'fan-out',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: notBefore ? { notBefore: { dataType: 'String', stringValue: notBefore } } : {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:seals',
    awsRegion: 'eu-central-1',
  };
}

function harness(seal: (event: unknown) => Promise<SealHandlerResult> = async () => sealed) {
  const seen: unknown[] = [];
  const sent: SealRequest[] = [];
  const handler = createSealQueueHandler({
    seal: async (event) => {
      seen.push(event);
      return seal(event);
    },
    requests: { send: async (requests) => void sent.push(...requests) },
    clock: { now: () => NOW },
    logger: { info: () => undefined, warn: () => undefined },
  });
  return { handler, seen, sent };
}

const sealed: SealHandlerResult = {
  outcome: 'sealed',
  sealId: 'seal-1',
  status: 'green',
  summary: 'all passed',
  published: true,
};
const nightly = { trigger: 'nightly', app: 'shop', scheduledAt: '2026-12-04T03:00:00.000Z' };

describe('the seal queue edge', () => {
  it('seals the event a record carries, as EventBridge or the fan-out put it', async () => {
    const { handler, seen, sent } = harness();
    const result = await handler({ Records: [record('m1', JSON.stringify(nightly))] }, context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([nightly]);
    expect(sent).toEqual([]);
  });

  it('reports a record whose seal threw as a batch item failure, so SQS redelivers it alone', async () => {
    const { handler } = harness(async () => {
      throw new Error('store down');
    });
    const result = await handler({ Records: [record('m1', JSON.stringify(nightly))] }, context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('sends a request due later back to the queue, delayed to its start (900 s at most), without sealing', async () => {
    const { handler, seen, sent } = harness();
    const body = JSON.stringify(nightly);
    const result = await handler(
      {
        Records: [
          record('m1', body, '2026-12-04T03:15:00.000Z'),
          record('m2', body, '2026-12-04T05:00:00.000Z'),
        ],
      },
      context,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([]);
    expect(sent).toEqual([
      { body, notBefore: '2026-12-04T03:15:00.000Z', delaySeconds: 300 },
      { body, notBefore: '2026-12-04T05:00:00.000Z', delaySeconds: 900 },
    ]);
  });

  it('seals a request whose start has come', async () => {
    const { handler, seen } = harness();
    await handler({ Records: [record('m1', JSON.stringify(nightly), '2026-12-04T03:09:59.000Z')] }, context);
    expect(seen).toEqual([nightly]);
  });

  it('hands a body that is not JSON to the seal handler as it is, which refuses and parks it', async () => {
    const { handler, seen } = harness();
    await handler({ Records: [record('m1', 'not json')] }, context);
    expect(seen).toEqual(['not json']);
  });

  it('takes a direct invocation (a manual seal) as one event, as before', async () => {
    const { handler, seen } = harness();
    const manual = { trigger: 'manual', app: 'shop' };
    expect(await handler(manual, context)).toEqual(sealed);
    expect(seen).toEqual([manual]);
  });
});
