// The "seal recorded" message on SNS (and so on the relay's queue): small, versioned, enough to find the seal.
import { z } from 'zod';
import type { AlertDecision } from './alert-policy';
import { oneLine } from './messages/one-line';
import { type Seal, SealStatusSchema, TransitionSchema, TriggerSchema } from './seal';

export const SEAL_RECORDED_VERSION = 1;

export const SealRecordedSchema = z.object({
  type: z.literal('seal-recorded'),
  version: z.literal(SEAL_RECORDED_VERSION),
  sealId: z.string().min(1),
  app: z.string().min(1),
  trigger: TriggerSchema,
  status: SealStatusSchema,
  transition: TransitionSchema,
  alert: z.enum(['red', 'inconclusive', 'recovered', 'none']),
  summary: z.string(),
  checkedAt: z.string(),
  reportUrl: z.string().nullable(),
});
export type SealRecorded = z.infer<typeof SealRecordedSchema>;

/** The relay reloads the seal by id; the rest is for people reading the queue or the dead-letter queue. */
export function sealRecorded(seal: Seal, decision: AlertDecision): SealRecorded {
  return {
    type: 'seal-recorded',
    version: SEAL_RECORDED_VERSION,
    sealId: seal.id,
    app: seal.app,
    trigger: seal.trigger,
    status: seal.status,
    transition: seal.transition,
    alert: decision.alert,
    summary: oneLine(seal.summary, 500),
    checkedAt: seal.checkedAt,
    reportUrl: seal.evidence.reportUrl,
  };
}
