// The rule on the deploy bus (existing, or created on request): each "Release Shipped" event invokes the seal function.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';

/** EventBridge retries a failed invoke (throttling, service errors) this often... */
export const RELEASE_RETRY_ATTEMPTS = 8;
/** ...for at most this long: a seal hours after the ship is still worth having, the nightly one aside. */
export const RELEASE_MAX_EVENT_AGE = Duration.hours(2);

export interface ReleaseRuleProps {
  readonly events: DeployConfig['events'];
  readonly sealFunction: lambda.IFunction;
  /** Events EventBridge could not deliver to the function. */
  readonly deadLetterQueue: sqs.IQueue;
}

export class ReleaseRule extends Construct {
  /**
   * The deploy bus: imported by name (the release tooling owns it, this stack only listens; it must
   * exist before the first deploy), or created here with `events.createBus`.
   */
  public readonly bus: events.IEventBus;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReleaseRuleProps) {
    super(scope, id);
    this.bus = props.events.createBus
      ? new events.EventBus(this, 'DeployBus', {
          eventBusName: props.events.busName,
          description: 'Deploy events: the release tooling announces shipped releases here',
        })
      : events.EventBus.fromEventBusName(this, 'DeployBus', props.events.busName);
    this.rule = new events.Rule(this, 'Rule', {
      description: `Smoke Seal: seal each "${props.events.detailType}" from ${props.events.source}`,
      eventBus: this.bus,
      eventPattern: { source: [props.events.source], detailType: [props.events.detailType] },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.sealFunction, {
        retryAttempts: RELEASE_RETRY_ATTEMPTS,
        maxEventAge: RELEASE_MAX_EVENT_AGE,
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }
}
