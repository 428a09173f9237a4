// The seal table on DynamoDB (or dynalite): each SealTable operation is one SDK call (or a paged few),
// its conditions as DynamoDB expressions; every SDK error becomes a StoreError naming the table.
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { errorText } from '../core/error-text';
import { StoreError } from '../core/errors';
import type { DeliveryChannel, DeliveryState } from '../core/seal';
import type { Item } from './seal-item';
import { SEAL_TABLE } from './seal-table';
import { claimAttribute, type DeliveryClaim, type SealTable, type TableKey } from './table-seal-store';

const BATCH_GET_MAX = 100;

export class DynamoSealTable implements SealTable {
  readonly name: string;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.name = `table "${tableName}"`;
  }

  async get(key: TableKey, what: string): Promise<Item | undefined> {
    const output = await this.call(what, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return output.Item;
  }

  putIfAbsent(item: Item, what: string): Promise<boolean> {
    return this.conditional(what, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  putIfNewer(item: Item, order: string, what: string): Promise<boolean> {
    return this.conditional(what, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR #order < :order',
          ExpressionAttributeNames: { '#order': 'order' },
          ExpressionAttributeValues: { ':order': order },
        }),
      ),
    );
  }

  /** Follows LastEvaluatedKey until `max` items (or all of them) are in hand. */
  async query(
    partition: { index?: 'byApp' | 'byRelease'; pk: string; newestFirst: boolean },
    options: { max?: number; startAfter?: Item },
    what: string,
  ): Promise<Item[]> {
    const max = options.max ?? Number.POSITIVE_INFINITY;
    const index = partition.index ? SEAL_TABLE.indexes[partition.index] : undefined;
    const items: Item[] = [];
    let start = options.startAfter;
    do {
      const remaining = max - items.length;
      const output = await this.call(what, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            ...(index ? { IndexName: index.indexName } : { ConsistentRead: true }),
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: {
              '#pk': index ? index.partitionKey.name : SEAL_TABLE.partitionKey.name,
            },
            ExpressionAttributeValues: { ':pk': partition.pk },
            ScanIndexForward: !partition.newestFirst,
            ExclusiveStartKey: start,
            ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
          }),
        ),
      );
      items.push(...(output.Items ?? []));
      start = output.LastEvaluatedKey;
    } while (start && items.length < max);
    return items;
  }

  /** BatchGetItem, 100 keys a call, unprocessed keys retried with backoff. */
  async getMany(keys: readonly TableKey[], what: string): Promise<Item[]> {
    const found: Item[] = [];
    for (let index = 0; index < keys.length; index += BATCH_GET_MAX) {
      let pending: BatchGetCommandInput['RequestItems'] = {
        [this.tableName]: { Keys: keys.slice(index, index + BATCH_GET_MAX), ConsistentRead: true },
      };
      for (let round = 0; pending && Object.keys(pending).length > 0; round += 1) {
        if (round > 0) await sleep(Math.min(1_000, 50 * 2 ** round));
        if (round > 8) throw new StoreError(`${this.name} kept some seals unprocessed; try again`);
        const request: BatchGetCommandInput['RequestItems'] = pending;
        const output: BatchGetCommandOutput = await this.call(what, () =>
          this.client.send(new BatchGetCommand({ RequestItems: request })),
        );
        found.push(...(output.Responses?.[this.tableName] ?? []));
        pending = output.UnprocessedKeys;
      }
    }
    return found;
  }

  setDelivery(key: TableKey, channel: DeliveryChannel, state: DeliveryState, what: string): Promise<boolean> {
    return this.conditional(what, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #deliveries.#channel = :state',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#deliveries': 'deliveries', '#channel': channel },
          ExpressionAttributeValues: { ':state': state },
        }),
      ),
    );
  }

  claim(key: TableKey, channel: DeliveryChannel, claim: DeliveryClaim, what: string): Promise<boolean> {
    return this.conditional(what, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #claim = :claim',
          ConditionExpression: [
            'attribute_exists(pk)',
            '(attribute_not_exists(#deliveries.#channel.#state) OR #deliveries.#channel.#state <> :delivered)',
            '(attribute_not_exists(#claim) OR #claim.#until <= :now OR #claim.#owner = :owner)',
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#claim': claimAttribute(channel),
            '#deliveries': 'deliveries',
            '#channel': channel,
            '#state': 'state',
            '#until': 'until',
            '#owner': 'owner',
          },
          ExpressionAttributeValues: {
            ':claim': { owner: claim.owner, until: claim.until },
            ':delivered': 'delivered',
            ':now': claim.now,
            ':owner': claim.owner,
          },
        }),
      ),
    );
  }

  /** A conditional write: true when written, false when its condition failed. */
  private async conditional(what: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(what, run);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Every SDK call goes through here: a missing table and infrastructure faults become StoreErrors. */
  private async call<Output>(what: string, run: () => Promise<Output>): Promise<Output> {
    try {
      return await run();
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw error;
      if (error instanceof Error && error.name === 'ResourceNotFoundException') {
        throw new StoreError(
          `DynamoDB table "${this.tableName}" does not exist (${what}: ${errorText(error)}); ` +
            'create it with `cdk deploy` or run locally without --table',
          { cause: error },
        );
      }
      throw new StoreError(`seal store: ${what} in ${this.name} failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
