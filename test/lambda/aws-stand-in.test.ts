import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsStandIn, MAX_MESSAGE_BYTES, startAwsStandIn } from './aws-stand-in';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:SealTopic';
let aws: AwsStandIn;
let config: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};
let queueUrl: string;

beforeAll(async () => {
  aws = await startAwsStandIn({
    buckets: ['evidence'],
    topicArns: [TOPIC],
    queues: ['DeadLetters'],
    secrets: { 'smoke-seal/token': 'value', 'smoke-seal/hook-abcdef': 'trap' },
  });
  config = {
    endpoint: aws.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  };
  queueUrl = `${aws.endpoint}/111122223333/DeadLetters`;
});
afterAll(() => aws.close());

describe('the SQS stand-in', () => {
  const sqs = () => new SQSClient(config);

  it('accepts a message with its attributes, as the SDK sends it', async () => {
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"reason":"x"}',
        MessageAttributes: { reason: { DataType: 'String', StringValue: 'x' } },
      }),
    );
    expect(aws.sent.at(-1)).toMatchObject({
      body: '{"reason":"x"}',
      attributes: { reason: { StringValue: 'x' } },
    });
  });

  it('refuses a body over 256 KiB, attributes counted, like SQS', async () => {
    const body = 'x'.repeat(MAX_MESSAGE_BYTES - 5);
    await expect(
      sqs().send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: { reason: { DataType: 'String', StringValue: 'too long' } },
        }),
      ),
    ).rejects.toThrow(/shorter than 262144 bytes/);
  });

  it('takes a batch of up to 10 with delays, and refuses 11 entries, repeated ids and a delay past 900 s, like SQS', async () => {
    const QueueUrl = `${aws.endpoint}/111122223333/DeadLetters`;
    const entries = (count: number, delay = 0) =>
      Array.from({ length: count }, (_, index) => ({
        Id: `e${index}`,
        MessageBody: `m${index}`,
        DelaySeconds: delay,
      }));
    const before = aws.sent.length;
    await sqs().send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(10, 900) }));
    expect(aws.sent.slice(before).map((message) => message.delaySeconds)).toEqual(Array(10).fill(900));
    await expect(sqs().send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(11) }))).rejects.toThrow(
      /Maximum number of entries per request are 10/,
    );
    await expect(
      sqs().send(new SendMessageBatchCommand({ QueueUrl, Entries: [...entries(1), ...entries(1)] })),
    ).rejects.toThrow(/same Id/);
    await expect(
      sqs().send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(1, 901) })),
    ).rejects.toThrow(/DelaySeconds is invalid/);
  });

  it('refuses an unknown queue and an empty attribute value', async () => {
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: `${aws.endpoint}/111122223333/Nope`, MessageBody: 'x' })),
    ).rejects.toThrow(/does not exist/);
    await expect(
      sqs().send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: { reason: { DataType: 'String', StringValue: '' } },
        }),
      ),
    ).rejects.toThrow(/non-empty/);
  });
});

describe('the SNS stand-in', () => {
  const sns = () => new SNSClient(config);

  it('records a JSON-structured message with its attributes', async () => {
    await sns().send(
      new PublishCommand({
        TopicArn: TOPIC,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'd', sqs: 's' }),
        Subject: 'Seal green',
        MessageAttributes: { status: { DataType: 'String', StringValue: 'green' } },
      }),
    );
    expect(aws.published.at(-1)).toMatchObject({
      subject: 'Seal green',
      attributes: { status: { StringValue: 'green' } },
    });
  });

  it('refuses what SNS refuses: over 256 KiB, no default entry, a bad attribute type, an unknown topic', async () => {
    const publish = (input: Partial<ConstructorParameters<typeof PublishCommand>[0]>) =>
      sns().send(new PublishCommand({ TopicArn: TOPIC, Message: 'm', ...input }));
    await expect(publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) })).rejects.toThrow(/too long/);
    await expect(publish({ MessageStructure: 'json', Message: '{"sqs":"s"}' })).rejects.toThrow(
      /No default entry/,
    );
    await expect(
      publish({ MessageAttributes: { status: { DataType: 'Text', StringValue: 'green' } } }),
    ).rejects.toThrow(/invalid message attribute type/);
    await expect(publish({ TopicArn: `${TOPIC}-other` })).rejects.toThrow(/Topic does not exist/);
  });
});

describe('the Secrets Manager stand-in', () => {
  const get = (id: string) =>
    new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: id }));
  const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}`;

  it('finds a secret by name, and by a suffix-less ARN', async () => {
    expect((await get('smoke-seal/token')).SecretString).toBe('value');
    expect((await get(arn('smoke-seal/token'))).SecretString).toBe('value');
  });

  it('misses a secret by a suffix-less ARN whose name ends in "-" and six characters, as AWS does', async () => {
    expect((await get('smoke-seal/hook-abcdef')).SecretString).toBe('trap');
    await expect(get(arn('smoke-seal/hook-abcdef'))).rejects.toThrow(/can't find the specified secret/);
  });
});

describe('the S3 stand-in', () => {
  it('records a put object and refuses an unknown bucket', async () => {
    const s3 = new S3Client(config);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'evidence',
        Key: 'seals/a/b/index.html',
        Body: '<p>',
        ContentType: 'text/html',
      }),
    );
    expect(aws.objects.at(-1)).toEqual({
      bucket: 'evidence',
      key: 'seals/a/b/index.html',
      contentType: 'text/html',
      bytes: 3,
    });
    await expect(s3.send(new PutObjectCommand({ Bucket: 'other', Key: 'k', Body: 'x' }))).rejects.toThrow(
      /does not exist/,
    );
  });
});
