// A seal is one release AND one environment (issue 19): a staging-first announcement never stands in for
// production, redeliveries still make one seal, and seals stored before ids named environments still count.
// Against DynamoSealStore on dynalite, as the seal function stores them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { createSealTable } from '../../functions/adapters/seal-table';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import type { ReleaseInfo } from '../../functions/core/seal';
import { sealTrigger } from '../../functions/core/seal-trigger';
import { SpecSchema } from '../../functions/core/spec';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { RecordingPublisher } from '../fixtures/recording-publisher';
import { type ScriptedAnswer, ScriptedBrowser } from '../fixtures/scripted-browser';

const app = {
  name: 'studio',
  url: 'https://studio.example.com',
  allowedHosts: [],
  environments: { staging: 'staging.example.com', canary: 'canary.example.com' },
  spec: SpecSchema.parse({ checks: [{ kind: 'status', name: 'up', path: '/up', status: 200 }] }),
  rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
};
const release: ReleaseInfo = {
  releaseId: '2026.12.03.1',
  version: '2026.12.03.1',
  commit: 'a1b2c3d',
  mergeCommit: '9b1d4e7',
  branch: 'main',
  notesThreadId: null,
  releaseUrl: null,
};
const down: Record<string, ScriptedAnswer[]> = {
  up: [{ outcome: 'failed', afterMs: 1, error: '/up answered 500, expected 200' }],
};

let server: Server;
let base: DynamoDBClient;
let client: DynamoDBDocumentClient;
let store: DynamoSealStore;
let tables = 0;
let tick = Date.parse('2026-12-03T10:00:00Z');
function nextMinute(): Date {
  tick += 60_000;
  return new Date(tick);
}
let publisher: RecordingPublisher;
let launches = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client = DynamoDBDocumentClient.from(base);
});
afterAll(async () => {
  base.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
async function freshTable(): Promise<string> {
  tables += 1;
  const tableName = `seals-identity-${tables}`;
  await createSealTable(base, tableName, { pollMs: 10 });
  return tableName;
}

beforeEach(async () => {
  store = new DynamoSealStore({ client, tableName: await freshTable() });
  publisher = new RecordingPublisher();
  launches = 0;
});

async function announce(smokeUrl: string | undefined, answers: Record<string, ScriptedAnswer[]> = {}) {
  const launcher = new ScriptedBrowser(answers);
  const outcome = await sealTrigger(
    app,
    { trigger: 'release', release, ...(smokeUrl ? { smokeUrl } : {}) },
    {
      launcher,
      store,
      evidence: new MemoryEvidenceStore(),
      publisher,
      clock: { now: nextMinute },
    },
    5_000,
  );
  launches += launcher.launches;
  return outcome;
}

describe('seal identity: one release and one environment', () => {
  it('seals production red after the same release was sealed on staging first', async () => {
    const staging = await announce('https://staging.example.com/');
    expect(staging.seal).toMatchObject({ status: 'green', environment: 'staging' });
    const production = await announce(undefined, down);
    expect(production).toMatchObject({ duplicate: false, published: true });
    expect(production.seal).toMatchObject({ status: 'red', environment: 'production' });
    expect(production.seal.rollbackCommand).not.toBeNull();
    expect(production.seal.id).toBe('studio:release:2026.12.03.1');
    expect(staging.seal.id).toBe('studio:release:2026.12.03.1@staging');
    expect((await store.latest('studio'))?.status).toBe('red');
    expect((await store.latest('studio', 'staging'))?.status).toBe('green');
  });

  it('makes one seal per environment however often each announcement is delivered', async () => {
    await announce('https://canary.example.com/');
    await announce(undefined);
    const canaryAgain = await announce('https://canary.example.com/');
    const productionAgain = await announce(undefined);
    expect(canaryAgain).toMatchObject({ duplicate: true, published: false });
    expect(productionAgain).toMatchObject({ duplicate: true, published: false });
    expect(launches).toBe(2);
    expect(publisher.published.map((seal) => seal.environment)).toEqual(['canary', 'production']);
  });

  it('keeps a staging seal stored under the bare id (before ids named environments) from standing in for production', async () => {
    // What the table holds from before: the staging seal under the id production now uses.
    const table = store;
    store = new DynamoSealStore({ client, tableName: await freshTable() });
    const legacy = await announce('https://staging.example.com/');
    store = table;
    await store.put({ ...legacy.seal, id: 'studio:release:2026.12.03.1' });
    launches = 0;
    const stagingAgain = await announce('https://staging.example.com/');
    expect(launches).toBe(0);
    expect(stagingAgain.duplicate).toBe(true);

    const production = await announce(undefined, down);
    expect(production).toMatchObject({ duplicate: false });
    expect(production.seal).toMatchObject({ status: 'red', environment: 'production' });
    expect(production.seal.id).toBe('studio:release:2026.12.03.1@production');
    expect(await announce(undefined, down)).toMatchObject({ duplicate: true });
    // A production seal stored before this change keeps its id and is still found.
    expect((await store.get('studio:release:2026.12.03.1'))?.environment).toBe('staging');
  });
});
