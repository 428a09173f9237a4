// The cursor of an app's history: the key of a page's last item as base64url JSON, opaque to callers.
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { Item } from './seal-item';
import { SEAL_TABLE, sealKeys } from './seal-table';

const { byApp } = SEAL_TABLE.indexes;
const KEY_NAMES = ['pk', 'sk', byApp.partitionKey.name, byApp.sortKey.name] as const;

const HistoryCursorSchema = z
  .object({
    pk: z.string(),
    sk: z.string(),
    [byApp.partitionKey.name]: z.string(),
    [byApp.sortKey.name]: z.string(),
  })
  .strict();

export type HistoryKey = z.infer<typeof HistoryCursorSchema>;

/** The cursor after `item` (a seal item of the history's partition). */
export function encodeHistoryCursor(item: Item): string {
  const key = Object.fromEntries(KEY_NAMES.map((name) => [name, item[name]]));
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key to start after; a cursor that does not decode, or names another app or environment, is refused. */
export function decodeHistoryCursor(
  cursor: string,
  app: string,
  environment: string | undefined,
): HistoryKey {
  let key: HistoryKey | undefined;
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
