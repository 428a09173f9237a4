// EvidenceStore on S3: seals/<app>/<trigger>/<key>/<run>/ holds the screenshots and index.html of one run of a seal.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EvidenceStore } from '../core/ports';

export class S3EvidenceStore implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly region: string,
  ) {}

  /** The key prefix of one run's evidence; evidence keys are `app:trigger:key:run-…` (core/evidence-key.ts). */
  prefixOf(sealId: string): string {
    return `seals/${sealId.split(':').map(encodeURIComponent).join('/')}/`;
  }

  async putScreenshot(sealId: string, name: string, png: Uint8Array): Promise<string> {
    return this.put(`${this.prefixOf(sealId)}${name}`, png, 'image/png');
  }

  async putReport(sealId: string, html: string): Promise<string> {
    return this.put(`${this.prefixOf(sealId)}index.html`, html, 'text/html; charset=utf-8');
  }

  async putArtifact(sealId: string, name: string, bytes: Uint8Array, contentType: string): Promise<string> {
    return this.put(`${this.prefixOf(sealId)}${name}`, bytes, contentType);
  }

  /** Returns the S3 console link: the bucket is private, operators open evidence with their own access. */
  private async put(key: string, body: Uint8Array | string, contentType: string): Promise<string> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
    const query = new URLSearchParams({ region: this.region, prefix: key });
    return `https://s3.console.aws.amazon.com/s3/object/${this.bucket}?${query}`;
  }
}
