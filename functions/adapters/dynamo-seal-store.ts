// SealStore on DynamoDB (or dynalite locally): the store's rules (table-seal-store.ts) over the SDK
// calls (dynamo-seal-table.ts). One table, two GSIs, a per-app latest pointer; see docs/data-model.md.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSealTable } from './dynamo-seal-table';
import { TableSealStore } from './table-seal-store';

export interface DynamoSealStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days a seal is kept after its check; the per-app latest pointer never expires. @default 365 */
  readonly retentionDays?: number;
}

export class DynamoSealStore extends TableSealStore {
  constructor(options: DynamoSealStoreOptions) {
    super(new DynamoSealTable(options.client, options.tableName), { retentionDays: options.retentionDays });
  }
}
