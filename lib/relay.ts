// The relay: "seal recorded" -> SQS -> relay function -> Discord and the release API, retried without the browser.
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEAL_TABLE } from '../functions/adapters/seal-table';
import type { DeployConfig } from './config';
import type { ConfigLayer } from './config-layer';
import { DeadLetterQueue } from './dead-letter-queue';
import { functionBundling, PROJECT_ROOT } from './function-bundling';
import { FunctionIdentity } from './function-identity';
import { grantSecretRead } from './grant-secret-read';
import type { Notifications } from './notifications';
import type { SealRecords } from './seal-records';

export const RELAY_SERVICE_NAME = 'smoke-seal-relay';

/**
 * What the relay does in the table: read a seal, claim and record each channel's delivery state
 * (conditional updates), and read the app's recent history (the byApp index) to decide whether a
 * still-red nightly seal repeats its alert.
 */
export const RELAY_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'];

/** What Lambda's SQS poller needs on the relay queue, and nothing more. */
export const RELAY_QUEUE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** A message that failed this many times (Discord or the release API down for long) moves to the DLQ. */
export const RELAY_MAX_RECEIVE_COUNT = 5;

/**
 * Above the relay's worst case: its channels in parallel (every seal of the batch at once), each up
 * to 4 attempts of 10 s plus backoff (about 70 s); a digest in several messages shares those retries.
 */
export const RELAY_TIMEOUT_SECONDS = 90;

/**
 * Relays at once, at most (the event source mapping's MaximumConcurrency, whose floor is 2): a
 * shared outage that turns hundreds of apps red is told at the pace Discord takes, never faster.
 */
export const RELAY_MAX_CONCURRENCY = 2;

/**
 * Seals a relay takes at once. The seals of a batch bound for one Discord thread are told in one
 * digest (15 red seals or 21 green ones fill a message), so a night of transitions is a few posts,
 * not one per seal. Above 10, Lambda requires a batching window.
 */
export const RELAY_BATCH_SIZE = 25;

/**
 * How long Lambda's poller gathers seals before it invokes the relay with fewer than a full batch
 * (MaximumBatchingWindowInSeconds, at most 300): the nightly seals that finish within a minute meet
 * in one digest. A release seal's Discord post, Release record and commit status wait up to this
 * long; the operators' email does not go through the relay and is not delayed.
 */
export const RELAY_BATCHING_WINDOW_SECONDS = 60;

export interface RelayProps {
  readonly config: DeployConfig;
  /** The configuration layer: the apps' Discord threads and release API templates, read at start. */
  readonly configLayer: ConfigLayer;
  /** The relay reads seals, records delivery states and queries the byApp index. */
  readonly records: SealRecords;
  readonly notifications: Notifications;
}

export class Relay extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly function: lambdaNodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: RelayProps) {
    super(scope, id);
    const { config } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(RELAY_TIMEOUT_SECONDS * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: RELAY_MAX_RECEIVE_COUNT },
    });
    props.notifications.sealTopic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }),
    );

    const identity = new FunctionIdentity(this, 'Identity', {
      purpose: 'Smoke Seal relay function: posts recorded seals to Discord and the release API',
    });
    const environment: Record<string, string> = {
      SEAL_TABLE_NAME: props.records.table.tableName,
      POWERTOOLS_SERVICE_NAME: RELAY_SERVICE_NAME,
      NODE_OPTIONS: '--enable-source-maps',
    };
    const secretNames: string[] = [];
    // An unconfigured secret leaves its variable unset: the relay then skips that channel.
    // The relay reads each secret by name (see lib/grant-secret-read.ts for why not by ARN).
    for (const [name, variable] of [
      [config.secrets.discordWebhookUrl, 'DISCORD_WEBHOOK_SECRET_NAME'],
      [config.secrets.releaseApiToken, 'RELEASE_API_TOKEN_SECRET_NAME'],
      [config.secrets.githubToken, 'GITHUB_TOKEN_SECRET_NAME'],
    ] as const) {
      if (!name) continue;
      environment[variable] = name;
      secretNames.push(name);
    }

    this.function = new lambdaNodejs.NodejsFunction(this, 'Function', {
      description: 'Smoke Seal: relays recorded seals to Discord, the release API and GitHub commit statuses',
      entry: join(PROJECT_ROOT, 'functions/relay/handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: 256,
      timeout: Duration.seconds(RELAY_TIMEOUT_SECONDS),
      role: identity.role,
      logGroup: identity.logGroup,
      bundling: functionBundling(),
      layers: [props.configLayer.layer],
      environment: { ...environment, SMOKE_SEAL_CONFIG_DIR: props.configLayer.configDir },
    });
    // Not SqsEventSource: it also grants GetQueueUrl and ChangeMessageVisibility, which Lambda's
    // poller never uses. These three are what AWS documents for an SQS event source mapping.
    this.function.addEventSourceMapping('QueueSource', {
      eventSourceArn: this.queue.queueArn,
      batchSize: RELAY_BATCH_SIZE,
      maxBatchingWindow: Duration.seconds(RELAY_BATCHING_WINDOW_SECONDS),
      maxConcurrency: RELAY_MAX_CONCURRENCY,
      // The relay reports the seals it could not deliver; the others are not retried.
      reportBatchItemFailures: true,
    });
    this.queue.grant(this.function, ...RELAY_QUEUE_ACTIONS);

    props.records.grantTable(this.function, RELAY_TABLE_ACTIONS, {
      indexes: [SEAL_TABLE.indexes.byApp.indexName],
    });
    for (const name of secretNames) {
      grantSecretRead(this, this.function, name, { kmsKeyArn: config.secrets.kmsKeyArn });
    }

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 on purpose, like the seal function: one runtime for the stack, upgraded deliberately.',
    });
  }
}
