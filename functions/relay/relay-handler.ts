// The relay function's edge, with its dependencies passed in (handler.ts builds them once per container).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorText } from '../core/error-text';
import type { RelayOutcome } from '../core/relay-seal';
import { parseSealRecorded } from './parse-seal-recorded';

export interface RelayHandlerDeps {
  /** relaySeal with its ports bound. */
  readonly relay: (sealId: string) => Promise<RelayOutcome>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * One record per seal-recorded message. A record whose relay throws (a retryable delivery failure,
 * the store down, a message that does not parse) is reported as a batch item failure, so only it
 * comes back; after the queue's maxReceiveCount it goes to the dead-letter queue.
 */
export function createRelayHandler(deps: RelayHandlerDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const { logger } = deps;

  const relayRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const message = parseSealRecorded(record.body);
      const outcome = await deps.relay(message.sealId);
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

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, relayRecord, processor, context ? { context } : undefined);
}
