// Lambda's SQS poller for one AWS::Lambda::EventSourceMapping of the template: batches from the queue
// stand-in, at most MaximumConcurrency invocations at once, deletes on success, partial batch failures,
// and the queue's redrive to its dead-letter queue.
import type { LambdaLikeFunction } from './lambda-like-function';
import { LOCAL_REGION, type StandInValues } from './resolve-intrinsics';
import type { StandInQueue } from './sqs-queue-stand-in';
import type { CfnTemplate } from './synth-assets';

/** Lambda's SQS default when the template sets no batch size. */
const DEFAULT_BATCH_SIZE = 10;
/** SQS's default visibility timeout. */
const DEFAULT_VISIBILITY_SECONDS = 30;

export interface EventSourceMappingOptions {
  readonly template: CfnTemplate;
  /** The logical id of the function the mapping invokes. */
  readonly functionLogicalId: string;
  /** The queue stand-ins by name (the logical id: see resolve-intrinsics.ts). */
  readonly queues: ReadonlyMap<string, StandInQueue>;
  readonly standIns: StandInValues;
  /** Starts one execution environment of the function; called lazily, at most MaximumConcurrency times. */
  readonly startContainer: () => Promise<LambdaLikeFunction>;
  /** How often an idle poller looks again. @default 100 */
  readonly pollIntervalMs?: number;
}

/** One invocation the poller made. */
export interface MappingInvocation {
  readonly container: number;
  readonly messageIds: readonly string[];
  readonly bodies: readonly string[];
  readonly startedAt: number;
  readonly endedAt: number;
  /** The messages deleted after it (all of them on success, those not reported failed with ReportBatchItemFailures). */
  readonly deleted: readonly string[];
  readonly ok: boolean;
  readonly error?: string;
}

export interface EventSourceMapping {
  readonly logicalId: string;
  readonly batchSize: number;
  /** ScalingConfig.MaximumConcurrency of the template. */
  readonly maxConcurrency: number;
  readonly reportBatchItemFailures: boolean;
  readonly queue: StandInQueue;
  readonly visibilityTimeoutSeconds: number;
  readonly invocations: readonly MappingInvocation[];
  /** The most invocations under way at one moment since the mapping was made. */
  readonly peakConcurrency: number;
  /** The execution environments started so far (warm ones are reused). */
  readonly containers: readonly LambdaLikeFunction[];
  /** Starts polling (again). */
  start(): void;
  /** Resolves once the queue holds nothing and no invocation is under way; rejects after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
  /** Stops polling and waits for the invocations under way. The containers stay warm. */
  stop(): Promise<void>;
  /** Stops and closes every container. */
  close(): Promise<void>;
}

interface MappingProperties {
  EventSourceArn?: unknown;
  FunctionName?: unknown;
  BatchSize?: number;
  ScalingConfig?: { MaximumConcurrency?: number };
  FunctionResponseTypes?: string[];
  Enabled?: boolean;
}

/** The template's one mapping for `functionLogicalId` from an SQS queue, and that queue's logical id and properties. */
function mappingOf(
  template: CfnTemplate,
  functionLogicalId: string,
): { logicalId: string; mapping: MappingProperties; queueId: string; queue: Record<string, unknown> } {
  const found = Object.entries(template.Resources).filter(
    ([, resource]) =>
      resource.Type === 'AWS::Lambda::EventSourceMapping' &&
      (resource.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref === functionLogicalId,
  );
  if (found.length !== 1)
    throw new Error(`expected one event source mapping of ${functionLogicalId}, found ${found.length}`);
  const [logicalId, resource] = found[0]!;
  const mapping = resource.Properties as MappingProperties;
  const arn = mapping.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const queueId = arn?.['Fn::GetAtt']?.[0];
  const queue = queueId ? template.Resources[queueId] : undefined;
  if (!queueId || queue?.Type !== 'AWS::SQS::Queue')
    throw new Error(`${logicalId}: the event source is not a queue of the template`);
  return { logicalId, mapping, queueId, queue: queue.Properties ?? {} };
}

export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const { template, queues, standIns } = options;
  const { logicalId, mapping, queueId, queue: queueProps } = mappingOf(template, options.functionLogicalId);
  if (mapping.Enabled === false) throw new Error(`${logicalId} is disabled in the template`);
  const batchSize = mapping.BatchSize ?? DEFAULT_BATCH_SIZE;
  const maxConcurrency = mapping.ScalingConfig?.MaximumConcurrency;
  // Without a cap Lambda scales to the account's concurrency: nothing to stand in for with a fixed pool.
  if (!maxConcurrency) throw new Error(`${logicalId}: no ScalingConfig.MaximumConcurrency in the template`);
  const reportBatchItemFailures = (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
  const visibilityTimeoutSeconds = Number(queueProps.VisibilityTimeout ?? DEFAULT_VISIBILITY_SECONDS);
  const queue = queues.get(queueId);
  if (!queue) throw new Error(`the AWS stand-in has no queue ${queueId}`);

  // The queue's RedrivePolicy, as SQS applies it on receive.
  const redrive = queueProps.RedrivePolicy as
    | { deadLetterTargetArn?: { 'Fn::GetAtt'?: [string, string] }; maxReceiveCount?: number }
    | undefined;
  if (redrive) {
    const targetId = redrive.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
    const target = targetId ? queues.get(targetId) : undefined;
    if (!target || !redrive.maxReceiveCount)
      throw new Error(`${queueId}: its dead-letter queue ${targetId} is not stood in for`);
    queue.redrive = { target, maxReceiveCount: redrive.maxReceiveCount };
  }
  const eventSourceArn = standIns.getAtt(queueId, 'AWS::SQS::Queue', 'Arn');
  const pollIntervalMs = options.pollIntervalMs ?? 100;

  const invocations: MappingInvocation[] = [];
  const containers: LambdaLikeFunction[] = [];
  const starting: Promise<LambdaLikeFunction>[] = [];
  let active = 0;
  let peakConcurrency = 0;
  let running = false;
  let pollers: Promise<void>[] = [];

  function container(index: number): Promise<LambdaLikeFunction> {
    starting[index] ??= options.startContainer().then((started) => {
      containers.push(started);
      return started;
    });
    return starting[index]!;
  }

  async function poller(index: number): Promise<void> {
    while (running) {
      const batch = queue!.receive(batchSize, visibilityTimeoutSeconds);
      if (batch.length === 0) {
        await sleep(pollIntervalMs);
        continue;
      }
      const fn = await container(index);
      const event = {
        Records: batch.map(({ message, receiptHandle }) => ({
          messageId: message.messageId,
          receiptHandle,
          body: message.body,
          attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
            SenderId: 'AIDAIT2UOQQY3AUEKVGXU',
            ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
          },
          messageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              {
                stringValue: value.StringValue,
                stringListValues: [],
                binaryListValues: [],
                dataType: value.DataType,
              },
            ]),
          ),
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: eventSourceArn,
          awsRegion: LOCAL_REGION,
        })),
      };
      active += 1;
      peakConcurrency = Math.max(peakConcurrency, active);
      const startedAt = Date.now();
      const result = await fn.invoke(event).finally(() => {
        active -= 1;
      });
      const ids = batch.map(({ message }) => message.messageId);
      let failed: Set<string>;
      if (!result.ok) {
        // A function error returns the whole batch to the queue once its visibility timeout ends.
        failed = new Set(ids);
      } else {
        failed = reportBatchItemFailures ? reportedFailures(result.payload, ids) : new Set();
      }
      const deleted: string[] = [];
      for (const { message, receiptHandle } of batch) {
        if (failed.has(message.messageId)) continue;
        if (queue!.delete(receiptHandle)) deleted.push(message.messageId);
      }
      invocations.push({
        container: index,
        messageIds: ids,
        bodies: batch.map(({ message }) => message.body),
        startedAt,
        endedAt: Date.now(),
        deleted,
        ok: result.ok,
        ...(result.ok ? {} : { error: `${result.errorType}: ${result.errorMessage}`.slice(0, 1000) }),
      });
    }
  }

  return {
    logicalId,
    batchSize,
    maxConcurrency,
    reportBatchItemFailures,
    queue,
    visibilityTimeoutSeconds,
    invocations,
    get peakConcurrency() {
      return peakConcurrency;
    },
    containers,
    start() {
      if (running) return;
      running = true;
      // One poller per allowed concurrent invocation: the cap holds by construction, as MaximumConcurrency's does.
      pollers = Array.from({ length: maxConcurrency }, (_, index) => poller(index));
    },
    async drained(timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (queue.size > 0 || active > 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `${logicalId}: not drained after ${timeoutMs} ms: ${queue.size} message(s) in the queue, ${active} invocation(s) under way`,
          );
        }
        await sleep(pollIntervalMs);
      }
    },
    async stop() {
      running = false;
      await Promise.all(pollers);
      pollers = [];
    },
    async close() {
      running = false;
      await Promise.all(pollers);
      await Promise.all(starting.map((started) => started.then((fn) => fn.close())));
    },
  };
}

/**
 * With ReportBatchItemFailures: the ids the response names as failed. A response Lambda cannot read
 * as a batch response (an item id that is empty or not in the batch) fails the whole batch; no or an
 * empty list means every record succeeded.
 */
function reportedFailures(payload: unknown, ids: readonly string[]): Set<string> {
  const failures = (payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return new Set(ids);
  const named = failures.map((failure) => (failure as { itemIdentifier?: unknown })?.itemIdentifier);
  if (named.some((id) => typeof id !== 'string' || !ids.includes(id))) return new Set(ids);
  return new Set(named as string[]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
