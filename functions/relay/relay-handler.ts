// The relay function's edge, with its dependencies passed in (handler.ts builds them once per container).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorText } from '../core/error-text';
import type { SealRelayResult } from '../core/relay-batch';
import { parseSealRecorded } from './parse-seal-recorded';

export interface RelayHandlerDeps {
  /** relayBatch with its ports bound: the batch's seals, relayed together (one Discord digest per thread). */
  readonly relay: (
    sealIds: readonly string[],
    /** The invocation's remaining time, when Lambda gives a context. */
    timeLeftMs?: () => number,
  ) => Promise<ReadonlyMap<string, SealRelayResult>>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * One record per seal-recorded message. The batch's seals are relayed together (relayBatch), then
 * each record answers for its seal: a record whose seal could not be relayed (a retryable delivery
 * failure, the store down) or whose message does not parse is a batch item failure, so only it
 * comes back; after the queue's maxReceiveCount it goes to the dead-letter queue.
 */
export function createRelayHandler(deps: RelayHandlerDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const { logger } = deps;

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const sealIds: string[] = [];
    for (const record of event.Records) {
      try {
        sealIds.push(parseSealRecorded(record.body).sealId);
      } catch {
        // Reported for its record below.
      }
    }
    const timeLeftMs = context ? () => context.getRemainingTimeInMillis() : undefined;
    const results =
      sealIds.length > 0 ? await deps.relay(sealIds, timeLeftMs) : new Map<string, SealRelayResult>();

    const relayRecord = async (record: SQSRecord): Promise<void> => {
      try {
        const { sealId } = parseSealRecorded(record.body);
        const result = results.get(sealId);
        if (!result) throw new Error(`seal ${sealId}: the relay gave no result for it`);
        if (!result.ok) throw result.error;
        const { outcome } = result;
        const { discord, releaseApi, github } = outcome.channels;
        const summary = {
          sealId: outcome.sealId,
          policy: outcome.decision.reason,
          discord: `${discord.state}: ${discord.detail ?? ''}`,
          releaseApi: `${releaseApi.state}: ${releaseApi.detail ?? ''}`,
          github: `${github.state}: ${github.detail ?? ''}`,
        };
        // A terminal failure (401, 400) is recorded and not retried: say so loudly.
        if (discord.state === 'failed' || releaseApi.state === 'failed' || github.state === 'failed')
          logger.error('seal delivery failed', summary);
        else logger.info('seal relayed', summary);
      } catch (error) {
        logger.warn('seal relay will be retried', { messageId: record.messageId, error: errorText(error) });
        throw error;
      }
    };

    return processPartialResponse(event, relayRecord, processor, context ? { context } : undefined);
  };
}
