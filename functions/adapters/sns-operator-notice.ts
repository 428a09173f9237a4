// A notice to the operators by the alarm topic's email: the missing-seal check's list of apps.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { cutUtf8 } from '../core/cut-utf8';

export interface OperatorNotice {
  send(subject: string, text: string): Promise<void>;
}

/** SNS email subjects: at most 100 ASCII characters. */
const MAX_SUBJECT = 100;
/** Under SNS's 256 KiB message limit, with room for the envelope. */
const MAX_TEXT_BYTES = 200 * 1024;

export class SnsOperatorNotice implements OperatorNotice {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(subject: string, text: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, MAX_SUBJECT),
        Message: cutUtf8(text, MAX_TEXT_BYTES),
      }),
    );
  }
}
