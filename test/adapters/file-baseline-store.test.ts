import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileBaselineStore } from '../../functions/adapters/file-baseline-store';
import { sampleBaseline } from '../fixtures/sample-baseline';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-baseline-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileBaselineStore', () => {
  it('has no baseline for an app never sealed green', async () => {
    expect(await new FileBaselineStore(dir).read('shop', 'production')).toBeUndefined();
  });

  it('reads back what it wrote, pictures by check name', async () => {
    const store = new FileBaselineStore(dir);
    await store.write(sampleBaseline(), new Map([['home', new Uint8Array([1, 2, 3])]]));
    const read = await store.read('shop', 'production');
    expect(read?.baseline.checks.map((check) => [check.name, check.screenshot !== null])).toEqual([
      ['home', true],
      ['tasks', false],
    ]);
    expect([...read!.screenshots].map(([name, png]) => [name, [...png]])).toEqual([['home', [1, 2, 3]]]);
  });

  it('keeps one baseline per app and environment, the old pictures removed when replaced', async () => {
    const store = new FileBaselineStore(dir);
    await store.write(sampleBaseline('shop:release:r1'), new Map([['home', new Uint8Array([1])]]));
    await store.write(sampleBaseline('shop:release:r2'), new Map([['home', new Uint8Array([2])]]));
    await store.write({ ...sampleBaseline('shop:release:s1'), environment: 'staging' }, new Map());
    const files = await readdir(join(dir, 'shop', 'production'));
    expect(files.filter((file) => file.endsWith('.png'))).toHaveLength(1);
    expect([...(await store.read('shop', 'production'))!.screenshots.get('home')!]).toEqual([2]);
    expect((await store.read('shop', 'staging'))?.baseline.sealId).toBe('shop:release:s1');
  });

  it('keeps a URL-named app inside its folder', async () => {
    const store = new FileBaselineStore(dir);
    await store.write({ ...sampleBaseline(), app: '127.0.0.1:8080/../../x' }, new Map());
    expect(await readdir(dir)).toEqual(['127.0.0.1_8080_.._.._x']);
  });

  it('refuses a manifest that is not a baseline, naming the file and the field', async () => {
    const store = new FileBaselineStore(dir);
    await store.write(sampleBaseline(), new Map());
    const file = join(dir, 'shop', 'production', 'baseline.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.checks[0].timings.lcpMs = -1;
    await writeFile(file, JSON.stringify(manifest));
    await expect(store.read('shop', 'production')).rejects.toThrow(
      /baseline\.json: checks\[0\]\.timings\.lcpMs/,
    );
  });
});
