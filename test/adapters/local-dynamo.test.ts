// The embedded local store: dynalite in-process over LevelDB files, across close/reopen and across processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { LOCAL_SEAL_TABLE, type LocalDynamo, startLocalDynamo } from '../../functions/adapters/local-dynamo';
import { StoreError } from '../../functions/core/errors';
import { makeSeal } from '../fixtures/seal-factory';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
const opened: LocalDynamo[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'smoke-seal-local-')), 'db');
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(opened.splice(0).map((local) => local.close()));
  await rm(join(dir, '..'), { recursive: true, force: true });
});

async function open(): Promise<LocalDynamo> {
  const local = await startLocalDynamo({ dir });
  opened.push(local);
  return local;
}

function storeOf(local: LocalDynamo): DynamoSealStore {
  return new DynamoSealStore({ client: local.client, tableName: local.tableName });
}

/** Runs TypeScript in a separate Node process (as a second CLI run would), with the db directory as argv[1]. */
function spawnNode(code: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, dir], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function outputOf(child: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`child exited ${code}: ${err}`);
  return out.trim();
}

const imports = `
  import { startLocalDynamo } from ${JSON.stringify(join(root, 'functions/adapters/local-dynamo.ts'))};
  import { DynamoSealStore } from ${JSON.stringify(join(root, 'functions/adapters/dynamo-seal-store.ts'))};
  import { makeSeal } from ${JSON.stringify(join(root, 'test/fixtures/seal-factory.ts'))};
`;

describe('startLocalDynamo', () => {
  it('serves the seal table on 127.0.0.1 with no AWS environment needed', async () => {
    const local = await open();

    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.tableName).toBe(LOCAL_SEAL_TABLE);
    const { TableNames } = await local.client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual([LOCAL_SEAL_TABLE]);
  });

  it('keeps seals across close and reopen of the same directory', async () => {
    const seal = makeSeal();
    const first = await open();
    await storeOf(first).put(seal);
    await first.close();

    const second = await open();

    expect(await storeOf(second).get(seal.id)).toEqual(seal);
    expect((await storeOf(second).latest(seal.app))?.id).toBe(seal.id);
  });

  it('refuses clearly while the directory is open, and opens once it is closed', async () => {
    const first = await open();

    const error = await startLocalDynamo({ dir }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(
      `the local seal store ${dir} is in use by another running process`,
    );
    await first.close();
    await expect(open()).resolves.toBeDefined();
  });

  it('can be closed twice', async () => {
    const local = await open();
    await local.close();
    await expect(local.close()).resolves.toBeUndefined();
  });

  it('shows a seal written by one process to the next process', async () => {
    const writer = spawnNode(`${imports}
      const local = await startLocalDynamo({ dir: process.argv[1] });
      const result = await new DynamoSealStore({ client: local.client, tableName: local.tableName }).put(makeSeal());
      await local.close();
      process.stdout.write(String(result.duplicate));
    `);
    expect(await outputOf(writer)).toBe('false');

    const reader = await open();

    expect(await storeOf(reader).get(makeSeal().id)).toEqual(makeSeal());
  });

  it('tells a second process that another running process holds the store', async () => {
    const holder = spawnNode(`${imports}
      const local = await startLocalDynamo({ dir: process.argv[1] });
      process.stdout.write('ready\\n');
      process.stdin.resume();
      process.stdin.on('end', async () => { await local.close(); process.exit(0); });
    `);
    const [ready] = await once(holder.stdout!, 'data');
    expect(String(ready)).toBe('ready\n');

    await expect(startLocalDynamo({ dir })).rejects.toThrow(
      /is in use by another running process .*LOCK is held/,
    );

    holder.stdin?.end();
    await once(holder, 'exit');
    await expect(open()).resolves.toBeDefined();
  });
});
