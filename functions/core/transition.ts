import type { Seal, SealStatus, Transition } from './seal';

/**
 * How a new seal relates to the app's last decisive (green or red) seal; the alert policy speaks
 * from this. Inconclusive seals are skipped when looking back, so red -> inconclusive -> green is
 * still a recovery.
 */
export function decideTransition(lastDecisive: Seal | undefined, current: SealStatus): Transition {
  if (current === 'inconclusive') return 'tooling-fault';
  if (!lastDecisive) return current === 'red' ? 'broke' : 'first';
  if (lastDecisive.status === 'green') return current === 'red' ? 'broke' : 'unchanged';
  return current === 'green' ? 'recovered' : 'still-red';
}

/** How far back to look past inconclusive seals for the last decisive one. */
export const DECISIVE_LOOKBACK = 20;
