// BaselineStore on S3, beside the evidence: baselines/<app>/<environment>/baseline.json and the pictures it names.
// The bucket's lifecycle rule expires these with the evidence, so a baseline lives as long as a seal does.
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Baseline, BaselineSchema, type StoredBaseline } from '../core/baseline';
import { describeZodError } from '../core/describe-zod-error';
import type { BaselineStore } from '../core/ports';
import { BASELINE_MANIFEST, baselineLayout } from './baseline-layout';

export const BASELINE_PREFIX = 'baselines/';
/** A manifest is bounded by its schema (50 checks of 16 KB of ARIA at most); past this it is not ours. */
const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
/** One viewport picture; a larger object is refused rather than held in memory. */
const MAX_PICTURE_BYTES = 8 * 1024 * 1024;

export class S3BaselineStore implements BaselineStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async read(app: string, environment: string): Promise<StoredBaseline | undefined> {
    const prefix = `${BASELINE_PREFIX}${baselineLayout.folder(app, environment)}/`;
    const manifest = await this.get(`${prefix}${BASELINE_MANIFEST}`, MAX_MANIFEST_BYTES);
    if (!manifest) return undefined;
    const parsed = BaselineSchema.safeParse(JSON.parse(Buffer.from(manifest).toString('utf8')));
    if (!parsed.success) {
      throw new Error(`s3://${this.bucket}/${prefix}${BASELINE_MANIFEST}: ${describeZodError(parsed.error)}`);
    }
    const screenshots = new Map<string, Uint8Array>();
    await Promise.all(
      parsed.data.checks.map(async (check) => {
        if (!check.screenshot) return;
        // An expired or missing picture leaves that check without one; the rest still compares.
        const png = await this.get(`${prefix}${check.screenshot}`, MAX_PICTURE_BYTES).catch(() => undefined);
        if (png) screenshots.set(check.name, png);
      }),
    );
    return { baseline: parsed.data, screenshots };
  }

  async write(baseline: Baseline, screenshots: ReadonlyMap<string, Uint8Array>): Promise<void> {
    const prefix = `${BASELINE_PREFIX}${baselineLayout.folder(baseline.app, baseline.environment)}/`;
    const named = baselineLayout.withPictureNames(baseline, screenshots);
    await Promise.all(
      named.checks.map(async (check) => {
        const png = screenshots.get(check.name);
        if (!check.screenshot || !png) return;
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: `${prefix}${check.screenshot}`,
            Body: png,
            ContentType: 'image/png',
          }),
        );
      }),
    );
    // The manifest last: a reader sees the old baseline or the new one, never a mix.
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${prefix}${BASELINE_MANIFEST}`,
        Body: JSON.stringify(named),
        ContentType: 'application/json',
      }),
    );
  }

  /** The object's bytes, undefined when it does not exist; a larger object than `max` is refused. */
  private async get(key: string, max: number): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if ((answer.ContentLength ?? 0) > max) {
        throw new Error(`s3://${this.bucket}/${key} is ${answer.ContentLength} bytes, over ${max}`);
      }
      const bytes = await answer.Body?.transformToByteArray();
      if (!bytes) return undefined;
      if (bytes.byteLength > max) throw new Error(`s3://${this.bucket}/${key} is over ${max} bytes`);
      return bytes;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
