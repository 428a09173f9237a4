// The seal table's shape, as plain data the CDK stack imports so the deployed table matches the adapter.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { errorText } from '../core/error-text';
import { StoreError } from '../core/errors';

/**
 * Keys, indexes and TTL of the seal table (see docs/data-model.md). Every key attribute is a string.
 * The names follow CDK's TableV2 props: map `type: 'S'` to `AttributeType.STRING` and
 * `projectionType: 'ALL'` to `ProjectionType.ALL`.
 */
export const SEAL_TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  /** Epoch seconds; set on seal items only, never on the per-app latest pointer. */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** An app's seals by time: history, newest first. */
    byApp: {
      indexName: 'byApp',
      partitionKey: { name: 'byAppPk', type: 'S' },
      sortKey: { name: 'byAppSk', type: 'S' },
      projectionType: 'ALL',
    },
    /** The seals of one release of one app (sparse: only seals that know their release). */
    byRelease: {
      indexName: 'byRelease',
      partitionKey: { name: 'byReleasePk', type: 'S' },
      sortKey: { name: 'byReleaseSk', type: 'S' },
      projectionType: 'ALL',
    },
  },
} as const;

/** Key values of the items in the seal table; the single place that spells them. */
export const sealKeys = {
  /** The seal item: one per seal id. */
  seal: (id: string) => ({ pk: `SEAL#${id}`, sk: 'SEAL' }),
  /** The app's latest pointer per environment; all pointers share one partition so the overview is one Query. */
  latest: (app: string, environment?: string) => ({ pk: 'LATEST', sk: appEnvironmentKey(app, environment) }),
  latestPartition: 'LATEST',
  /** Production keeps `APP#<app>` (every seal stored before environments was production); others add `#ENV#<name>`. */
  byAppPk: (app: string, environment?: string) => appEnvironmentKey(app, environment),
  byReleasePk: (app: string, releaseId: string) => `APP#${app}#REL#${releaseId}`,
  /** Sort key for "newest first": ISO-8601 UTC time, then the id so equal times still order. */
  order: (checkedAtIso: string, id: string) => `${checkedAtIso}#${id}`,
} as const;

/** App names are lower-case letters, digits and "-": `APP#studio#ENV#staging` cannot be another app's key. */
function appEnvironmentKey(app: string, environment: string | undefined): string {
  return environment === undefined || environment === 'production'
    ? `APP#${app}`
    : `APP#${app}#ENV#${environment}`;
}

type AnyDynamoClient = DynamoDBClient | DynamoDBDocumentClient;

export interface CreateSealTableOptions {
  /** How long to wait for the table to become ACTIVE. @default 60_000 */
  readonly timeoutMs?: number;
  /** Pause between status checks. @default 250 */
  readonly pollMs?: number;
}

/**
 * Creates the seal table if it does not exist and waits until it is ACTIVE; idempotent.
 * For the local store and tests: the deployed table comes from the CDK stack.
 */
export async function createSealTable(
  client: AnyDynamoClient,
  tableName: string,
  options: CreateSealTableOptions = {},
): Promise<void> {
  // The document client passes table-level commands through to the client it wraps.
  const send = client.send.bind(client) as DynamoDBClient['send'];
  const { partitionKey, sortKey, indexes } = SEAL_TABLE;
  const keyAttributes = [
    partitionKey,
    sortKey,
    ...Object.values(indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await send(
      new CreateTableCommand({
        TableName: tableName,
        // dynalite accepts PAY_PER_REQUEST as long as no ProvisionedThroughput is given, on the table or an index.
        BillingMode: SEAL_TABLE.billingMode,
        AttributeDefinitions: keyAttributes.map((key) => ({
          AttributeName: key.name,
          AttributeType: key.type,
        })),
        KeySchema: [
          { AttributeName: partitionKey.name, KeyType: 'HASH' },
          { AttributeName: sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(indexes).map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projectionType },
        })),
      }),
    );
  } catch (error) {
    if (!isNamed(error, 'ResourceInUseException')) {
      throw new StoreError(`creating DynamoDB table "${tableName}" failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }
  await waitUntilActive(send, tableName, options.timeoutMs ?? 60_000, options.pollMs ?? 250);
  try {
    await send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: SEAL_TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite has no TTL (UnknownOperationException); real DynamoDB says so when TTL is already on.
    const alreadyOn = isNamed(error, 'ValidationException') && /already enabled/i.test(errorText(error));
    if (!isNamed(error, 'UnknownOperationException') && !alreadyOn) {
      throw new StoreError(`enabling TTL on DynamoDB table "${tableName}" failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }
}

async function waitUntilActive(
  send: DynamoDBClient['send'],
  tableName: string,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await send(new DescribeTableCommand({ TableName: tableName })).catch(
      (error: unknown) => {
        throw new StoreError(`describing DynamoDB table "${tableName}" failed: ${errorText(error)}`, {
          cause: error,
        });
      },
    );
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new StoreError(
        `DynamoDB table "${tableName}" is still ${Table?.TableStatus ?? 'unknown'} after ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
