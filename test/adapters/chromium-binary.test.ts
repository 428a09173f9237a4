// One decompression of the browser at a time per temp folder: a second seal never launches a half-written binary.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_LOCK, chromiumExecutable } from '../../functions/adapters/chromium-binary';

const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chromium-binary-'));
  folders.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Like @sparticuz/chromium: an existing file is taken as finished; otherwise written in two steps. */
function slowDecompress(dir: string, written: { count: number }, gate: Promise<void>) {
  const binary = join(dir, 'chromium');
  return async () => {
    if (existsSync(binary)) return binary;
    written.count++;
    await writeFile(binary, 'first half;');
    await gate;
    await appendFile(binary, 'second half');
    return binary;
  };
}

describe('chromiumExecutable', () => {
  it('makes a second caller wait for the first decompression to finish, and decompresses once', async () => {
    const dir = await folder();
    const written = { count: 0 };
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const decompress = slowDecompress(dir, written, gate);
    const first = chromiumExecutable({ dir, decompress });
    // The second starts once the first has begun writing: the moment a lock-less caller takes the half file.
    while (!existsSync(join(dir, 'chromium'))) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = chromiumExecutable({ dir, decompress }).then(async (path) => readFile(path, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    open();
    expect(await second).toBe('first half;second half');
    expect(await readFile(await first, 'utf8')).toBe('first half;second half');
    expect(written.count).toBe(1);
    expect(existsSync(join(dir, CHROMIUM_LOCK))).toBe(false);
  });

  it('throws away what a process that died mid-way left (a stale lock and a half binary) and decompresses again', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'chromium'), 'first half;');
    await mkdir(join(dir, CHROMIUM_LOCK));
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(join(dir, CHROMIUM_LOCK), longAgo, longAgo);
    const written = { count: 0 };
    const path = await chromiumExecutable({
      dir,
      decompress: slowDecompress(dir, written, Promise.resolve()),
    });
    expect(await readFile(path, 'utf8')).toBe('first half;second half');
    expect(written.count).toBe(1);
  });

  it('clears at once a fresh lock whose process is gone (a Ctrl-C while it decompressed)', async () => {
    const dir = await folder();
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(join(dir, 'chromium'), 'first half;');
    await mkdir(join(dir, CHROMIUM_LOCK));
    await writeFile(join(dir, CHROMIUM_LOCK, 'pid'), String(gone.pid));
    const written = { count: 0 };
    const path = await chromiumExecutable({
      dir,
      // Far less than the two minutes after which a lock of a live process counts as stale.
      waitMs: 10_000,
      decompress: slowDecompress(dir, written, Promise.resolve()),
    });
    expect(await readFile(path, 'utf8')).toBe('first half;second half');
    expect(written.count).toBe(1);
  });

  it('gives up on a live lock that outlasts the wait, naming the lock to remove', async () => {
    const dir = await folder();
    await mkdir(join(dir, CHROMIUM_LOCK));
    await expect(
      chromiumExecutable({ dir, waitMs: 300, decompress: async () => join(dir, 'chromium') }),
    ).rejects.toThrow(`remove ${join(dir, CHROMIUM_LOCK)}`);
  });

  it('lets two seals that start together on a fresh machine both launch the real browser', async () => {
    const dir = await folder();
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, '../fixtures/chromium-binary-child.ts')],
          { env: { ...process.env, TMPDIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          out += chunk;
        });
        child.on('close', (code) => resolve({ code, out: out.slice(-2000) }));
      });
    const first = run();
    // The second starts while the first writes the binary (as a second `smoke-seal run` would).
    const appeared = Date.now();
    while (!existsSync(join(dir, 'chromium')) && Date.now() - appeared < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = run();
    const results = await Promise.all([first, second]);
    for (const result of results) expect(result, result.out).toMatchObject({ code: 0 });
    for (const result of results) expect(result.out).toContain(`${join(dir, 'chromium')} 2`);
  }, 240_000);
});
