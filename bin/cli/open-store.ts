// The CLI's seal store: the embedded local DynamoDB (dynalite under .smoke-seal/db) unless --table names a real one.
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { startLocalDynamo } from '../../functions/adapters/local-dynamo';
import type { SealStore } from '../../functions/core/ports';
import type { StoreChoice } from './parse-command';

export interface OpenedStore {
  readonly store: SealStore;
  /** Where the seals live, for the reader: a table name or the local folder. */
  readonly where: string;
  close(): Promise<void>;
}

export async function openStore(choice: StoreChoice): Promise<OpenedStore> {
  if (choice.table) {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    return {
      store: new DynamoSealStore({ client, tableName: choice.table }),
      where: `DynamoDB table ${choice.table}`,
      close: async () => client.destroy(),
    };
  }
  const dir = join(choice.stateDir, 'db');
  const local = await startLocalDynamo({ dir });
  return {
    store: new DynamoSealStore({ client: local.client, tableName: local.tableName }),
    where: `local store ${dir}`,
    close: () => local.close(),
  };
}

/** Opens the store for one piece of work and always closes it (the local store is one process at a time). */
export async function withStore<T>(
  choice: StoreChoice,
  work: (opened: OpenedStore) => Promise<T>,
): Promise<T> {
  const opened = await openStore(choice);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
