// `smoke-seal history <app> --html`: the timeline page, written under <state dir>/history/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderHistoryHtml } from '../../functions/core/history-html';
import type { Seal } from '../../functions/core/seal';

/** Returns the page's path. */
export async function writeHistoryHtml(
  stateDir: string,
  app: string,
  environment: string,
  seals: readonly Seal[],
): Promise<string> {
  const folder = resolve(stateDir, 'history');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${`${app}-${environment}`.replace(/[^A-Za-z0-9._-]/g, '_')}.html`);
  await writeFile(file, renderHistoryHtml(app, environment, seals));
  return file;
}
