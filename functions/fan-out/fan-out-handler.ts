// The nightly fan-out's edge: the one nightly schedule's event in, one seal request per nightly app out.
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import type { SealRequestQueue } from '../adapters/sqs-seal-requests';
import type { DeployConfig } from '../core/deploy-config';
import { describeZodError } from '../core/describe-zod-error';
import { EventError } from '../core/errors';
import { planNight } from '../core/plan-night';

/** What the nightly schedule sends: Scheduler fills in the time the night was scheduled for. */
const FanOutEventSchema = z
  .object({ scheduledAt: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' }) })
  .strict();

export interface FanOutHandlerDeps {
  readonly config: DeployConfig;
  readonly requests: SealRequestQueue;
  readonly logger: Pick<Logger, 'info'>;
}

export interface FanOutResult {
  readonly requested: number;
  readonly windowMinutes: number;
}

/**
 * Sends the night's requests; a failure throws, Scheduler retries the whole fan-out, and the seal ids
 * (app and scheduledAt) make the requests sent twice one seal each.
 */
export function createFanOutHandler(deps: FanOutHandlerDeps) {
  return async (event: unknown): Promise<FanOutResult> => {
    const parsed = FanOutEventSchema.safeParse(event);
    if (!parsed.success)
      throw new EventError(describeZodError(parsed.error, 'event'), { cause: parsed.error });
    const plan = planNight(deps.config.apps, deps.config.nightly, new Date(parsed.data.scheduledAt));
    await deps.requests.send(
      plan.map((request) => ({
        body: JSON.stringify(request.event),
        notBefore: request.notBefore,
        delaySeconds: request.delaySeconds,
      })),
    );
    const result = { requested: plan.length, windowMinutes: deps.config.nightly.windowMinutes };
    deps.logger.info('nightly seals requested', { ...result });
    return result;
  };
}
