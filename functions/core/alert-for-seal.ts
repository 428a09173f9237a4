// The alert decision for a stored seal, reading the app's history only when the policy needs it.
import { type AlertDecision, decideAlert, lastAlertedAt } from './alert-policy';
import { sealEnvironment } from './environment-of';
import type { SealStore } from './ports';
import type { Seal } from './seal';

/** Pages of history read at most to find where a red streak began; beyond that the oldest seen counts. */
const MAX_HISTORY_PAGES = 4;
const PAGE_SIZE = 50;

/**
 * The same answer for the SNS publisher and for the relay: both replay the seals stored before
 * this one, which do not change once written.
 */
export async function alertForSeal(seal: Seal, store: Pick<SealStore, 'history'>): Promise<AlertDecision> {
  const needsHistory =
    seal.trigger === 'nightly' && (seal.transition === 'still-red' || seal.transition === 'tooling-fault');
  if (!needsHistory) return decideAlert(seal, null);
  return decideAlert(seal, lastAlertedAt(await earlierSeals(seal, store)));
}

async function earlierSeals(seal: Seal, store: Pick<SealStore, 'history'>): Promise<Seal[]> {
  const earlier: Seal[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const result = await store.history(seal.app, {
      limit: PAGE_SIZE,
      cursor,
      environment: sealEnvironment(seal),
    });
    for (const other of result.seals) {
      if (other.id === seal.id || other.checkedAt >= seal.checkedAt) continue;
      earlier.push(other);
      // The streak ends at the first green seal: nothing older matters.
      if (other.status === 'green') return earlier;
    }
    if (result.cursor === undefined) break;
    cursor = result.cursor;
  }
  return earlier;
}
