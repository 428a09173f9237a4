// Alarms to the operators, a constant dozen whatever the number of apps: a failing, throttled or dropping function,
// anything in a dead-letter queue, a queue that does not drain, nightly seals missing (one alarm for every app).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MISSING_SEALS_METRIC } from '../functions/missing-seals/missing-seals-handler';
import type { DeployConfig } from './config';

/**
 * The metric the seal function emits per recorded seal (Powertools Metrics, see
 * functions/seal/seal-handler.ts). Powertools adds the `service` dimension to every metric, so the
 * alarm names both dimensions: a metric is identified by its full dimension set.
 */
export const SEAL_RECORDED_METRIC = {
  namespace: 'SmokeSeal',
  metricName: 'SealRecorded',
  serviceDimension: 'service',
  appDimension: 'app',
} as const;

export interface SealAlarmsProps {
  /** Where alarm (and OK) notifications go. */
  readonly alarmTopic: sns.ITopic;
  /** Functions whose errors alarm, by a name for the description. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Dead-letter queues, by a name for the description: any message in one alarms. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Queues whose oldest message alarms when it waits past the night's window plus three hours. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  readonly nightlyWindowMinutes: number;
  /** Value of the `service` dimension the seal function's metrics carry. */
  readonly sealServiceName: string;
  readonly alarms: DeployConfig['alarms'];
}

export class SealAlarms extends Construct {
  public readonly functionErrors: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly deadLetters: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly queues: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly dropped: ReadonlyMap<string, cloudwatch.Alarm>;
  /** The missing-seal check named apps without a recent seal (one alarm for every app). */
  public readonly nightlySealsMissing: cloudwatch.Alarm;
  /** The missing-seal check itself did not report. */
  public readonly checkSilent: cloudwatch.Alarm;

  /** Every alarm above: each notifies the alarm topic. */
  get all(): cloudwatch.Alarm[] {
    return [
      ...this.functionErrors.values(),
      ...this.deadLetters.values(),
      ...this.queues.values(),
      ...this.dropped.values(),
      this.nightlySealsMissing,
      this.checkSilent,
    ];
  }

  constructor(scope: Construct, id: string, props: SealAlarmsProps) {
    super(scope, id);
    const action = new cloudwatchActions.SnsAction(props.alarmTopic);
    const notify = (alarm: cloudwatch.Alarm): cloudwatch.Alarm => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    };

    this.functionErrors = new Map(
      Object.entries(props.functions).map(([name, fn]) => [
        name,
        notify(
          new cloudwatch.Alarm(this, `${name}Errors`, {
            alarmDescription: `Smoke Seal: the ${name} function failed (threw or timed out); see its log group.`,
            metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
            threshold: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      ]),
    );

    this.deadLetters = new Map(
      Object.entries(props.deadLetterQueues).map(([name, queue]) => [
        name,
        notify(
          new cloudwatch.Alarm(this, `${name}DeadLetters`, {
            alarmDescription: `Smoke Seal: messages wait in the ${name} dead-letter queue; read them, fix the cause, redrive or delete (docs/deploy.md).`,
            metric: queue.metricApproximateNumberOfMessagesVisible({
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.MAXIMUM,
            }),
            threshold: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      ]),
    );

    const namespace = SEAL_RECORDED_METRIC.namespace;
    const { sealServiceName } = props;
    const checkMetric = (statistic: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace,
        metricName: MISSING_SEALS_METRIC,
        dimensionsMap: { [SEAL_RECORDED_METRIC.serviceDimension]: sealServiceName },
        statistic,
        period,
      });
    this.nightlySealsMissing = notify(
      new cloudwatch.Alarm(this, 'NightlySealsMissing', {
        alarmDescription: `Smoke Seal: nightly apps have no seal in the last ${props.alarms.noSealHours} hours; the check's email and log name them (docs/alerts.md).`,
        metric: checkMetric(cloudwatch.Stats.MAXIMUM, Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // The check reports once a day: between reports the alarm keeps what the last one said.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      }),
    );
    this.checkSilent = notify(
      new cloudwatch.Alarm(this, 'MissingSealCheckSilent', {
        alarmDescription:
          'Smoke Seal: the missing-seal check has not reported for 25 hours; its schedule or function is broken.',
        metric: checkMetric(cloudwatch.Stats.SAMPLE_COUNT, Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 25,
        datapointsToAlarm: 25,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    // Seal requests that wait too long: the night outgrew its window and cap, or the function is stuck.
    const stuckMinutes = props.nightlyWindowMinutes + 180;
    this.queues = new Map(
      Object.entries(props.queues).map(([name, queue]) => [
        name,
        notify(
          new cloudwatch.Alarm(this, `${name}QueueAge`, {
            alarmDescription: `Smoke Seal: the oldest message in the ${name} queue waited over ${stuckMinutes} minutes; raise sealFunction.maxConcurrency or widen the night (docs/deploy.md), or see the function's log.`,
            metric: queue.metricApproximateAgeOfOldestMessage({
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.MAXIMUM,
            }),
            threshold: stuckMinutes * 60,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      ]),
    );

    // Invocations Lambda refused (throttles) or dropped (asynchronous events it could not run in time).
    this.dropped = new Map(
      Object.entries(props.functions).map(([name, fn]) => [
        name,
        notify(
          new cloudwatch.Alarm(this, `${name}ThrottledOrDropped`, {
            alarmDescription: `Smoke Seal: the ${name} function was throttled or dropped events; the account's concurrency is exhausted or the function's cap too low.`,
            metric: new cloudwatch.MathExpression({
              expression: 'FILL(throttles, 0) + FILL(dropped, 0)',
              usingMetrics: {
                throttles: fn.metricThrottles({
                  period: Duration.minutes(5),
                  statistic: cloudwatch.Stats.SUM,
                }),
                dropped: fn.metric('AsyncEventsDropped', {
                  period: Duration.minutes(5),
                  statistic: cloudwatch.Stats.SUM,
                }),
              },
              period: Duration.minutes(5),
            }),
            threshold: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      ]),
    );
  }
}
