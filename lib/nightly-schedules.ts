// The night, whatever the number of apps: one schedule fans out to the seal queue, one schedule checks every app was sealed.
import { join } from 'node:path';
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';
import type { ConfigLayer } from './config-layer';
import { functionBundling, PROJECT_ROOT } from './function-bundling';
import { FunctionIdentity } from './function-identity';
import { grantSendMessage } from './grant-send-message';
import type { Notifications } from './notifications';
import type { SealRecords } from './seal-records';
import { UnqualifiedLambdaInvoke } from './unqualified-lambda-invoke';

/** Scheduler retries a failed invoke this often, within the event age below. */
export const NIGHTLY_RETRY_ATTEMPTS = 8;
/** A night that cannot start within this long is left to the next night (and the missing-seal check). */
export const NIGHTLY_MAX_EVENT_AGE = Duration.hours(2);

/** The missing-seal check's table actions: the latest pointer and the seal it names, nothing else. */
export const CHECK_TABLE_ACTIONS = ['dynamodb:GetItem'];

export interface NightlySchedulesProps {
  readonly config: DeployConfig;
  readonly configLayer: ConfigLayer;
  /** Where the fan-out puts one seal request per nightly app. */
  readonly sealQueue: sqs.IQueue;
  /** The check reads each app's latest seal. */
  readonly records: SealRecords;
  /** The check's email (on the alarm topic) names the apps missing a seal. */
  readonly notifications: Notifications;
  /** Invocations Scheduler could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
}

export class NightlySchedules extends Construct {
  /** The one role both schedules assume to invoke their function and reach the dead-letter queue. */
  public readonly role: iam.Role;
  /** Sends the night's requests to the seal queue, each delayed to its app's place in the window. */
  public readonly fanOut: lambdaNodejs.NodejsFunction;
  /** Names every nightly app with no recent seal: one metric, the log and an email. */
  public readonly check: lambdaNodejs.NodejsFunction;
  public readonly nightlySchedule: scheduler.Schedule;
  public readonly checkSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: NightlySchedulesProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    // Scheduler's own role, scoped to this account's default schedule group.
    this.role = new iam.Role(this, 'Role', {
      description: 'Smoke Seal: the nightly schedules invoke the fan-out and the missing-seal check',
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

    this.fanOut = this.smallFunction('FanOut', {
      purpose: 'Smoke Seal nightly fan-out: one seal request per nightly app on the seal queue',
      entry: 'functions/fan-out/handler.ts',
      configLayer: props.configLayer,
      environment: { SEAL_QUEUE_URL: props.sealQueue.queueUrl },
    });
    grantSendMessage(this.fanOut, props.sealQueue);

    this.check = this.smallFunction('MissingSealCheck', {
      purpose: 'Smoke Seal missing-seal check: names every nightly app without a recent seal',
      entry: 'functions/missing-seals/handler.ts',
      configLayer: props.configLayer,
      environment: {
        SEAL_TABLE_NAME: props.records.table.tableName,
        ALARM_TOPIC_ARN: props.notifications.alarmTopic.topicArn,
        STACK_NAME: stack.stackName,
      },
    });
    props.records.grantTable(this.check, CHECK_TABLE_ACTIONS, { indexes: false });
    props.notifications.grantPublishNotices(this.check);

    const timeZone = TimeZone.of(config.nightly.timeZone);
    const invoke = (fn: lambda.IFunction, input?: scheduler.ScheduleTargetInput) =>
      new UnqualifiedLambdaInvoke(fn, {
        input,
        role: this.role,
        retryAttempts: NIGHTLY_RETRY_ATTEMPTS,
        maxEventAge: NIGHTLY_MAX_EVENT_AGE,
        deadLetterQueue: props.deadLetterQueue,
      });
    this.nightlySchedule = new scheduler.Schedule(this, 'Nightly', {
      description: `Smoke Seal: the nightly re-seal of every nightly app, spread over ${config.nightly.windowMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.expression(config.nightly.cron, timeZone),
      // A retried fan-out keeps its night, so the seal function makes no second seal of any app.
      target: invoke(
        this.fanOut,
        scheduler.ScheduleTargetInput.fromObject({ scheduledAt: scheduler.ContextAttribute.scheduledTime }),
      ),
    });
    this.checkSchedule = new scheduler.Schedule(this, 'Check', {
      description: `Smoke Seal: names every nightly app with no seal in the last ${config.alarms.noSealHours} hours`,
      schedule: scheduler.ScheduleExpression.expression(config.alarms.checkCron, timeZone),
      target: invoke(this.check),
    });
  }

  private smallFunction(
    id: string,
    props: { purpose: string; entry: string; configLayer: ConfigLayer; environment: Record<string, string> },
  ): lambdaNodejs.NodejsFunction {
    const identity = new FunctionIdentity(this, `${id}Identity`, { purpose: props.purpose });
    const fn = new lambdaNodejs.NodejsFunction(this, id, {
      description: props.purpose,
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: 512,
      // 10,000 apps: 1,000 SendMessageBatch calls, or 10,000 reads 16 at a time, with room.
      timeout: Duration.minutes(5),
      role: identity.role,
      logGroup: identity.logGroup,
      bundling: functionBundling(),
      layers: [props.configLayer.layer],
      environment: {
        SMOKE_SEAL_CONFIG_DIR: props.configLayer.configDir,
        POWERTOOLS_SERVICE_NAME: 'smoke-seal',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 on purpose, like the seal function: one runtime for the stack, upgraded deliberately.',
    });
    return fn;
  }
}
