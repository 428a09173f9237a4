// EvidenceStore on the local disk: <root>/<seal id>:<run>/ holds the screenshots and index.html of one run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EvidenceStore } from '../core/ports';

export class FileEvidenceStore implements EvidenceStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The folder of one seal's evidence. Seal ids are made of [A-Za-z0-9:._-], safe as a folder name. */
  folderOf(sealId: string): string {
    return join(this.root, sealId.replace(/[^A-Za-z0-9:._-]/g, '_'));
  }

  async putScreenshot(sealId: string, name: string, png: Uint8Array): Promise<string> {
    const folder = this.folderOf(sealId);
    await mkdir(folder, { recursive: true });
    const path = join(folder, name);
    await writeFile(path, png);
    return path;
  }

  async putArtifact(sealId: string, name: string, bytes: Uint8Array): Promise<string> {
    return this.putScreenshot(sealId, name, bytes);
  }

  async putReport(sealId: string, html: string): Promise<string> {
    const folder = this.folderOf(sealId);
    await mkdir(folder, { recursive: true });
    const path = join(folder, 'index.html');
    await writeFile(path, html);
    return path;
  }
}
