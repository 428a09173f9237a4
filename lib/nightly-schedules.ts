// One EventBridge Scheduler schedule per nightly app, sending the nightly event (functions/core/seal-event.ts).
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';
import { UnqualifiedLambdaInvoke } from './unqualified-lambda-invoke';

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
  /** The one role the schedules assume to invoke the seal function and reach the dead-letter queue. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: NightlySchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Scheduler's own role, scoped to this account's default schedule group.
    this.role = new iam.Role(this, 'Role', {
      description: 'Smoke Seal: nightly schedules invoke the seal function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    const schedules = new Map<string, scheduler.Schedule>();
    const timeZone = TimeZone.of(props.nightly.timeZone);
    for (const app of props.apps.filter((candidate) => candidate.nightly)) {
      schedules.set(
        app.name,
        new scheduler.Schedule(this, `Nightly-${app.name}`, {
          description: `Smoke Seal: nightly re-seal of ${app.name}`,
          schedule: scheduler.ScheduleExpression.expression(props.nightly.cron, timeZone),
          target: new UnqualifiedLambdaInvoke(props.sealFunction, {
            input: scheduler.ScheduleTargetInput.fromObject({
              trigger: 'nightly',
              app: app.name,
              // A retried invocation keeps its night, so the seal function makes no second seal of it.
              scheduledAt: scheduler.ContextAttribute.scheduledTime,
            }),
            role: this.role,
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
