// sqs:SendMessage alone: `queue.grantSendMessages` adds GetQueueAttributes and GetQueueUrl, which senders that know the URL never call.
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** Lets `grantee` send to `queue` (an SQS-managed-key queue needs no KMS grant). */
export function grantSendMessage(grantee: iam.IGrantable, queue: sqs.IQueue): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
}
