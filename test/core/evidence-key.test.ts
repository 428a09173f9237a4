// Two deliveries of one event at once, production changing in between: the stored seal and its evidence agree.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileEvidenceStore } from '../../functions/adapters/file-evidence-store';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence-store';
import { evidenceKey } from '../../functions/core/evidence-key';
import type { EvidenceStore } from '../../functions/core/ports';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import { type SealRequest, sealApp } from '../../functions/core/seal-app';
import { SpecSchema } from '../../functions/core/spec';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

const request: SealRequest = {
  sealId: 'studio:release:2026.06.26.1',
  app: 'studio',
  trigger: 'release',
  baseUrl: 'https://studio.example.com/',
  appHosts: ['studio.example.com'],
  spec: SpecSchema.parse({ checks: [{ kind: 'status', name: 'up', path: '/up', status: 200 }], retries: 0 }),
  rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
  release: {
    releaseId: '2026.06.26.1',
    version: null,
    commit: 'a1b2c3d',
    mergeCommit: null,
    branch: null,
    notesThreadId: null,
    releaseUrl: null,
  },
  deadlineMs: 5_000,
};

/** The winner sees production green and finishes first; the loser sees it red, later, and finishes last. */
async function raceTwoDeliveries(evidence: EvidenceStore) {
  const store = new MemorySealStore();
  const clock = { now: () => new Date('2026-06-26T10:00:00Z') };
  const green = new ScriptedBrowser({ up: [{ outcome: 'passed', afterMs: 1 }] });
  const red = new ScriptedBrowser({ up: [{ outcome: 'failed', afterMs: 80, error: '/up answered 503' }] });
  const [first, second] = await Promise.all([
    sealApp(request, { launcher: green, store, evidence, clock }),
    sealApp(request, { launcher: red, store, evidence, clock }),
  ]);
  expect([first.duplicate, second.duplicate]).toEqual([false, true]);
  const stored = (await store.get(request.sealId))!;
  expect(stored.status).toBe('green');
  return stored;
}

describe('evidence of concurrent runs of one seal', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'smoke-seal-evidence-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the stored seal and its report in agreement, on disk', async () => {
    const stored = await raceTwoDeliveries(new FileEvidenceStore(root));
    const report = await readFile(stored.evidence.reportUrl!, 'utf8');
    expect(report).toContain('GREEN');
    expect(report).not.toContain('RED');
  });

  it('keeps the stored seal and its report in agreement, on S3', async () => {
    const s3 = mockClient(S3Client);
    const objects = new Map<string, string>();
    s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
      objects.set(input.Key, String(input.Body));
      return {};
    });
    const stored = await raceTwoDeliveries(
      new S3EvidenceStore(new S3Client({ region: 'eu-west-1' }), 'evidence', 'eu-west-1'),
    );
    const key = new URL(stored.evidence.reportUrl!).searchParams.get('prefix')!;
    expect(objects.get(key)).toContain('GREEN');
    expect(objects.get(key)).not.toContain('RED');
    expect([...objects.keys()].filter((name) => name.endsWith('index.html'))).toHaveLength(2);
    s3.restore();
  });

  it('names a run by the seal, the time it was checked and a nonce', () => {
    expect(evidenceKey('studio:release:1', new Date('2026-06-26T10:00:01.250Z'), 'abcd1234')).toBe(
      'studio:release:1:run-20260626T100001Z-abcd1234',
    );
  });
});
