import { describe, expect, it } from 'vitest';
import { startEventSourceMapping } from './event-source-mapping';
import type { InvokeResult, LambdaLikeFunction } from './lambda-like-function';
import { localStandInValues } from './resolve-intrinsics';
import { StandInQueue } from './sqs-queue-stand-in';
import type { CfnTemplate } from './synth-assets';

/** A template with the seal function's shape: a queue with a redrive, and a mapping with a cap. */
function template(options: {
  maxConcurrency: number;
  batchSize: number;
  reportFailures: boolean;
}): CfnTemplate {
  return {
    Resources: {
      Queue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          VisibilityTimeout: 60,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          FunctionName: { Ref: 'Fn' },
          BatchSize: options.batchSize,
          ScalingConfig: { MaximumConcurrency: options.maxConcurrency },
          ...(options.reportFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
        },
      },
    },
  };
}

/** A clock the test moves: visibility timeouts pass without waiting. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A container that answers with `answer` per event, after `ms`. */
function fakeContainer(
  answer: (event: { Records: { messageId: string; body: string }[] }) => InvokeResult,
  ms = 20,
): LambdaLikeFunction {
  return {
    name: 'Fn',
    timeoutSeconds: 30,
    memoryMb: 128,
    env: {},
    codeDir: '',
    tmpDir: '',
    logs: [],
    invoke: async (event) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return answer(event as { Records: { messageId: string; body: string }[] });
    },
    close: async () => undefined,
  };
}

function setUp(
  options: { maxConcurrency: number; batchSize: number; reportFailures: boolean },
  answer: Parameters<typeof fakeContainer>[0],
  ms?: number,
) {
  const clock = manualClock();
  const queue = new StandInQueue('Queue', clock.now);
  const dlq = new StandInQueue('Dlq', clock.now);
  let started = 0;
  const mapping = startEventSourceMapping({
    template: template(options),
    functionLogicalId: 'Fn',
    queues: new Map([
      ['Queue', queue],
      ['Dlq', dlq],
    ]),
    standIns: localStandInValues('http://127.0.0.1:1'),
    startContainer: async () => {
      started += 1;
      return fakeContainer(answer, ms);
    },
    pollIntervalMs: 5,
  });
  return { clock, queue, dlq, mapping, started: () => started };
}

/** Waits for `condition`, with room for a busy machine. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets the pollers look a few times (a check that something did NOT happen). */
const idle = () => new Promise((resolve) => setTimeout(resolve, 100));

const ok = (payload: unknown): InvokeResult => ({ ok: true, payload, durationMs: 1 });

describe('the event source mapping stand-in', () => {
  it('never runs more invocations at once than MaximumConcurrency, and reaches it when the queue is full', async () => {
    const { queue, mapping, started } = setUp({ maxConcurrency: 3, batchSize: 1, reportFailures: true }, () =>
      ok({ batchItemFailures: [] }),
    );
    for (let index = 0; index < 20; index++)
      queue.send({ body: `{"n":${index}}`, attributes: {}, delaySeconds: 0 });
    mapping.start();
    await mapping.drained(10_000);
    await mapping.stop();
    expect(mapping.invocations).toHaveLength(20);
    expect(mapping.peakConcurrency).toBe(3);
    expect(started()).toBe(3);
    expect(queue.size).toBe(0);
  });

  it('hands out batches of the batch size, with the record fields Lambda sends', async () => {
    const seen: unknown[] = [];
    const { queue, mapping } = setUp({ maxConcurrency: 2, batchSize: 2, reportFailures: false }, (event) => {
      seen.push(event);
      return ok(null);
    });
    queue.send({
      body: 'a',
      attributes: { notBefore: { DataType: 'String', StringValue: 'x' } },
      delaySeconds: 0,
    });
    queue.send({ body: 'b', attributes: {}, delaySeconds: 0 });
    mapping.start();
    await mapping.drained(10_000);
    await mapping.stop();
    expect(seen).toHaveLength(1);
    expect((seen[0] as { Records: unknown[] }).Records).toEqual([
      expect.objectContaining({
        body: 'a',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:Queue',
        attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
        messageAttributes: { notBefore: expect.objectContaining({ stringValue: 'x', dataType: 'String' }) },
      }),
      expect.objectContaining({ body: 'b' }),
    ]);
  });

  it('does not deliver a message before its DelaySeconds', async () => {
    const { clock, queue, mapping } = setUp({ maxConcurrency: 2, batchSize: 1, reportFailures: true }, () =>
      ok({}),
    );
    queue.send({ body: 'later', attributes: {}, delaySeconds: 30 });
    mapping.start();
    await idle();
    expect(mapping.invocations).toHaveLength(0);
    clock.advance(30_000);
    await mapping.drained(10_000);
    await mapping.stop();
    expect(mapping.invocations).toHaveLength(1);
  });

  it('deletes what succeeded and keeps the items a batch response names, until their visibility timeout ends', async () => {
    const { clock, queue, mapping } = setUp(
      { maxConcurrency: 2, batchSize: 2, reportFailures: true },
      (event) =>
        ok({
          batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({
            itemIdentifier: record.messageId,
          })),
        }),
    );
    queue.send({ body: 'good', attributes: {}, delaySeconds: 0 });
    queue.send({ body: 'bad', attributes: {}, delaySeconds: 0 });
    mapping.start();
    await until(() => mapping.invocations.length === 1, 'the first invocation');
    expect(queue.list().map((message) => message.body)).toEqual(['bad']);
    // Still invisible: nothing more is delivered until the 60 s visibility timeout passes.
    await idle();
    expect(mapping.invocations).toHaveLength(1);
    clock.advance(60_000);
    await until(() => mapping.invocations.length === 2, 'the redelivery');
    await mapping.stop();
    expect(mapping.invocations).toHaveLength(2);
    expect(queue.list()[0]!.receiveCount).toBe(2);
  });

  it('fails the whole batch on a function error or a response naming an unknown item', async () => {
    let calls = 0;
    const { clock, queue, mapping } = setUp({ maxConcurrency: 2, batchSize: 2, reportFailures: true }, () => {
      calls += 1;
      return calls === 1
        ? { ok: false, errorType: 'Sandbox.Timedout', errorMessage: 'timed out', phase: 'invoke' }
        : ok({ batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] });
    });
    queue.send({ body: 'a', attributes: {}, delaySeconds: 0 });
    queue.send({ body: 'b', attributes: {}, delaySeconds: 0 });
    mapping.start();
    await until(() => mapping.invocations.length === 1, 'the first invocation');
    clock.advance(60_000);
    await until(() => mapping.invocations.length === 2, 'the redelivery');
    await mapping.stop();
    expect(mapping.invocations[0]).toMatchObject({ ok: false, deleted: [] });
    expect(mapping.invocations[1]).toMatchObject({ ok: true, deleted: [] });
    expect(queue.size).toBe(2);
  });

  it('moves a message that failed maxReceiveCount times to the dead-letter queue, and delivers it no more', async () => {
    const { clock, queue, dlq, mapping } = setUp(
      { maxConcurrency: 2, batchSize: 1, reportFailures: true },
      () => ({
        ok: false,
        errorType: 'Error',
        errorMessage: 'seal store down',
        phase: 'invoke',
      }),
    );
    queue.send({ body: 'doomed', attributes: {}, delaySeconds: 0 });
    mapping.start();
    for (let receive = 1; receive <= 3; receive++) {
      await until(() => mapping.invocations.length === receive, `receive ${receive}`);
      clock.advance(60_000);
    }
    await mapping.drained(10_000);
    await mapping.stop();
    expect(mapping.invocations).toHaveLength(3);
    expect(queue.size).toBe(0);
    expect(dlq.list().map((message) => [message.body, message.receiveCount])).toEqual([['doomed', 3]]);
  });
});
