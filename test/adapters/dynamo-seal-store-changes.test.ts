// A seal's `changes` (issue 21) survives DynamoDB: stored with the seal, read back whole, in history too.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { createSealTable } from '../../functions/adapters/seal-table';
import type { Seal } from '../../functions/core/seal';
import { makeSeal } from '../fixtures/seal-factory';

let server: Server;
let base: DynamoDBClient;
let store: DynamoSealStore;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await createSealTable(base, 'seals-changes', { pollMs: 10 });
  store = new DynamoSealStore({ client: DynamoDBDocumentClient.from(base), tableName: 'seals-changes' });
});
afterAll(async () => {
  base.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const changes: NonNullable<Seal['changes']> = {
  state: 'compared',
  note: null,
  baseline: {
    sealId: 'shop:release:r1',
    checkedAt: '2026-12-01T00:00:00.000Z',
    releaseId: 'r1',
    version: null,
    commit: 'a'.repeat(40),
  },
  checks: [
    {
      name: 'tasks',
      path: '/tasks',
      changed: true,
      note: null,
      visual: { percent: 12.5, sizeChanged: false, baseline: 'change-01-tasks-baseline.png', overlay: null },
      aria: {
        added: ['- heading "Todos"'],
        removed: ['- heading "Tasks"'],
        addedCount: 1,
        removedCount: 1,
        headline: 'heading renamed',
      },
      timings: [{ metric: 'ttfbMs', before: 12.5, now: 4_800 }],
      newConsoleErrors: [],
    },
  ],
  failOn: [],
  commits: {
    compareUrl: `https://github.com/acme/shop/compare/${'a'.repeat(40)}...${'b'.repeat(40)}`,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    commits: [{ sha: 'c'.repeat(40), title: 'Rename the heading', author: 'ada' }],
    total: 1,
    error: null,
  },
  baselineUpdated: true,
};

describe('DynamoSealStore and changes', () => {
  it('keeps a seal’s changes whole, and a seal without them without', async () => {
    const seal = makeSeal({ id: 'shop:release:r2', changes });
    await store.put(seal);
    expect((await store.get(seal.id))?.changes).toEqual(changes);
    expect((await store.history('shop')).seals[0]?.changes).toEqual(changes);
    const plain = makeSeal({ id: 'shop:release:r3', checkedAt: '2026-11-23T10:00:00.000Z' });
    await store.put(plain);
    expect((await store.get(plain.id))?.changes).toBeUndefined();
  });
});
