import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SQS_MESSAGE_BYTES, SqsDeadLetter } from '../../functions/adapters/sqs-dead-letter';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());

function sentBytes(): number[] {
  return sqs.commandCalls(SendMessageCommand).map(({ args: [{ input }] }) => {
    const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
      (sum, [name, value]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType ?? '') +
        Buffer.byteLength(value.StringValue ?? ''),
      0,
    );
    return Buffer.byteLength(input.MessageBody ?? '') + attributes;
  });
}

describe('SqsDeadLetter', () => {
  it.each([
    ['300 KB of ASCII', { detail: { app: 'a'.repeat(300_000) } }],
    ['1.2 MB of ASCII', { detail: { app: 'a'.repeat(1_200_000) } }],
    ['199,000 "€" (3 bytes each)', { detail: { app: '€'.repeat(199_000) } }],
    ['quotes and backslashes that grow when escaped', { detail: { app: '"\\'.repeat(150_000) } }],
  ])("parks %s once, within SQS's 256 KiB in UTF-8, with its reason and full size", async (_case, event) => {
    sqs.on(SendMessageCommand).resolves({});
    const reason = `detail.app: unknown app "${'€'.repeat(100_000)}"`;
    await new SqsDeadLetter(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.example/dlq').park(
      event,
      reason,
    );
    const bytes = sentBytes();
    expect(bytes).toHaveLength(1);
    expect(bytes[0]).toBeLessThanOrEqual(MAX_SQS_MESSAGE_BYTES);
    const body = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!);
    expect(body.reason).toMatch(/^detail\.app: unknown app "€/);
    expect(body.eventBytes).toBe(Buffer.byteLength(JSON.stringify(event)));
    expect(body.eventTruncated).toMatch(/… \[truncated\]$/);
  });

  it('parks a small event whole', async () => {
    sqs.on(SendMessageCommand).resolves({});
    await new SqsDeadLetter(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.example/dlq').park(
      { detail: { app: 'payroll' } },
      'detail.app: unknown app "payroll"',
    );
    const body = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!);
    expect(body).toEqual({
      reason: 'detail.app: unknown app "payroll"',
      event: { detail: { app: 'payroll' } },
    });
  });
});
