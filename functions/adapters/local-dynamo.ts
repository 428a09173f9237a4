// The embedded local default: dynalite in-process on 127.0.0.1, its LevelDB files in a directory, the seal table in it.

import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { errorText } from '../core/error-text';
import { StoreError } from '../core/errors';
import { createSealTable } from './seal-table';

/** The table name the local store uses unless told otherwise. */
export const LOCAL_SEAL_TABLE = 'smoke-seal-seals';

export interface LocalDynamoOptions {
  /** Directory of the LevelDB files (the CLI passes `<cwd>/.smoke-seal/db`); created if missing. */
  readonly dir: string;
  /** @default LOCAL_SEAL_TABLE */
  readonly tableName?: string;
}

export interface LocalDynamo {
  /** A document client bound to the local endpoint, with dummy credentials: no AWS environment is read. */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops the server and closes the LevelDB, releasing its lock for the next process; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (a free port) over the LevelDB in `dir` and creates the seal table if missing.
 * Throws StoreError when another running process holds the database.
 */
export async function startLocalDynamo(options: LocalDynamoOptions): Promise<LocalDynamo> {
  const tableName = options.tableName ?? LOCAL_SEAL_TABLE;
  await mkdir(options.dir, { recursive: true });
  // dynalite crashes the whole process on its first request when LevelDB is locked, so look before starting it.
  await assertNotLocked(options.dir);

  const server = dynalite({ path: options.dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const base = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      base.destroy();
      await closeServer(server);
    })();
    return closing;
  };

  try {
    await createSealTable(base, tableName, { pollMs: 10 });
  } catch (error) {
    await close();
    throw error;
  }
  return { client, tableName, endpoint, close };
}

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Opens and closes the LevelDB with dynalite's own `level`, to turn a held lock into a clear error. */
async function assertNotLocked(dir: string): Promise<void> {
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (path: string) => LevelDatabase };
  const db = new Level(dir);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new StoreError(
        `the local seal store ${dir} is in use by another running process (LevelDB lock ${join(dir, 'LOCK')} is held); ` +
          'wait for that smoke-seal run to finish, then try again',
        { cause: error },
      );
    }
    throw new StoreError(`cannot open the local seal store ${dir}: ${errorText(cause ?? error)}`, {
      cause: error,
    });
  }
  await db.close();
}

function closeServer(server: Server): Promise<void> {
  // Keep-alive sockets would hold server.close() open; dynalite's close also closes the LevelDB.
  server.closeAllConnections();
  return new Promise((resolve, reject) => {
    server.close((error) =>
      error
        ? reject(new StoreError(`closing the local seal store failed: ${errorText(error)}`, { cause: error }))
        : resolve(),
    );
  });
}
