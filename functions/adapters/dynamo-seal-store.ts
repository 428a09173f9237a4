// SealStore on DynamoDB (or dynalite locally): one table, two GSIs, a per-app latest pointer. See docs/data-model.md.
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { describeZodError } from '../core/describe-zod-error';
import { errorText } from '../core/error-text';
import { ConfigError, StoreError } from '../core/errors';
import type { CorruptItem, HistoryPage, PutSealResult, SealStore } from '../core/ports';
import { type DeliveryChannel, type DeliveryState, type Seal, SealSchema } from '../core/seal';
import { SEAL_TABLE, sealKeys } from './seal-table';
import { truncateDelivery, truncateSeal } from './truncate-seal';

export interface DynamoSealStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days a seal is kept after its check; the per-app latest pointer never expires. @default 365 */
  readonly retentionDays?: number;
}

type Item = Record<string, unknown>;

/** Above this a seal is stored with the tight text limits; DynamoDB's hard limit is 400 KB. */
const SOFT_ITEM_BYTES = 64 * 1024;
/** Refused even after tight truncation: something produced a pathological seal (thousands of checks). */
const HARD_ITEM_BYTES = 300 * 1024;
const DEFAULT_PAGE = 25;
const MAX_PAGE = 1_000;
const BATCH_GET_MAX = 100;
const { byApp, byRelease } = SEAL_TABLE.indexes;

const HistoryCursorSchema = z
  .object({
    pk: z.string(),
    sk: z.string(),
    [byApp.partitionKey.name]: z.string(),
    [byApp.sortKey.name]: z.string(),
  })
  .strict();

const PointerSchema = z.object({
  sealId: z.string().min(1),
  order: z.string(),
  seal: z.record(z.string(), z.unknown()),
});

export class DynamoSealStore implements SealStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;

  constructor(options: DynamoSealStoreOptions) {
    const days = options.retentionDays ?? 365;
    if (!Number.isInteger(days) || days < 1) {
      throw new ConfigError(`retentionDays: expected a whole number of days, at least 1; got ${days}`);
    }
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionSeconds = days * 86_400;
  }

  /**
   * Conditional put: the first write of an id wins; a later one returns the stored seal with `duplicate: true`.
   * Either way the app's latest pointer is moved forward to it (idempotent), so a writer that died between
   * the two writes is repaired by the redelivery.
   */
  async put(seal: Seal): Promise<PutSealResult> {
    const { item, stored, order } = this.sealItem(seal);
    // A seal item may expire (TTL) between the failed condition and the read: then the put is tried again.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        await this.call(`put seal "${seal.id}"`, () =>
          this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
        await this.moveLatest(stored, order);
        return { seal: stored, duplicate: false };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so the existing seal is read back, consistently.
      const existing = await this.getItem(sealKeys.seal(seal.id), `read existing seal "${seal.id}"`);
      if (existing) {
        const first = this.parseOrThrow(existing);
        await this.moveLatest(first, this.orderOf(first));
        return { seal: first, duplicate: true };
      }
    }
    throw new StoreError(
      `put seal "${seal.id}" in table "${this.tableName}": the item kept vanishing; try again`,
    );
  }

  async get(id: string): Promise<Seal | undefined> {
    const item = await this.getItem(sealKeys.seal(id), `get seal "${id}"`);
    return item ? this.parseOrThrow(item) : undefined;
  }

  /**
   * The seal item the pointer names (current deliveries); the pointer's own copy only once that item
   * has expired, since the latest seal of an app is kept for ever.
   */
  async latest(app: string, environment?: string): Promise<Seal | undefined> {
    const raw = await this.getItem(sealKeys.latest(app, environment), `get latest seal of "${app}"`);
    if (!raw) return undefined;
    const pointer = PointerSchema.safeParse(raw);
    if (!pointer.success) throw this.corruptError(describeItem(raw), describeZodError(pointer.error));
    const item = await this.getItem(sealKeys.seal(pointer.data.sealId), `get seal "${pointer.data.sealId}"`);
    return this.parseOrThrow(item ?? { ...pointer.data.seal, ...sealKeys.latest(app, environment) });
  }

  async history(
    app: string,
    options: { limit?: number; cursor?: string; environment?: string } = {},
  ): Promise<HistoryPage> {
    const limit = options.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new ConfigError(`limit: expected a whole number from 1 to ${MAX_PAGE}, got ${limit}`);
    }
    const start =
      options.cursor === undefined ? undefined : decodeCursor(options.cursor, app, options.environment);
    // One item more than asked tells whether another page exists, so the last page carries no cursor.
    const items = await this.query(
      `history of "${app}"`,
      {
        IndexName: byApp.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byApp.partitionKey.name },
        ExpressionAttributeValues: { ':pk': sealKeys.byAppPk(app, options.environment) },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      },
      limit + 1,
    );
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const cursor = items.length > limit && last ? encodeCursor(last) : undefined;
    return { ...this.parseAll(page), cursor };
  }

  async forRelease(app: string, releaseId: string): Promise<HistoryPage> {
    const items = await this.query(`seals of release "${releaseId}" of "${app}"`, {
      IndexName: byRelease.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byRelease.partitionKey.name },
      ExpressionAttributeValues: { ':pk': sealKeys.byReleasePk(app, releaseId) },
      ScanIndexForward: false,
    });
    return { ...this.parseAll(items), cursor: undefined };
  }

  /** One Query over the pointer partition, then one consistent BatchGet of the seals they name; sorted by app. */
  async latestOfEveryApp(): Promise<HistoryPage> {
    const pointers = await this.query('latest seal of every app', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': sealKeys.latestPartition },
      ConsistentRead: true,
    });
    const corrupt: CorruptItem[] = [];
    const named: { raw: Item; sealId: string; copy: Item }[] = [];
    for (const raw of pointers) {
      const pointer = PointerSchema.safeParse(raw);
      if (pointer.success) named.push({ raw, sealId: pointer.data.sealId, copy: pointer.data.seal });
      else corrupt.push({ key: describeItem(raw), problem: oneLine(describeZodError(pointer.error)) });
    }
    const current = await this.batchGetSeals(named.map((pointer) => pointer.sealId));
    const seals: Seal[] = [];
    for (const pointer of named) {
      const item = current.get(sealKeys.seal(pointer.sealId).pk) ?? {
        ...pointer.copy,
        pk: pointer.raw.pk,
        sk: pointer.raw.sk,
      };
      const parsed = SealSchema.safeParse(item);
      if (parsed.success) seals.push(parsed.data);
      else corrupt.push({ key: describeItem(item), problem: oneLine(describeZodError(parsed.error)) });
    }
    return { seals, corrupt, cursor: undefined };
  }

  /**
   * Sets `deliveries.<channel>` on the seal item and nothing else, so concurrent updates of different
   * channels never overwrite each other and the verdict is never rewritten.
   */
  async updateDelivery(id: string, channel: DeliveryChannel, state: DeliveryState): Promise<void> {
    try {
      await this.call(`update ${channel} delivery of seal "${id}"`, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sealKeys.seal(id),
            UpdateExpression: 'SET #deliveries.#channel = :state',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#deliveries': 'deliveries', '#channel': channel },
            ExpressionAttributeValues: { ':state': truncateDelivery(state) },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      throw new StoreError(
        `no seal "${id}" in table "${this.tableName}" to record its ${channel} delivery on (expired or never stored)`,
        { cause: error },
      );
    }
  }

  /**
   * One conditional UpdateItem that sets `<channel>Claim = { owner, until }` on the seal item when the seal
   * exists, the channel is not delivered, and no other owner's claim is unexpired. The claim is a top-level
   * attribute of its own, so seals stored before claims existed need no migration, and SealSchema strips it.
   */
  async claimDelivery(
    id: string,
    channel: DeliveryChannel,
    claim: { owner: string; until: string; now: string },
  ): Promise<boolean> {
    const what = `claim ${channel} delivery of seal "${id}"`;
    // Times are compared as strings: only the fixed-width UTC form orders like time.
    const until = isoUtc(claim.until, `${what}: until`);
    const now = isoUtc(claim.now, `${what}: now`);
    try {
      await this.call(what, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sealKeys.seal(id),
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
              ':claim': { owner: claim.owner, until },
              ':delivered': 'delivered',
              ':now': now,
              ':owner': claim.owner,
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      // Delivered, claimed by another owner, or no such seal: nothing to send from here.
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** The seal as an item: keys, TTL, and the seal's fields at the top level (deliveries must be a map there). */
  private sealItem(seal: Seal): { item: Item; stored: Seal; order: string } {
    const checked = Date.parse(seal.checkedAt);
    if (Number.isNaN(checked)) {
      throw new StoreError(
        `refused to store seal "${seal.id}": checkedAt ${JSON.stringify(seal.checkedAt)} is not an ISO-8601 time`,
      );
    }
    const order = sealKeys.order(new Date(checked).toISOString(), seal.id);
    const keys = {
      ...sealKeys.seal(seal.id),
      itemType: 'seal',
      [byApp.partitionKey.name]: sealKeys.byAppPk(seal.app, seal.environment),
      [byApp.sortKey.name]: order,
      ...(seal.release
        ? {
            [byRelease.partitionKey.name]: sealKeys.byReleasePk(seal.app, seal.release.releaseId),
            [byRelease.sortKey.name]: order,
          }
        : {}),
      [SEAL_TABLE.timeToLiveAttribute]: Math.floor(checked / 1000) + this.retentionSeconds,
    };
    for (const budget of ['normal', 'tight'] as const) {
      // A JSON round trip drops undefined values the document client would refuse.
      const item = JSON.parse(JSON.stringify({ ...truncateSeal(seal, budget), ...keys })) as Item;
      const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
      if (bytes <= SOFT_ITEM_BYTES || (budget === 'tight' && bytes <= HARD_ITEM_BYTES)) {
        const valid = SealSchema.safeParse(item);
        if (!valid.success) {
          throw new StoreError(
            `refused to store seal "${seal.id}": ${oneLine(describeZodError(valid.error))}`,
          );
        }
        return { item, stored: valid.data, order };
      }
    }
    throw new StoreError(
      `refused to store seal "${seal.id}": over ${HARD_ITEM_BYTES / 1024} KB even with long texts cut (${seal.checks.length} checks)`,
    );
  }

  /** Moves the app's pointer to this seal unless it already names the same or a newer one. */
  private async moveLatest(seal: Seal, order: string): Promise<void> {
    try {
      await this.call(`move latest pointer of "${seal.app}"`, () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...sealKeys.latest(seal.app, seal.environment),
              itemType: 'latest',
              app: seal.app,
              sealId: seal.id,
              order,
              seal,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #order < :order',
            ExpressionAttributeNames: { '#order': 'order' },
            ExpressionAttributeValues: { ':order': order },
          }),
        ),
      );
    } catch (error) {
      // The pointer already names this seal or a newer one: nothing to do.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private orderOf(seal: Seal): string {
    return sealKeys.order(new Date(Date.parse(seal.checkedAt)).toISOString(), seal.id);
  }

  private async getItem(key: Item, what: string): Promise<Item | undefined> {
    const output = await this.call(what, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return output.Item;
  }

  /** Follows LastEvaluatedKey until `max` items (or all of them) are in hand. */
  private async query(
    what: string,
    input: Omit<QueryCommandInput, 'TableName'>,
    max = Number.POSITIVE_INFINITY,
  ) {
    const items: Item[] = [];
    let start = input.ExclusiveStartKey;
    do {
      const remaining = max - items.length;
      const output = await this.call(what, () =>
        this.client.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
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

  private async batchGetSeals(ids: readonly string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    for (let index = 0; index < ids.length; index += BATCH_GET_MAX) {
      let keys: BatchGetCommandInput['RequestItems'] = {
        [this.tableName]: {
          Keys: ids.slice(index, index + BATCH_GET_MAX).map((id) => sealKeys.seal(id)),
          ConsistentRead: true,
        },
      };
      for (let round = 0; keys && Object.keys(keys).length > 0; round += 1) {
        if (round > 0) await sleep(Math.min(1_000, 50 * 2 ** round));
        if (round > 8)
          throw new StoreError(`table "${this.tableName}" kept some seals unprocessed; try again`);
        const request: BatchGetCommandInput['RequestItems'] = keys;
        const output: BatchGetCommandOutput = await this.call('read latest seals', () =>
          this.client.send(new BatchGetCommand({ RequestItems: request })),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) {
          if (typeof item.pk === 'string') found.set(item.pk, item);
        }
        keys = output.UnprocessedKeys;
      }
    }
    return found;
  }

  private parseAll(items: readonly Item[]): { seals: Seal[]; corrupt: CorruptItem[] } {
    const seals: Seal[] = [];
    const corrupt: CorruptItem[] = [];
    for (const item of items) {
      const parsed = SealSchema.safeParse(item);
      if (parsed.success) seals.push(parsed.data);
      else corrupt.push({ key: describeItem(item), problem: oneLine(describeZodError(parsed.error)) });
    }
    return { seals, corrupt };
  }

  private parseOrThrow(item: Item): Seal {
    const parsed = SealSchema.safeParse(item);
    if (!parsed.success) throw this.corruptError(describeItem(item), describeZodError(parsed.error));
    return parsed.data;
  }

  private corruptError(key: string, problem: string): StoreError {
    return new StoreError(
      `corrupt item ${key} in table "${this.tableName}": ${oneLine(problem)}; fix or delete the item`,
    );
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
      throw new StoreError(`seal store: ${what} in table "${this.tableName}" failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }
}

function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The seal item's attribute holding a channel's delivery claim: `discordClaim`, `releaseApiClaim`. */
function claimAttribute(channel: DeliveryChannel): string {
  return `${channel}Claim`;
}

function isoUtc(value: string, what: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new StoreError(`${what}: ${JSON.stringify(value)} is not an ISO-8601 time`);
  return new Date(time).toISOString();
}

function describeItem(item: Item): string {
  return `pk=${JSON.stringify(item.pk)} sk=${JSON.stringify(item.sk)}`;
}

function oneLine(text: string): string {
  return text.split('\n').join('; ');
}

function encodeCursor(item: Item): string {
  const names = ['pk', 'sk', byApp.partitionKey.name, byApp.sortKey.name];
  const key = Object.fromEntries(names.map((name) => [name, item[name]]));
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, app: string, environment: string | undefined): Item {
  let key: z.infer<typeof HistoryCursorSchema> | undefined;
  try {
    key = HistoryCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    key = undefined;
  }
  if (!key || key[byApp.partitionKey.name] !== sealKeys.byAppPk(app, environment)) {
    throw new ConfigError(
      `cursor: not a history cursor of app "${app}"; pass the cursor of the previous page unchanged`,
    );
  }
  return key;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
