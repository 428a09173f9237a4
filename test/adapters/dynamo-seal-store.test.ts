// DynamoSealStore against dynalite over its wire protocol: a fresh table per test, no mocked client.
// The store's contract (seal-store-contract.ts) runs here and against the in-memory store; what is
// DynamoDB's own (a missing table, an unreachable endpoint) is tested below it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { createSealTable } from '../../functions/adapters/seal-table';
import { StoreError } from '../../functions/core/errors';
import { makeSeal } from '../fixtures/seal-factory';
import { sealStoreContract } from './seal-store-contract';

let server: Server;
let base: DynamoDBClient;
let client: DynamoDBDocumentClient;
let tableName: string;
let tables = 0;

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
  const name = `seals-${tables}`;
  await createSealTable(base, name, { pollMs: 10 });
  return name;
}

describe('DynamoSealStore (the SealStore contract, on dynalite)', () => {
  sealStoreContract(async () => {
    const table = await freshTable();
    return {
      store: new DynamoSealStore({ client, tableName: table }),
      rawItem: async (key) =>
        (await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item,
      putRaw: async (item) => {
        await client.send(new PutCommand({ TableName: table, Item: item }));
      },
      deleteRaw: async (key) => {
        await client.send(new DeleteCommand({ TableName: table, Key: key }));
      },
      withRetention: (days) => new DynamoSealStore({ client, tableName: table, retentionDays: days }),
    };
  });
});

describe('DynamoSealStore failures', () => {
  beforeEach(async () => {
    tableName = await freshTable();
  });

  it('names the missing table and the fix', async () => {
    const lost = new DynamoSealStore({ client, tableName: 'no-such-seals' });

    const error = await lost.put(makeSeal()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/DynamoDB table "no-such-seals" does not exist/);
    expect((error as Error).message).toMatch(/create it with `cdk deploy` or run locally without --table/);
    await expect(lost.history('shop')).rejects.toThrow(/"no-such-seals" does not exist/);
  });

  it('throws a StoreError with the cause when DynamoDB cannot be reached', async () => {
    const gone = dynalite();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise((resolve) => gone.close(resolve));
    const unreachable = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const down = new DynamoSealStore({ client: DynamoDBDocumentClient.from(unreachable), tableName });

    const error = await down.get('shop:manual:x').catch((caught: unknown) => caught);
    unreachable.destroy();

    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/get seal "shop:manual:x" in table "seals-\d+" failed/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => new DynamoSealStore({ client, tableName, retentionDays: 0 })).toThrow(/retentionDays/);
  });
});
