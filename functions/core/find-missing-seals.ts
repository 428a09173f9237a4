// Which nightly apps have no seal in the last hours: the one check that replaces an alarm per app.
import type { DeployConfig } from './deploy-config';
import type { SealStore } from './ports';

/** Apps looked up at once: the store's reads, not the function's time, bound the check. */
const CONCURRENCY = 16;

/**
 * The nightly apps (in configuration order) whose newest production seal was checked before
 * `now - hours`, or that have none. A store read that fails throws: a check that could not look
 * must not read as "all sealed".
 */
export async function findMissingSeals(
  apps: DeployConfig['apps'],
  store: Pick<SealStore, 'latest'>,
  now: Date,
  hours: number,
): Promise<string[]> {
  const since = now.getTime() - hours * 3_600_000;
  const nightly = apps.filter((app) => app.nightly).map((app) => app.name);
  const missing = new Array<boolean>(nightly.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nightly.length) {
      const index = next++;
      const seal = await store.latest(nightly[index]!);
      missing[index] = !seal || Date.parse(seal.checkedAt) < since;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, nightly.length) }, worker));
  return nightly.filter((_, index) => missing[index]);
}
