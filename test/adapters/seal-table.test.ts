// createSealTable against dynalite: the table it makes is the one SEAL_TABLE describes (and the CDK stack deploys).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealTable, SEAL_TABLE } from '../../functions/adapters/seal-table';

let server: Server;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 50 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  client.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createSealTable', () => {
  it('creates an on-demand table with the keys and indexes of SEAL_TABLE, and waits until it is active', async () => {
    await createSealTable(client, 'seals-shape', { pollMs: 10 });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'seals-shape' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: SEAL_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: SEAL_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema?.map((key) => key.AttributeName),
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes).toEqual(
      Object.values(SEAL_TABLE.indexes).map((index) => ({
        name: index.indexName,
        keys: [index.partitionKey.name, index.sortKey.name],
        projection: 'ALL',
      })),
    );
  });

  it('does nothing when the table already exists, through the document client too', async () => {
    await createSealTable(client, 'seals-twice', { pollMs: 10 });

    await expect(
      createSealTable(DynamoDBDocumentClient.from(client), 'seals-twice'),
    ).resolves.toBeUndefined();
  });

  it('explains a name DynamoDB refuses', async () => {
    await expect(createSealTable(client, 'ab')).rejects.toThrow(
      /creating DynamoDB table "ab" failed: .*at least 3/,
    );
  });
});
