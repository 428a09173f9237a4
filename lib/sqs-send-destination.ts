// An on-failure destination on an SQS queue granting sqs:SendMessage only (the L2 SqsDestination grants more).
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { grantSendMessage } from './grant-send-message';

export class SqsSendDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    grantSendMessage(fn, this.queue);
    return { destination: this.queue.queueArn };
  }
}
