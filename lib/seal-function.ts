// The seal function: headless Chromium runs the smoke spec, then the seal is stored, evidenced and announced.
import { join } from 'node:path';
import { type CfnElement, Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BASELINE_PREFIX } from '../functions/adapters/s3-baseline-store';
import type { DeployConfig } from './config';
import type { ConfigLayer } from './config-layer';
import { functionBundling, PROJECT_ROOT } from './function-bundling';
import { FunctionIdentity } from './function-identity';
import { appAuthSecretNames, grantSecretPrefixRead, grantSecretRead } from './grant-secret-read';
import { grantSendMessage } from './grant-send-message';
import type { Notifications } from './notifications';
import { EVIDENCE_PREFIX, type SealRecords } from './seal-records';
import { SqsSendDestination } from './sqs-send-destination';

/** The Powertools service name: also the `service` dimension of the function's metrics. */
export const SEAL_SERVICE_NAME = 'smoke-seal';

/**
 * Shipped next to the bundle instead of inside it, because each finds its own files on disk:
 * @sparticuz/chromium its brotli-packed browser in bin/, playwright-core its lazily required
 * modules and package.json. playwright-core has no dependencies, so shipping it costs only its
 * own 14 MB (unzipped), far inside Lambda's 250 MB.
 */
export const SEAL_NODE_MODULES = ['@sparticuz/chromium', 'playwright-core', 'playwright'];

/**
 * What the seal function does in the table (functions/adapters/dynamo-seal-store.ts): no Scan, no
 * Delete, no BatchGetItem (only the CLI's overview batches reads).
 */
export const SEAL_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/** What Lambda's SQS poller needs on the seal queue; SendMessage is the function's own (a request sent back to wait). */
export const SEAL_QUEUE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** A seal request that failed this often (the function threw or timed out) moves to the dead-letter queue. */
export const SEAL_MAX_RECEIVE_COUNT = 3;

export interface SealFunctionProps {
  readonly config: DeployConfig;
  /** The configuration layer: the apps, read at start. */
  readonly configLayer: ConfigLayer;
  /** The seal table (read and write, indexes included) and the evidence bucket (put only). */
  readonly records: SealRecords;
  readonly notifications: Notifications;
  /**
   * Where a seal request that produced no seal ends up: events the function refused (it parks them
   * here itself) and invocations that failed after Lambda's retries.
   */
  readonly deadLetterQueue: sqs.IQueue;
}

export class SealFunction extends Construct {
  public readonly function: lambdaNodejs.NodejsFunction;
  /**
   * Every seal request: release events (the rule), nightly requests (the fan-out). Drained with at
   * most `sealFunction.maxConcurrency` seals at once; a busy night waits here, nothing is dropped.
   */
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SealFunctionProps) {
    super(scope, id);
    const { config, records } = props;
    const identity = new FunctionIdentity(this, 'Identity', {
      purpose: 'Smoke Seal seal function: runs the smoke spec and records the seal',
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the function's timeout, so a seal under way is never handed to a second container.
      visibilityTimeout: Duration.seconds(config.sealFunction.timeoutSeconds * 6),
      // A night of thousands waits at the cap; a day is far more than any night needs.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: SEAL_MAX_RECEIVE_COUNT },
    });

    this.function = new lambdaNodejs.NodejsFunction(this, 'Function', {
      description: 'Smoke Seal: seals a release (or the nightly re-seal) with a read-only browser smoke spec',
      entry: join(PROJECT_ROOT, 'functions/seal/handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      // @sparticuz/chromium ships x86_64 binaries only.
      architecture: lambda.Architecture.X86_64,
      memorySize: config.sealFunction.memoryMb,
      timeout: Duration.seconds(config.sealFunction.timeoutSeconds),
      // Chromium unpacks itself (about 200 MB) into /tmp, next to the profile and screenshots.
      ephemeralStorageSize: Size.gibibytes(2),
      role: identity.role,
      logGroup: identity.logGroup,
      bundling: functionBundling({ nodeModules: SEAL_NODE_MODULES }),
      layers: [props.configLayer.layer],
      environment: {
        SMOKE_SEAL_CONFIG_DIR: props.configLayer.configDir,
        SEAL_QUEUE_URL: this.queue.queueUrl,
        SEAL_TABLE_NAME: records.table.tableName,
        EVIDENCE_BUCKET_NAME: records.evidenceBucket.bucketName,
        SEAL_TOPIC_ARN: props.notifications.sealTopic.topicArn,
        DEAD_LETTER_QUEUE_URL: props.deadLetterQueue.queueUrl,
        POWERTOOLS_SERVICE_NAME: SEAL_SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
      },
      // Asynchronous invocations (an operator's manual seal with --invocation-type Event): a thrown error
      // is retried twice, then parked with its error in the dead-letter queue. Duplicates make one seal.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsSendDestination(props.deadLetterQueue),
    });

    // Not SqsEventSource: it also grants GetQueueUrl and ChangeMessageVisibility, which the poller never uses.
    this.function.addEventSourceMapping('QueueSource', {
      eventSourceArn: this.queue.queueArn,
      // One seal per invocation: Chromium takes the container, and the cap counts seals.
      batchSize: 1,
      maxConcurrency: config.sealFunction.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.queue.grant(this.function, ...SEAL_QUEUE_ACTIONS);
    grantSendMessage(this.function, this.queue);

    records.grantTable(this.function, SEAL_TABLE_ACTIONS, { indexes: true });
    // The baseline (issue 21): read and replaced under its own prefix, expired with the evidence.
    records.evidenceBucket.grants.actionsOnObjectKeys(
      this.function,
      `${BASELINE_PREFIX}*`,
      's3:GetObject',
      's3:PutObject',
    );
    Validations.of(identity.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(records.evidenceBucket.node.defaultChild as CfnElement)}.Arn>/${BASELINE_PREFIX}*]`,
      reason:
        'Baseline keys are made per app and environment at run time; the grant is s3:GetObject and s3:PutObject under the baselines/ prefix of the one evidence bucket.',
    });
    // The commits since the last green seal, with the token the relay reads (secrets.githubToken).
    if (config.secrets.githubToken && config.apps.some((app) => app.repository)) {
      this.function.addEnvironment('GITHUB_TOKEN_SECRET_NAME', config.secrets.githubToken);
      grantSecretRead(this, this.function, config.secrets.githubToken, {
        kmsKeyArn: config.secrets.kmsKeyArn,
      });
    }
    records.evidenceBucket.grants.actionsOnObjectKeys(this.function, `${EVIDENCE_PREFIX}*`, 's3:PutObject');
    Validations.of(identity.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(records.evidenceBucket.node.defaultChild as CfnElement)}.Arn>/${EVIDENCE_PREFIX}*]`,
      reason:
        'Evidence object keys are made per seal at run time; the grant is s3:PutObject alone, under the seals/ prefix of the one evidence bucket.',
    });
    props.notifications.grantPublishSeals(this.function);
    // Sign-in secrets of apps behind a login (apps[].auth): read only, exactly those named.
    // Past a few, under their one prefix (secrets.authSecretPrefix): a grant per secret would pass IAM's policy size.
    if (config.secrets.authSecretPrefix) {
      grantSecretPrefixRead(this, this.function, config.secrets.authSecretPrefix, {
        kmsKeyArn: config.secrets.kmsKeyArn,
      });
      Validations.of(identity.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${config.secrets.authSecretPrefix}*-??????]`,
        reason:
          "secrets.authSecretPrefix: the sign-in secrets of every app, named under one prefix the operators chose; GetSecretValue alone, so one statement serves thousands of apps within IAM's policy size.",
      });
    } else {
      for (const name of appAuthSecretNames(config)) {
        grantSecretRead(this, this.function, name, { kmsKeyArn: config.secrets.kmsKeyArn });
      }
    }
    grantSendMessage(this.function, props.deadLetterQueue);

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 on purpose: @sparticuz/chromium and the seal code are tested on it; a newer runtime is a deliberate upgrade, not a default.',
    });
  }
}
