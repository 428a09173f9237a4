// One EventBridge Scheduler schedule per nightly app, sending the nightly event (functions/core/seal-event.ts).
import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';

/** Scheduler retries a failed invoke this often, within the event age below. */
export const NIGHTLY_RETRY_ATTEMPTS = 8;
/** A nightly seal that cannot start within this long is left to the next night (and the no-seal alarm). */
export const NIGHTLY_MAX_EVENT_AGE = Duration.hours(2);

export interface NightlySchedulesProps {
  readonly apps: DeployConfig['apps'];
  readonly nightly: DeployConfig['nightly'];
  readonly sealFunction: lambda.IFunction;
  /** Invocations Scheduler could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
}

export class NightlySchedules extends Construct {
  /** Schedules by app name; only apps with `nightly: true`. */
  public readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: NightlySchedulesProps) {
    super(scope, id);
    const schedules = new Map<string, scheduler.Schedule>();
    const timeZone = TimeZone.of(props.nightly.timeZone);
    for (const app of props.apps.filter((candidate) => candidate.nightly)) {
      schedules.set(
        app.name,
        new scheduler.Schedule(this, `Nightly-${app.name}`, {
          description: `Smoke Seal: nightly re-seal of ${app.name}`,
          schedule: scheduler.ScheduleExpression.expression(props.nightly.cron, timeZone),
          target: new schedulerTargets.LambdaInvoke(props.sealFunction, {
            input: scheduler.ScheduleTargetInput.fromObject({
              trigger: 'nightly',
              app: app.name,
              // A retried invocation keeps its night, so the seal function makes no second seal of it.
              scheduledAt: scheduler.ContextAttribute.scheduledTime,
            }),
            retryAttempts: NIGHTLY_RETRY_ATTEMPTS,
            maxEventAge: NIGHTLY_MAX_EVENT_AGE,
            deadLetterQueue: props.deadLetterQueue,
          }),
        }),
      );
    }
    this.schedules = schedules;
  }
}
