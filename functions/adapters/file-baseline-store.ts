// BaselineStore in the state folder: <root>/<app>/<environment>/baseline.json and the pictures it names.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Baseline, BaselineSchema, type StoredBaseline } from '../core/baseline';
import { describeZodError } from '../core/describe-zod-error';
import type { BaselineStore } from '../core/ports';
import { BASELINE_MANIFEST, baselineLayout } from './baseline-layout';

export class FileBaselineStore implements BaselineStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async read(app: string, environment: string): Promise<StoredBaseline | undefined> {
    const folder = join(this.root, baselineLayout.folder(app, environment));
    let text: string;
    try {
      text = await readFile(join(folder, BASELINE_MANIFEST), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = BaselineSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`${join(folder, BASELINE_MANIFEST)}: ${describeZodError(parsed.error)}`);
    }
    const screenshots = new Map<string, Uint8Array>();
    for (const check of parsed.data.checks) {
      if (!check.screenshot) continue;
      // A picture gone missing leaves that check without one; the rest still compares.
      const png = await readFile(join(folder, check.screenshot)).catch(() => null);
      if (png) screenshots.set(check.name, png);
    }
    return { baseline: parsed.data, screenshots };
  }

  async write(baseline: Baseline, screenshots: ReadonlyMap<string, Uint8Array>): Promise<void> {
    const folder = join(this.root, baselineLayout.folder(baseline.app, baseline.environment));
    await mkdir(folder, { recursive: true });
    const named = baselineLayout.withPictureNames(baseline, screenshots);
    for (const check of named.checks) {
      const png = screenshots.get(check.name);
      if (check.screenshot && png) await writeFile(join(folder, check.screenshot), png);
    }
    // The manifest last, by rename: a reader never sees half of it.
    const temporary = join(folder, `.${BASELINE_MANIFEST}.${randomBytes(4).toString('hex')}`);
    await writeFile(temporary, JSON.stringify(named));
    await rename(temporary, join(folder, BASELINE_MANIFEST));
    // Pictures of older baselines go: the folder holds one baseline.
    const kept = new Set([BASELINE_MANIFEST, ...named.checks.flatMap((check) => check.screenshot ?? [])]);
    for (const entry of await readdir(folder)) {
      if (!kept.has(entry) && entry.endsWith('.png')) await rm(join(folder, entry), { force: true });
    }
  }
}
