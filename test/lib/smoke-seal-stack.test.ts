import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEAL_TABLE } from '../../functions/adapters/seal-table';
import { EMAIL_ALERTS, SEAL_ATTRIBUTE } from '../../functions/core/alert-policy';
import { CLAIM_LEASE_MS } from '../../functions/core/relay-seal';
import { MISSING_SEALS_METRIC } from '../../functions/missing-seals/missing-seals-handler';
import {
  RELAY_BATCH_SIZE,
  RELAY_BATCHING_WINDOW_SECONDS,
  RELAY_MAX_CONCURRENCY,
  RELAY_MAX_RECEIVE_COUNT,
  RELAY_TIMEOUT_SECONDS,
} from '../../lib/relay';
import { SEAL_RECORDED_METRIC } from '../../lib/seal-alarms';
import type { SmokeSealStack } from '../../lib/smoke-seal-stack';
import { fullConfig, minimalConfig, testStack } from '../fixtures/smoke-seal-test-app';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

let stack: SmokeSealStack;
let template: Template;

// Synthesis with cdk-nag's checks took 45 s on the busy 2-core machine: room, not a timing.
beforeAll(() => {
  stack = testStack(fullConfig());
  template = Template.fromStack(stack);
}, 300_000);

const ref = (token: string) => stack.resolve(token);

function policyStatements(): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties!.PolicyDocument as { Statement: never[] }).Statement,
  );
}

function statementsOf(role: IRole): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = ref(role.roleName);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([roleRef]) },
  }) as Resources;
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties!.PolicyDocument as { Statement: never[] }).Statement,
  );
}

function resourceOf(construct: IConstruct): { Type: string; Properties?: Record<string, unknown> } {
  const logicalId = stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return (template.toJSON().Resources as Resources)[logicalId]!;
}

const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('the seal table', () => {
  it('has the key schema and indexes of the store adapter, on demand, with TTL on its expiry attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: SEAL_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: SEAL_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: SEAL_TABLE.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: Object.values(SEAL_TABLE.indexes).map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
    });
  });

  it('is encrypted, recoverable to a point in time, and retained when the stack goes, except on a failed first create', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });
});

describe('the evidence bucket', () => {
  it('blocks public access, encrypts, logs access, expires evidence after the retention, and is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: {
          DestinationBucketName: ref(stack.records.accessLogsBucket.bucketName),
          LogFilePrefix: 'evidence/',
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]),
        },
      }),
    });
  });

  it('keeps both buckets on deletion and replacement, not after a failed first create', () => {
    for (const bucket of [stack.records.evidenceBucket, stack.records.accessLogsBucket]) {
      expect(resourceOf(bucket)).toMatchObject({
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('refuses requests that are not over TLS, on both buckets', () => {
    for (const bucket of [stack.records.evidenceBucket, stack.records.accessLogsBucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(bucket.bucketName),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('the seal function', () => {
  it('runs Node.js 22 on x86_64 with the configured memory and timeout and 2 GiB of /tmp for Chromium', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      Handler: 'index.handler',
      MemorySize: 3008,
      Timeout: 180,
      EphemeralStorage: { Size: 2048 },
      Role: ref(stack.seal.function.role!.roleArn),
    });
  });

  it('is told its table, bucket, topic and dead-letter queue by environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: ref(stack.seal.function.role!.roleArn),
      Environment: {
        Variables: Match.objectLike({
          SEAL_TABLE_NAME: ref(stack.records.table.tableName),
          EVIDENCE_BUCKET_NAME: ref(stack.records.evidenceBucket.bucketName),
          SEAL_TOPIC_ARN: ref(stack.notifications.sealTopic.topicArn),
          DEAD_LETTER_QUEUE_URL: ref(stack.sealDeadLetterQueue.queueUrl),
          POWERTOOLS_SERVICE_NAME: 'smoke-seal',
        }),
      },
    });
  });

  it('reads the deployment configuration from the configuration layer, never from its environment', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const layerArn = ref(stack.configLayer.layer.layerVersionArn);
    for (const fn of Object.values(functions)) {
      const environment = JSON.stringify(fn.Properties?.Environment ?? {});
      expect(environment).not.toContain('storefront');
      if (!environment.includes('SMOKE_SEAL_CONFIG_DIR')) continue;
      expect(fn.Properties?.Layers).toEqual([layerArn]);
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Layers: [layerArn],
      Environment: { Variables: Match.objectLike({ SMOKE_SEAL_CONFIG_DIR: '/opt/smoke-seal' }) },
    });
  });

  it('drains the seal queue one seal per invocation, at most maxConcurrency at once, reporting failed items', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(stack.seal.function.functionName),
      EventSourceArn: ref(stack.seal.queue.queueArn),
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Longer than the function runs, so a seal under way is not handed to a second container.
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180 * 6,
      RedrivePolicy: { deadLetterTargetArn: ref(stack.sealDeadLetterQueue.queueArn), maxReceiveCount: 3 },
    });
  });

  it('retries a failed asynchronous invocation twice, then parks it in the seal dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(stack.seal.function.functionName),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: ref(stack.sealDeadLetterQueue.queueArn) } },
    });
  });
});

describe('the release rule', () => {
  it('listens on the imported deploy bus for the configured source and detail-type', () => {
    template.resourceCountIs('AWS::Events::EventBus', 0);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'deploy-bus',
      EventPattern: { source: ['acme.release-tooling'], 'detail-type': ['Release Shipped'] },
    });
  });

  it('puts each event on the seal queue (never an asynchronous invoke Lambda may drop), with a retry policy and the seal dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { app: ['storefront', 'backoffice', 'legacy'] } }),
      Targets: [
        Match.objectLike({
          Arn: ref(stack.seal.queue.queueArn),
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: { Arn: ref(stack.sealDeadLetterQueue.queueArn) },
        }),
      ],
    });
  });
});

describe('the nightly schedules', () => {
  it('makes one schedule for the night and one for the missing-seal check, whatever the number of apps', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });

  it("fires the fan-out at the configured cron in the configured time zone, with the night's scheduled time", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 4 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: ref(stack.nightly.fanOut.functionArn),
        RoleArn: ref(stack.nightly.role.roleArn),
        Input: JSON.stringify({ scheduledAt: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: ref(stack.sealDeadLetterQueue.queueArn) },
      },
    });
  });

  it('runs the missing-seal check at alarms.checkCron in the nightly time zone', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Arn: ref(stack.nightly.check.functionArn) }),
    });
  });
});

describe('the topics', () => {
  it('encrypt with a rotated customer-managed key that CloudWatch alarms may use', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    for (const topic of [stack.notifications.sealTopic, stack.notifications.alarmTopic]) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: ref(stack.notifications.key.keyArn),
        TopicName: Match.absent(),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(topic.topicArn)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it("let CloudWatch publish to the alarm topic, for this account and this stack's alarms, in one statement", () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(stack.notifications.alarmTopic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: ref(stack.notifications.alarmTopic.topicArn),
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:SmokeSeal-*',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('let the seal function publish to the seal topic by its role alone, and no service by topic policy', () => {
    const policies = template.findResources('AWS::SNS::TopicPolicy', {
      Properties: { Topics: [ref(stack.notifications.sealTopic.topicArn)] },
    }) as Resources;
    const statements = Object.values(policies).flatMap(
      (policy) => (policy.Properties!.PolicyDocument as { Statement: { Effect: string }[] }).Statement,
    );
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
    const publishers = policyStatements().filter(
      (statement) =>
        actionsOf(statement).includes('sns:Publish') &&
        JSON.stringify(statement.Resource) === JSON.stringify(ref(stack.notifications.sealTopic.topicArn)),
    );
    expect(publishers).toHaveLength(1);
    expect(statementsOf(stack.seal.function.role!)).toContainEqual(publishers[0]);
  });

  it.each(['ops@example.com', 'oncall@example.com'])(
    'send %s the seal alerts red, inconclusive and recovered only, by the alert attribute',
    (email) => {
      expect(EMAIL_ALERTS).toEqual(['red', 'inconclusive', 'recovered']);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: ref(stack.notifications.sealTopic.topicArn),
        FilterPolicy: { [SEAL_ATTRIBUTE.alert]: ['red', 'inconclusive', 'recovered'] },
      });
    },
  );

  it.each(['ops@example.com', 'oncall@example.com'])('send %s every alarm, unfiltered', (email) => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: email,
      TopicArn: ref(stack.notifications.alarmTopic.topicArn),
      FilterPolicy: Match.absent(),
    });
  });
});

describe('the relay', () => {
  it('holds a delivery claim longer than the function runs and shorter than a message stays invisible', () => {
    expect(CLAIM_LEASE_MS).toBeGreaterThan(RELAY_TIMEOUT_SECONDS * 1000);
    expect(CLAIM_LEASE_MS).toBeLessThan(RELAY_TIMEOUT_SECONDS * 6 * 1000);
    template.hasResourceProperties(
      'AWS::Lambda::Function',
      Match.objectLike({ Timeout: RELAY_TIMEOUT_SECONDS }),
    );
  });

  it('reads the seal topic through an encrypted queue with raw delivery and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: ref(stack.relay.queue.queueArn),
      TopicArn: ref(stack.notifications.sealTopic.topicArn),
      RawMessageDelivery: true,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 540,
      RedrivePolicy: {
        deadLetterTargetArn: ref(stack.relay.deadLetterQueue.queueArn),
        maxReceiveCount: RELAY_MAX_RECEIVE_COUNT,
      },
    });
  });

  it('takes seals in batches gathered over a window, so one digest tells many, at most 2 relays at once', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.relay.queue.queueArn),
      BatchSize: RELAY_BATCH_SIZE,
      MaximumBatchingWindowInSeconds: RELAY_BATCHING_WINDOW_SECONDS,
      ScalingConfig: { MaximumConcurrency: RELAY_MAX_CONCURRENCY },
    });
    // Lambda's limits for a standard queue: above 10 a window of at least 1 s; the window at most 5 minutes.
    expect(RELAY_BATCH_SIZE).toBeGreaterThan(10);
    expect(RELAY_BATCHING_WINDOW_SECONDS).toBeGreaterThanOrEqual(1);
    expect(RELAY_BATCHING_WINDOW_SECONDS).toBeLessThanOrEqual(300);
    expect(RELAY_MAX_CONCURRENCY).toBe(2);
  });

  it('reports partial batch failures, so one undeliverable seal does not redeliver the batch', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(stack.relay.queue.queueArn),
      FunctionName: ref(stack.relay.function.functionName),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('is told its table and the names (not suffix-less ARNs) of the configured secrets', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: ref(stack.relay.function.role!.roleArn),
      Runtime: 'nodejs22.x',
      Environment: {
        Variables: Match.objectLike({
          SEAL_TABLE_NAME: ref(stack.records.table.tableName),
          DISCORD_WEBHOOK_SECRET_NAME: 'smoke-seal/discord',
          RELEASE_API_TOKEN_SECRET_NAME: 'smoke-seal/release-api',
        }),
      },
    });
  });
});

describe('the dead-letter queues', () => {
  it('are encrypted, keep messages 14 days and refuse requests that are not over TLS', () => {
    for (const queue of [stack.sealDeadLetterQueue, stack.relay.deadLetterQueue]) {
      expect(resourceOf(queue).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue.queueUrl)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('let only EventBridge, for the release rule, send to the seal dead-letter queue by resource policy', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.sealDeadLetterQueue.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': ref(stack.releaseRule.rule.ruleArn) } },
          }),
        ]),
      },
    });
  });
});

describe('the alarms', () => {
  const alarmActions = () => [ref(stack.notifications.alarmTopic.topicArn)];

  it('count a fixed set: errors and throttles per function, one per dead-letter queue and queue, two for the night', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4 + 4 + 2 + 2 + 2);
  });

  it('fire on any error of the seal function', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(stack.seal.function.functionName) }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: alarmActions(),
    });
  });

  it.each(['seal', 'relay'] as const)('fire on any message visible in the %s dead-letter queue', (which) => {
    const queue = which === 'seal' ? stack.sealDeadLetterQueue : stack.relay.deadLetterQueue;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: ref(queue.queueName) }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: alarmActions(),
    });
  });

  it('fire when the missing-seal check names any app, keeping that state until the next check', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: SEAL_RECORDED_METRIC.namespace,
      MetricName: MISSING_SEALS_METRIC,
      // Powertools adds `service` to every metric: the alarm must name the full dimension set.
      Dimensions: [{ Name: 'service', Value: 'smoke-seal' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: alarmActions(),
      OKActions: alarmActions(),
    });
  });

  it('fire when the missing-seal check has not reported for 25 hours', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MISSING_SEALS_METRIC,
      Statistic: 'SampleCount',
      Period: 3600,
      EvaluationPeriods: 25,
      DatapointsToAlarm: 25,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it("fire when a seal request waits past the night's window plus three hours", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: ref(stack.seal.queue.queueName) }],
      Threshold: (60 + 180) * 60,
      AlarmActions: alarmActions(),
    });
  });

  it('fire when the seal function is throttled or drops an asynchronous event', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(throttles, 0) + FILL(dropped, 0)' }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'AsyncEventsDropped',
              Dimensions: [{ Name: 'FunctionName', Value: ref(stack.seal.function.functionName) }],
            }),
          }),
        }),
      ]),
    });
  });
});

describe('least privilege', () => {
  it('grants no wildcard action anywhere', () => {
    const actions = policyStatements().flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses no AWS managed policy (the functions log to their own log group only)', () => {
    const roles = template.findResources('AWS::IAM::Role') as Resources;
    for (const role of Object.values(roles)) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the seal function write seals to its table and indexes by name, put evidence, publish and park', () => {
    const statements = statementsOf(stack.seal.function.role!);
    const tableArn = ref(stack.records.table.tableArn);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [
          tableArn,
          { 'Fn::Join': ['', [tableArn, '/index/byApp']] },
          { 'Fn::Join': ['', [tableArn, '/index/byRelease']] },
        ],
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [ref(stack.records.evidenceBucket.bucketArn), '/seals/*']] },
      }),
    );
    // The baseline (issue 21): read and replaced under its own prefix only.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [ref(stack.records.evidenceBucket.bucketArn), '/baselines/*']] },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Resource: ref(stack.notifications.sealTopic.topicArn),
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ref(stack.notifications.key.keyArn),
      }),
    );
    // Park a refused event; send a request back to the seal queue to wait for its start.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: [ref(stack.sealDeadLetterQueue.queueArn), ref(stack.seal.queue.queueArn)],
      }),
    );
    const actions = statements.flatMap(actionsOf);
    for (const unused of ['dynamodb:BatchGetItem', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility']) {
      expect(actions).not.toContain(unused);
    }
    const touched = statements.map((statement) => JSON.stringify(statement.Resource));
    expect(touched.join('\n')).not.toContain(
      stack.getLogicalId(stack.relay.queue.node.defaultChild as CfnElement),
    );
  });

  it('lets the relay read, claim and update seals and query one index (no put), consume its queue and read its two secrets', () => {
    const statements = statementsOf(stack.relay.function.role!);
    const tableArn = ref(stack.records.table.tableArn);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/byApp']] }],
      }),
    );
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:PutItem');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        Resource: ref(stack.relay.queue.queueArn),
      }),
    );
    const secretStatement = statements.find((statement) =>
      actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatement?.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(secretStatement?.Resource)).toMatch(/:secret:smoke-seal\/discord-\?{6}"/);
    expect(JSON.stringify(secretStatement?.Resource)).toMatch(/:secret:smoke-seal\/release-api-\?{6}"/);
    const actions = statements.flatMap(actionsOf);
    for (const unused of [
      'secretsmanager:DescribeSecret',
      'sqs:GetQueueUrl',
      'sqs:ChangeMessageVisibility',
    ]) {
      expect(actions).not.toContain(unused);
    }
    expect(statements.flatMap(actionsOf).filter((action) => /^(s3|sns|kms):/.test(action))).toEqual([]);
  });

  it('lets the schedules invoke the fan-out and the check and reach the dead-letter queue, nothing else', () => {
    const statements = statementsOf(stack.nightly.role);
    expect([...new Set(statements.flatMap(actionsOf))].sort()).toEqual([
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: [ref(stack.nightly.fanOut.functionArn), ref(stack.nightly.check.functionArn)],
      }),
    );
  });

  it('lets the fan-out send to the seal queue, and the check read seals and publish its notice, nothing else', () => {
    const own = (role: IRole) =>
      statementsOf(role)
        .flatMap(actionsOf)
        .filter((action) => !action.startsWith('logs:'));
    expect(own(stack.nightly.fanOut.role!)).toEqual(['sqs:SendMessage']);
    expect(own(stack.nightly.check.role!).sort()).toEqual([
      'dynamodb:GetItem',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sns:Publish',
    ]);
  });
});

describe('the outputs', () => {
  it.each([
    'SealTableName',
    'EvidenceBucketName',
    'SealTopicArn',
    'AlarmTopicArn',
    'SealFunctionName',
    'RelayFunctionName',
    'SealDeadLetterQueueUrl',
    'RelayDeadLetterQueueUrl',
    'DeployBusArn',
    'ReleaseToolingPolicyArn',
  ])('include %s', (output) => {
    template.hasOutput(output, { Value: Match.anyValue(), Description: Match.anyValue() });
  });
});

describe('CDK itself', () => {
  it('reports no error or warning on the stack', () => {
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('a minimal configuration', () => {
  let minimal: Template;
  beforeAll(() => {
    minimal = Template.fromStack(testStack(minimalConfig()));
  }, 300_000);

  it('takes the defaults: the default bus, 2048 MB, 120 s, 365 days, 4 at once, a 60-minute night', () => {
    minimal.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: { source: ['deploy.release-tooling'], 'detail-type': ['Release Shipped'] },
    });
    minimal.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 2048, Timeout: 120 });
    minimal.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 365 })]) },
    });
    minimal.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    minimal.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    minimal.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: (60 + 180) * 60,
    });
  });

  it('subscribes no email and grants no secret when none is configured', () => {
    minimal.resourceCountIs('AWS::SNS::Subscription', 1);
    const functions = minimal.findResources('AWS::Lambda::Function') as Resources;
    expect(JSON.stringify(functions)).not.toMatch(/SECRET_NAME/);
    const policies = minimal.findResources('AWS::IAM::Policy') as Resources;
    expect(JSON.stringify(policies)).not.toContain('secretsmanager:');
  });
});
