// The one stack the ops team deploys: composes the constructs and exports what operators need.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config';
import { ConfigLayer } from './config-layer';
import { DeadLetterQueue } from './dead-letter-queue';
import { NightlySchedules } from './nightly-schedules';
import { Notifications } from './notifications';
import { Relay } from './relay';
import { ReleaseRule } from './release-rule';
import { ReleaseTooling } from './release-tooling';
import { SealAlarms } from './seal-alarms';
import { SEAL_SERVICE_NAME, SealFunction } from './seal-function';
import { SealRecords } from './seal-records';

export interface SmokeSealStackProps extends StackProps {
  /** The parsed deployment configuration (cdk.json context "smokeSeal"). */
  readonly config: DeployConfig;
  /** The apps' bundled Playwright specs (lib/playwright-spec-bundles.ts). @default - none */
  readonly playwrightSpecDir?: string;
}

export class SmokeSealStack extends Stack {
  /** The apps, apart from the code: adding one changes this layer only. */
  public readonly configLayer: ConfigLayer;
  public readonly records: SealRecords;
  public readonly notifications: Notifications;
  /** Seal requests that produced no seal: undeliverable events and schedules, failed or refused invocations. */
  public readonly sealDeadLetterQueue: DeadLetterQueue;
  public readonly seal: SealFunction;
  public readonly releaseRule: ReleaseRule;
  public readonly nightly: NightlySchedules;
  public readonly relay: Relay;
  public readonly alarms: SealAlarms;
  public readonly releaseTooling: ReleaseTooling;

  constructor(scope: Construct, id: string, props: SmokeSealStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.configLayer = new ConfigLayer(this, 'Config', {
      config,
      playwrightSpecDir: props.playwrightSpecDir,
    });
    this.records = new SealRecords(this, 'Records', { retentionDays: config.retention.days });
    this.notifications = new Notifications(this, 'Notifications', {
      operatorEmails: config.operators.emails,
    });
    this.sealDeadLetterQueue = new DeadLetterQueue(this, 'SealDeadLetterQueue');
    this.seal = new SealFunction(this, 'Seal', {
      config,
      configLayer: this.configLayer,
      records: this.records,
      notifications: this.notifications,
      deadLetterQueue: this.sealDeadLetterQueue,
    });
    this.releaseRule = new ReleaseRule(this, 'ReleaseRule', {
      events: config.events,
      sealQueue: this.seal.queue,
      appNames: config.apps.map((app) => app.name),
      deadLetterQueue: this.sealDeadLetterQueue,
    });
    this.nightly = new NightlySchedules(this, 'Nightly', {
      config,
      configLayer: this.configLayer,
      sealQueue: this.seal.queue,
      records: this.records,
      notifications: this.notifications,
      deadLetterQueue: this.sealDeadLetterQueue,
    });
    this.relay = new Relay(this, 'Relay', {
      config,
      configLayer: this.configLayer,
      records: this.records,
      notifications: this.notifications,
    });
    this.alarms = new SealAlarms(this, 'Alarms', {
      alarmTopic: this.notifications.alarmTopic,
      functions: {
        Seal: this.seal.function,
        Relay: this.relay.function,
        FanOut: this.nightly.fanOut,
        MissingSealCheck: this.nightly.check,
      },
      deadLetterQueues: { Seal: this.sealDeadLetterQueue, Relay: this.relay.deadLetterQueue },
      queues: { Seal: this.seal.queue, Relay: this.relay.queue },
      nightlyWindowMinutes: config.nightly.windowMinutes,
      sealServiceName: SEAL_SERVICE_NAME,
      alarms: config.alarms,
    });
    this.notifications.allowAlarmsToPublish();
    this.releaseTooling = new ReleaseTooling(this, 'ReleaseTooling', {
      bus: this.releaseRule.bus,
      events: config.events,
      releaseTooling: config.releaseTooling,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      SealTableName: { value: this.records.table.tableName, description: 'DynamoDB table of seals' },
      EvidenceBucketName: {
        value: this.records.evidenceBucket.bucketName,
        description: 'S3 bucket of screenshots and reports (seals/<app>/<trigger>/<key>/)',
      },
      SealTopicArn: {
        value: this.notifications.sealTopic.topicArn,
        description: 'SNS topic "seal recorded"',
      },
      AlarmTopicArn: {
        value: this.notifications.alarmTopic.topicArn,
        description: 'SNS topic of the alarms',
      },
      SealFunctionName: {
        value: this.seal.function.functionName,
        description: 'Seal function: invoke with {"trigger":"manual","app":"<name>"} to seal on demand',
      },
      RelayFunctionName: { value: this.relay.function.functionName, description: 'Relay function' },
      SealDeadLetterQueueUrl: {
        value: this.sealDeadLetterQueue.queueUrl,
        description: 'Seal requests that produced no seal (refused, undeliverable or failed)',
      },
      RelayDeadLetterQueueUrl: {
        value: this.relay.deadLetterQueue.queueUrl,
        description: 'Seals the relay could not deliver to Discord or the release API',
      },
      RelayQueueUrl: { value: this.relay.queue.queueUrl, description: 'Queue feeding the relay' },
      SealQueueUrl: {
        value: this.seal.queue.queueUrl,
        description:
          'Seal requests (release and nightly) waiting for the seal function, at most sealFunction.maxConcurrency at once',
      },
      ConfigLayerArn: {
        value: this.configLayer.layer.layerVersionArn,
        description: 'The configuration layer version the functions run with (the apps)',
      },
      DeployBusArn: {
        value: this.releaseRule.bus.eventBusArn,
        description: 'The deploy bus the release tooling puts "Release Shipped" events on',
      },
      ReleaseToolingPolicyArn: {
        value: this.releaseTooling.policy.managedPolicyArn,
        description: 'Managed policy: attach to the release pipeline identity to put the release event',
      },
    };
    if (this.releaseTooling.githubRole) {
      outputs.ReleaseToolingRoleArn = {
        value: this.releaseTooling.githubRole.roleArn,
        description: 'Role GitHub Actions assume (aws-actions/configure-aws-credentials role-to-assume)',
      };
    }
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}
