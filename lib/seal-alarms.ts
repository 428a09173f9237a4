// Alarms to the operators: a failing function, anything in a dead-letter queue, an app left without a seal.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
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
  /** Apps sealed nightly: each gets a "no seal" alarm. */
  readonly nightlyApps: readonly string[];
  /** Value of the `service` dimension the seal function's metrics carry. */
  readonly sealServiceName: string;
  readonly alarms: DeployConfig['alarms'];
}

export class SealAlarms extends Construct {
  public readonly functionErrors: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly deadLetters: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly noSeal: ReadonlyMap<string, cloudwatch.Alarm>;

  /** Every alarm above: each notifies the alarm topic, which must let CloudWatch publish for it. */
  get all(): cloudwatch.Alarm[] {
    return [...this.functionErrors.values(), ...this.deadLetters.values(), ...this.noSeal.values()];
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

    const hours = props.alarms.noSealHours;
    this.noSeal = new Map(
      props.nightlyApps.map((app) => [
        app,
        notify(
          new cloudwatch.Alarm(this, `NoSeal-${app}`, {
            alarmDescription: `Smoke Seal: no seal of ${app} recorded in the last ${hours} hours; the nightly run did not happen or did not finish.`,
            metric: new cloudwatch.Metric({
              namespace: SEAL_RECORDED_METRIC.namespace,
              metricName: SEAL_RECORDED_METRIC.metricName,
              dimensionsMap: {
                [SEAL_RECORDED_METRIC.serviceDimension]: props.sealServiceName,
                [SEAL_RECORDED_METRIC.appDimension]: app,
              },
              statistic: cloudwatch.Stats.SUM,
              period: Duration.hours(1),
            }),
            // Every one of the last `hours` hourly sums is below 1 (or missing, which counts as breaching).
            threshold: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluationPeriods: hours,
            datapointsToAlarm: hours,
            treatMissingData: cloudwatch.TreatMissingData.BREACHING,
          }),
        ),
      ]),
    );
  }
}
