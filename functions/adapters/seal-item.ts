// The seal table's items as plain data, no SDK: a seal to its item (keys, TTL, the seal cut to the storage
// budget), the latest pointer, and an item back to a seal. Both stores (DynamoDB, the in-memory one) use it.
import { z } from 'zod';
import { describeZodError } from '../core/describe-zod-error';
import { StoreError } from '../core/errors';
import { fitSeal, type SealCut } from '../core/fit-seal';
import { type Seal, SealSchema } from '../core/seal';
import { SEAL_TABLE, sealKeys } from './seal-table';

export type Item = Record<string, unknown>;

const { byApp, byRelease } = SEAL_TABLE.indexes;

/** The seal item, the seal as stored (cut to the budget), and its place in the app's history. */
export interface SealItem {
  readonly item: Item;
  readonly stored: Seal;
  readonly order: string;
  readonly cut: SealCut;
}

/** The latest pointer as read: it names the seal and keeps a copy for when the seal item has expired. */
export const PointerSchema = z.object({
  sealId: z.string().min(1),
  order: z.string(),
  seal: z.record(z.string(), z.unknown()),
});

/**
 * `<checkedAt ISO>#<seal id>`: fixed-width UTC, so string order is time order and ties go by id.
 * A `checkedAt` that is not a time is refused: it would misplace the seal in every listing.
 */
export function sealOrder(seal: Pick<Seal, 'id' | 'checkedAt'>): string {
  const checked = Date.parse(seal.checkedAt);
  if (Number.isNaN(checked)) {
    throw new StoreError(
      `refused to store seal "${seal.id}": checkedAt ${JSON.stringify(seal.checkedAt)} is not an ISO-8601 time`,
    );
  }
  return sealKeys.order(new Date(checked).toISOString(), seal.id);
}

/** The seal item: keys, TTL, and the seal's fields at the top level (deliveries must be a map there). */
export function toSealItem(seal: Seal, retentionSeconds: number): SealItem {
  const order = sealOrder(seal);
  const fitted = fitSeal(seal);
  // A JSON round trip drops undefined values the document client would refuse; the parse makes the
  // stored seal exactly what a read gives back, so the store never writes an item it could not read.
  const read = parseSealItem(JSON.parse(JSON.stringify(fitted.seal)) as Item);
  if ('problem' in read) throw new StoreError(`refused to store seal "${seal.id}": ${read.problem}`);
  const stored = read.seal;
  const item: Item = {
    ...stored,
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
    [SEAL_TABLE.timeToLiveAttribute]: Math.floor(Date.parse(seal.checkedAt) / 1000) + retentionSeconds,
  };
  return { item, stored, order, cut: fitted.cut };
}

/** The app's latest pointer naming this seal, with a copy of it; it never expires. */
export function toLatestItem(seal: Seal, order: string): Item {
  return {
    ...sealKeys.latest(seal.app, seal.environment),
    itemType: 'latest',
    app: seal.app,
    sealId: seal.id,
    order,
    seal,
  };
}

/** An item read back as a seal; keys, TTL and claims are stripped by the schema. */
export function parseSealItem(item: Item): { seal: Seal } | { problem: string } {
  const parsed = SealSchema.safeParse(item);
  return parsed.success ? { seal: parsed.data } : { problem: oneLine(describeZodError(parsed.error)) };
}

/** `pk="SEAL#…" sk="SEAL"`: how an item is named in errors and in a listing's `corrupt`. */
export function describeItem(item: Item): string {
  return `pk=${JSON.stringify(item.pk)} sk=${JSON.stringify(item.sk)}`;
}

function oneLine(text: string): string {
  return text.split('\n').join('; ');
}
