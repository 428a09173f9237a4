// SealStore over the seal table's items (docs/data-model.md): duplicates, the latest pointer, history
// pages, corrupt items. What it asks of a table is the small `SealTable` port: DynamoDB implements it
// with the SDK (dynamo-seal-table.ts), the tests' in-memory store with a Map, so both keep one contract.
import { describeZodError } from '../core/describe-zod-error';
import { ConfigError, StoreError } from '../core/errors';
import type { CorruptItem, HistoryPage, PutSealResult, SealStore } from '../core/ports';
import type { DeliveryChannel, DeliveryState, Seal } from '../core/seal';
import { truncateDelivery } from '../core/truncate-seal';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';
import {
  describeItem,
  type Item,
  PointerSchema,
  parseSealItem,
  sealOrder,
  toLatestItem,
  toSealItem,
} from './seal-item';
import { sealKeys } from './seal-table';

export type TableKey = { readonly pk: string; readonly sk: string };

/** A delivery claim as the table holds it: `<channel>Claim = { owner, until }` on the seal item. */
export interface DeliveryClaim {
  readonly owner: string;
  /** ISO-8601 UTC (`toISOString()`): compared as strings. */
  readonly until: string;
  readonly now: string;
}

/** What the seal store needs of a table; every failure but the ones named here is a StoreError. */
export interface SealTable {
  /** For messages: `table "smoke-seal-seals"`. */
  readonly name: string;
  /** A consistent read. */
  get(key: TableKey, what: string): Promise<Item | undefined>;
  /** Writes the item only if no item has its key; false when one does. */
  putIfAbsent(item: Item, what: string): Promise<boolean>;
  /** Writes the item if none has its key or that one's `order` is lower; false otherwise. */
  putIfNewer(item: Item, order: string, what: string): Promise<boolean>;
  /**
   * Items of one partition (of the table, or of an index), sorted by its sort key, up to `max`, starting
   * after `startAfter` (a key of that index).
   */
  query(
    partition: { index?: 'byApp' | 'byRelease'; pk: string; newestFirst: boolean },
    options: { max?: number; startAfter?: Item },
    what: string,
  ): Promise<Item[]>;
  /** Consistent reads of many keys; missing ones are absent from the answer. */
  getMany(keys: readonly TableKey[], what: string): Promise<Item[]>;
  /** Sets `deliveries.<channel>` on an existing item; false when there is no such item. */
  setDelivery(key: TableKey, channel: DeliveryChannel, state: DeliveryState, what: string): Promise<boolean>;
  /**
   * Sets `<channel>Claim` when the item exists, the channel is not delivered and holds no other owner's
   * unexpired claim, as one atomic conditional write; false otherwise.
   */
  claim(key: TableKey, channel: DeliveryChannel, claim: DeliveryClaim, what: string): Promise<boolean>;
}

export interface TableSealStoreOptions {
  /** Days a seal is kept after its check; the per-app latest pointer never expires. @default 365 */
  readonly retentionDays?: number;
}

const DEFAULT_PAGE = 25;
const MAX_PAGE = 1_000;

export class TableSealStore implements SealStore {
  private readonly retentionSeconds: number;

  constructor(
    private readonly table: SealTable,
    options: TableSealStoreOptions = {},
  ) {
    const days = options.retentionDays ?? 365;
    if (!Number.isInteger(days) || days < 1) {
      throw new ConfigError(`retentionDays: expected a whole number of days, at least 1; got ${days}`);
    }
    this.retentionSeconds = days * 86_400;
  }

  /**
   * Conditional put: the first write of an id wins; a later one returns the stored seal with `duplicate: true`.
   * Either way the app's latest pointer is moved forward to it (idempotent), so a writer that died between
   * the two writes is repaired by the redelivery. The seal is cut to the storage budget, never refused for
   * its size (functions/core/fit-seal.ts).
   */
  async put(seal: Seal): Promise<PutSealResult> {
    const { item, stored, order } = toSealItem(seal, this.retentionSeconds);
    // A seal item may expire (TTL) between the failed condition and the read: then the put is tried again.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      if (await this.table.putIfAbsent(item, `put seal "${seal.id}"`)) {
        await this.moveLatest(stored, order);
        return { seal: stored, duplicate: false };
      }
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so the existing seal is read back, consistently.
      const existing = await this.table.get(sealKeys.seal(seal.id), `read existing seal "${seal.id}"`);
      if (existing) {
        const first = this.parseOrThrow(existing);
        await this.moveLatest(first, sealOrder(first));
        return { seal: first, duplicate: true };
      }
    }
    throw new StoreError(`put seal "${seal.id}" in ${this.table.name}: the item kept vanishing; try again`);
  }

  async get(id: string): Promise<Seal | undefined> {
    const item = await this.table.get(sealKeys.seal(id), `get seal "${id}"`);
    return item ? this.parseOrThrow(item) : undefined;
  }

  /**
   * The seal item the pointer names (current deliveries); the pointer's own copy only once that item
   * has expired, since the latest seal of an app is kept for ever.
   */
  async latest(app: string, environment?: string): Promise<Seal | undefined> {
    const raw = await this.table.get(sealKeys.latest(app, environment), `get latest seal of "${app}"`);
    if (!raw) return undefined;
    const pointer = PointerSchema.safeParse(raw);
    if (!pointer.success) throw this.corruptError(describeItem(raw), describeZodError(pointer.error));
    const item = await this.table.get(
      sealKeys.seal(pointer.data.sealId),
      `get seal "${pointer.data.sealId}"`,
    );
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
    const startAfter =
      options.cursor === undefined
        ? undefined
        : decodeHistoryCursor(options.cursor, app, options.environment);
    // One item more than asked tells whether another page exists, so the last page carries no cursor.
    const items = await this.table.query(
      { index: 'byApp', pk: sealKeys.byAppPk(app, options.environment), newestFirst: true },
      { max: limit + 1, startAfter },
      `history of "${app}"`,
    );
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const cursor = items.length > limit && last ? encodeHistoryCursor(last) : undefined;
    return { ...parseAll(page), cursor };
  }

  async forRelease(app: string, releaseId: string): Promise<HistoryPage> {
    const items = await this.table.query(
      { index: 'byRelease', pk: sealKeys.byReleasePk(app, releaseId), newestFirst: true },
      {},
      `seals of release "${releaseId}" of "${app}"`,
    );
    return { ...parseAll(items), cursor: undefined };
  }

  /** One read of the pointer partition, then one read of the seals they name; sorted by app. */
  async latestOfEveryApp(): Promise<HistoryPage> {
    const pointers = await this.table.query(
      { pk: sealKeys.latestPartition, newestFirst: false },
      {},
      'latest seal of every app',
    );
    const corrupt: CorruptItem[] = [];
    const named: { raw: Item; sealId: string; copy: Item }[] = [];
    for (const raw of pointers) {
      const pointer = PointerSchema.safeParse(raw);
      if (pointer.success) named.push({ raw, sealId: pointer.data.sealId, copy: pointer.data.seal });
      else corrupt.push({ key: describeItem(raw), problem: oneLine(describeZodError(pointer.error)) });
    }
    const current = new Map<unknown, Item>();
    const found = await this.table.getMany(
      named.map((pointer) => sealKeys.seal(pointer.sealId)),
      'read latest seals',
    );
    for (const item of found) current.set(item.pk, item);
    const seals: Seal[] = [];
    for (const pointer of named) {
      const item = current.get(sealKeys.seal(pointer.sealId).pk) ?? {
        ...pointer.copy,
        pk: pointer.raw.pk,
        sk: pointer.raw.sk,
      };
      const read = parseSealItem(item);
      if ('seal' in read) seals.push(read.seal);
      else corrupt.push({ key: describeItem(item), problem: read.problem });
    }
    return { seals, corrupt, cursor: undefined };
  }

  /**
   * Sets `deliveries.<channel>` on the seal item and nothing else, so concurrent updates of different
   * channels never overwrite each other and the verdict is never rewritten.
   */
  async updateDelivery(id: string, channel: DeliveryChannel, state: DeliveryState): Promise<void> {
    const what = `update ${channel} delivery of seal "${id}"`;
    if (!(await this.table.setDelivery(sealKeys.seal(id), channel, truncateDelivery(state), what))) {
      throw new StoreError(
        `no seal "${id}" in ${this.table.name} to record its ${channel} delivery on (expired or never stored)`,
      );
    }
  }

  /** Claims one channel of a seal (docs/data-model.md, "Delivery claims"). */
  async claimDelivery(
    id: string,
    channel: DeliveryChannel,
    claim: { owner: string; until: string; now: string },
  ): Promise<boolean> {
    const what = `claim ${channel} delivery of seal "${id}"`;
    // Times are compared as strings: only the fixed-width UTC form orders like time.
    const until = isoUtc(claim.until, `${what}: until`);
    const now = isoUtc(claim.now, `${what}: now`);
    return this.table.claim(sealKeys.seal(id), channel, { owner: claim.owner, until, now }, what);
  }

  /** Moves the app's pointer to this seal unless it already names the same or a newer one. */
  private async moveLatest(seal: Seal, order: string): Promise<void> {
    // False: the pointer already names this seal or a newer one, nothing to do.
    await this.table.putIfNewer(toLatestItem(seal, order), order, `move latest pointer of "${seal.app}"`);
  }

  private parseOrThrow(item: Item): Seal {
    const read = parseSealItem(item);
    if ('problem' in read) throw this.corruptError(describeItem(item), read.problem);
    return read.seal;
  }

  private corruptError(key: string, problem: string): StoreError {
    return new StoreError(
      `corrupt item ${key} in ${this.table.name}: ${oneLine(problem)}; fix or delete the item`,
    );
  }
}

/** The seal item's attribute holding a channel's delivery claim: `discordClaim`, `releaseApiClaim`. */
export function claimAttribute(channel: DeliveryChannel): string {
  return `${channel}Claim`;
}

function parseAll(items: readonly Item[]): { seals: Seal[]; corrupt: CorruptItem[] } {
  const seals: Seal[] = [];
  const corrupt: CorruptItem[] = [];
  for (const item of items) {
    const read = parseSealItem(item);
    if ('seal' in read) seals.push(read.seal);
    else corrupt.push({ key: describeItem(item), problem: read.problem });
  }
  return { seals, corrupt };
}

function isoUtc(value: string, what: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new StoreError(`${what}: ${JSON.stringify(value)} is not an ISO-8601 time`);
  return new Date(time).toISOString();
}

function oneLine(text: string): string {
  return text.split('\n').join('; ');
}
