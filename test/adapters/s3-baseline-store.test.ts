import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3BaselineStore } from '../../functions/adapters/s3-baseline-store';
import { sampleBaseline } from '../fixtures/sample-baseline';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

/** The part of the SDK's streaming body the store uses. */
function body(bytes: Uint8Array | string) {
  const data = new Uint8Array(Buffer.from(bytes));
  // biome-ignore lint/suspicious/noExplicitAny: a stand-in for the SDK's stream mixin
  return { transformToByteArray: async () => data } as any;
}

describe('S3BaselineStore', () => {
  it('writes the pictures first and the manifest last, under baselines/<app>/<environment>/', async () => {
    const order: string[] = [];
    s3.on(PutObjectCommand).callsFake((input) => {
      order.push(input.Key);
      return {};
    });
    await new S3BaselineStore(new S3Client({}), 'evidence').write(
      sampleBaseline(),
      new Map([['home', new Uint8Array([1, 2])]]),
    );
    expect(order).toHaveLength(2);
    expect(order[0]).toMatch(/^baselines\/shop\/production\/[0-9a-f]{12}-01\.png$/);
    expect(order[1]).toBe('baselines/shop/production/baseline.json');
    const manifest = JSON.parse(s3.commandCalls(PutObjectCommand)[1]!.args[0].input.Body as string);
    expect(manifest.checks[0].screenshot).toBe(order[0]!.split('/').at(-1));
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'evidence',
      ContentType: 'image/png',
    });
  });

  it('reads the manifest and its pictures; a missing picture leaves that check without one', async () => {
    const manifest = sampleBaseline();
    manifest.checks[0]!.screenshot = 'abc-01.png';
    manifest.checks[1]!.screenshot = 'abc-02.png';
    s3.on(GetObjectCommand, { Key: 'baselines/shop/production/baseline.json' }).resolves({
      Body: body(JSON.stringify(manifest)),
    });
    s3.on(GetObjectCommand, { Key: 'baselines/shop/production/abc-01.png' }).resolves({
      Body: body(new Uint8Array([7])),
    });
    s3.on(GetObjectCommand, { Key: 'baselines/shop/production/abc-02.png' }).rejects(
      new NoSuchKey({ message: 'gone', $metadata: {} }),
    );
    const read = await new S3BaselineStore(new S3Client({}), 'evidence').read('shop', 'production');
    expect(read?.baseline.sealId).toBe('shop:release:r1');
    expect([...read!.screenshots]).toEqual([['home', new Uint8Array([7])]]);
  });

  it('has no baseline when the manifest does not exist', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'none', $metadata: {} }));
    expect(
      await new S3BaselineStore(new S3Client({}), 'evidence').read('shop', 'production'),
    ).toBeUndefined();
  });

  it('passes on other failures (the seal then says the baseline could not be read)', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(
      new S3BaselineStore(new S3Client({}), 'evidence').read('shop', 'production'),
    ).rejects.toThrow('Access Denied');
  });

  it('refuses an object larger than a baseline can be', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{}'), ContentLength: 50 * 1024 * 1024 });
    await expect(
      new S3BaselineStore(new S3Client({}), 'evidence').read('shop', 'production'),
    ).rejects.toThrow(/is 52428800 bytes, over/);
  });
});
