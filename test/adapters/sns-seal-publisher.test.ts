import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsSealPublisher } from '../../functions/adapters/sns-seal-publisher';
import { DeliveryError } from '../../functions/core/errors';
import { renderEmail } from '../../functions/core/messages/render-email';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import type { Seal } from '../../functions/core/seal';
import { SealRecordedSchema } from '../../functions/core/seal-recorded';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { greenSeal, inconclusiveSeal, redSeal } from '../fixtures/sample-seals';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:seal-recorded';
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

async function publish(seal: Seal) {
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  const store = new MemorySealStore();
  await store.put(seal);
  await new SnsSealPublisher({
    client: new SNSClient({ region: 'eu-central-1' }),
    topicArn: TOPIC,
    store,
  }).publish(seal);
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

describe('SnsSealPublisher', () => {
  it('publishes the email subject, a plain-text body for email and the small JSON for the relay', async () => {
    const seal = redSeal();
    const input = await publish(seal);
    const email = renderEmail(buildSealMessage(seal));
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.MessageStructure).toBe('json');
    expect(input.Subject).toBe('RED seal: studio release 2026.06.26.1 (2 of 6 checks failed)');
    const message = JSON.parse(input.Message!);
    expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sqs']);
    expect(message.email).toBe(email.body);
    expect(message.email).toContain('git revert -m 1 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567');
    expect(message.sqs).toBe(message.default);
    expect(SealRecordedSchema.parse(JSON.parse(message.sqs))).toMatchObject({
      type: 'seal-recorded',
      sealId: seal.id,
      status: 'red',
      alert: 'red',
    });
  });

  it('sets the message attributes the email filter policy selects on', async () => {
    const input = await publish(redSeal());
    expect(input.MessageAttributes).toEqual({
      app: { DataType: 'String', StringValue: 'studio' },
      environment: { DataType: 'String', StringValue: 'production' },
      status: { DataType: 'String', StringValue: 'red' },
      trigger: { DataType: 'String', StringValue: 'release' },
      transition: { DataType: 'String', StringValue: 'broke' },
      alert: { DataType: 'String', StringValue: 'red' },
    });
  });

  it('marks a green release seal and a quiet nightly seal as alert none, an inconclusive one as inconclusive', async () => {
    expect((await publish(greenSeal())).MessageAttributes?.alert?.StringValue).toBe('none');
    sns.reset();
    const nightly = greenSeal({
      id: 'studio:nightly:2026-06-27',
      trigger: 'nightly',
      transition: 'unchanged',
    });
    expect((await publish(nightly)).MessageAttributes?.alert?.StringValue).toBe('none');
    sns.reset();
    expect((await publish(inconclusiveSeal())).MessageAttributes?.alert?.StringValue).toBe('inconclusive');
  });

  it('stays under the SNS size limit for a seal with thousands of long failures', async () => {
    const failing = Array.from({ length: 3000 }, (_, index) => ({
      ...redSeal().checks[2]!,
      name: `check-${index}`,
      error: `é${'x'.repeat(499)}`,
    }));
    const input = await publish(redSeal({ checks: failing }));
    expect(Buffer.byteLength(input.Message!) + Buffer.byteLength(input.Subject!)).toBeLessThan(256 * 1024);
    expect(JSON.parse(input.Message!).email).toContain('... and 2950 more, see the report');
  });

  it('throws a retryable DeliveryError when SNS refuses, so the seal function retries the publish', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling: Rate exceeded'));
    const store = new MemorySealStore();
    const publisher = new SnsSealPublisher({
      client: new SNSClient({ region: 'eu-central-1' }),
      topicArn: TOPIC,
      store,
    });
    const error = await publisher.publish(redSeal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toContain('Rate exceeded');
  });
});
