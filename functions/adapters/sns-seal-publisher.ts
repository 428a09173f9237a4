// SealPublisher on the "seal recorded" SNS topic: a readable email for operators, a small JSON for the relay.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertForSeal } from '../core/alert-for-seal';
import { sealMessageAttributes } from '../core/alert-policy';
import { errorText } from '../core/error-text';
import { DeliveryError } from '../core/errors';
import { oneLine } from '../core/messages/one-line';
import { renderEmail } from '../core/messages/render-email';
import { buildSealMessage } from '../core/messages/seal-message';
import type { SealPublisher, SealStore } from '../core/ports';
import type { Seal } from '../core/seal';
import { sealRecorded } from '../core/seal-recorded';

/** SNS's limit is 256 KiB for the whole message; leave room for attributes and the JSON wrapping. */
const MAX_MESSAGE_BYTES = 240_000;

/**
 * Publishes with MessageStructure "json": the email protocol receives the plain-text body (with
 * the Subject), every other protocol (the relay's SQS queue) the SealRecorded JSON. Message
 * attributes follow the alert policy so the email subscription's filter policy picks what to send.
 */
export interface SnsSealPublisherOptions {
  readonly client: SNSClient;
  /** The "seal recorded" topic. */
  readonly topicArn: string;
  /** The app's earlier seals decide whether a still-red nightly seal repeats its alert. */
  readonly store: Pick<SealStore, 'history'>;
}

export class SnsSealPublisher implements SealPublisher {
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly store: Pick<SealStore, 'history'>;

  constructor(options: SnsSealPublisherOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.store = options.store;
  }

  async publish(seal: Seal): Promise<void> {
    const decision = await alertForSeal(seal, this.store);
    const email = renderEmail(buildSealMessage(seal));
    const relay = JSON.stringify(sealRecorded(seal, decision));
    let message = JSON.stringify({ default: relay, sqs: relay, email: email.body });
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
      const short = `${email.subject}\n\n${oneLine(seal.summary, 2000)}\n\nThe full message was too large for SNS: open the report.\n`;
      message = JSON.stringify({ default: relay, sqs: relay, email: short });
    }
    const attributes = sealMessageAttributes(seal, decision);
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          MessageStructure: 'json',
          Subject: email.subject,
          Message: message,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    } catch (error) {
      throw new DeliveryError(`SNS publish of seal ${seal.id} failed: ${errorText(error)}`, {
        retryable: true,
        cause: error,
      });
    }
  }
}
