// The two SNS topics operators hear from: "seal recorded" (filtered to alerts by email) and ops alarms.
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EMAIL_FILTER_POLICY } from '../functions/core/alert-policy';

export interface NotificationsProps {
  /** Operator addresses: each gets the seal alerts and the alarms (AWS sends a confirmation first). */
  readonly operatorEmails: readonly string[];
}

/** Actions a publisher needs on the topics' key: SNS asks KMS for a data key per message. */
export const TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** What AWS documents for CloudWatch alarms publishing to an SSE-KMS topic (the key policy). */
export const CLOUDWATCH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

export class Notifications extends Construct {
  /**
   * One customer-managed key for both topics. The AWS-managed alias/aws/sns key cannot be used:
   * its key policy is fixed, and CloudWatch alarms can publish to an encrypted topic only when the
   * key policy lets cloudwatch.amazonaws.com use the key.
   */
  public readonly key: kms.Key;
  /**
   * "seal recorded": every seal, published by the seal function; the relay's queue and email subscribe.
   * Its only publisher is the seal function's role, in this account: the role's policy allows it
   * (grantPublishSeals), so the topic policy needs no Allow; no AWS service publishes here.
   */
  public readonly sealTopic: sns.Topic;
  /** CloudWatch alarms; unfiltered email, since alarm notifications carry no message attributes. */
  public readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Smoke Seal: encrypts the seal-recorded and alarm SNS topics',
      enableKeyRotation: true,
      // Only in-flight SNS messages are encrypted with it; seals are stored elsewhere.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: [...CLOUDWATCH_KEY_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    this.sealTopic = new sns.Topic(this, 'SealTopic', {
      displayName: 'Smoke Seal',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Smoke Seal alarms',
      masterKey: this.key,
      enforceSSL: true,
    });

    const filterPolicy = Object.fromEntries(
      Object.entries(EMAIL_FILTER_POLICY).map(([attribute, values]) => [
        attribute,
        sns.SubscriptionFilter.stringFilter({ allowlist: [...values] }),
      ]),
    );
    for (const email of props.operatorEmails) {
      this.sealTopic.addSubscription(new subscriptions.EmailSubscription(email, { filterPolicy }));
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /**
   * Lets CloudWatch publish this stack's alarms to the alarm topic. The topic policy that `enforceSSL`
   * writes holds only a Deny and replaces SNS's default policy, so without this Allow every alarm
   * action would fail, silently. One statement whatever the number of alarms (SNS caps a topic policy
   * at 30 KB): the account, and alarm names that start with the stack's name, as CloudFormation names
   * the alarms it creates (`<stack>-<logical id>-<suffix>`).
   */
  allowAlarmsToPublish(): void {
    const stack = Stack.of(this);
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${stack.stackName}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** Lets `grantee` (the missing-seal check) publish to the alarm topic: sns:Publish and the two key actions. */
  grantPublishNotices(grantee: iam.IGrantable): iam.Grant {
    return this.alarmTopic.grants.actions(grantee, ['sns:Publish'], { keyActions: [...TOPIC_KEY_ACTIONS] });
  }

  /** Lets `grantee` publish to the seal topic: sns:Publish on it and the two key actions, no wildcards. */
  grantPublishSeals(grantee: iam.IGrantable): iam.Grant {
    return this.sealTopic.grants.actions(grantee, ['sns:Publish'], { keyActions: [...TOPIC_KEY_ACTIONS] });
  }
}
