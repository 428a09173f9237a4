import type { Seal, SealStatus, Transition } from './seal';

/** How a new seal relates to the app's previous one; the alert policy speaks from this. */
export function decideTransition(previous: Seal | undefined, current: SealStatus): Transition {
  if (current === 'inconclusive') return 'tooling-fault';
  if (!previous || previous.status === 'inconclusive') {
    return current === 'red' ? 'broke' : previous ? 'unchanged' : 'first';
  }
  if (previous.status === 'green') return current === 'red' ? 'broke' : 'unchanged';
  return current === 'green' ? 'recovered' : 'still-red';
}
