// The rule on the deploy bus (existing, or created on request): each "Release Shipped" event goes to the seal queue.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';

/** EventBridge retries a failed delivery (throttling, service errors) this often... */
export const RELEASE_RETRY_ATTEMPTS = 8;
/** ...for at most this long: a seal hours after the ship is still worth having, the nightly one aside. */
export const RELEASE_MAX_EVENT_AGE = Duration.hours(2);

export interface ReleaseRuleProps {
  readonly events: DeployConfig['events'];
  /**
   * The seal queue: a busy night delays a release seal behind the cap, never drops it (a direct
   * Lambda target would be an asynchronous invoke, which Lambda may drop when it cannot keep up).
   */
  readonly sealQueue: sqs.IQueue;
  /**
   * The apps this stack seals. When their names fit in the rule's pattern (EventBridge allows 2,048
   * characters), only their events match; otherwise the seal function filters (events.foreignApps).
   */
  readonly appNames: readonly string[];
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
      eventPattern: {
        source: [props.events.source],
        detailType: [props.events.detailType],
        ...(fitsInPattern(props.appNames) ? { detail: { app: [...props.appNames] } } : {}),
      },
    });
    this.rule.addTarget(
      new targets.SqsQueue(props.sealQueue, {
        retryAttempts: RELEASE_RETRY_ATTEMPTS,
        maxEventAge: RELEASE_MAX_EVENT_AGE,
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }
}

/** EventBridge's limit on an event pattern is 2,048 characters; the source and detail-type take some. */
const APP_NAMES_IN_PATTERN_CHARS = 1_500;

function fitsInPattern(names: readonly string[]): boolean {
  return JSON.stringify(names).length <= APP_NAMES_IN_PATTERN_CHARS;
}
