// Who hears about a seal, and when; and the SNS message attributes that subscriptions filter on.
import { sealEnvironment } from './environment-of';
import type { Seal } from './seal';

/** What an alert is about. `none`: nothing for operators' inboxes (the seal may still be posted). */
export type AlertKind = 'red' | 'inconclusive' | 'recovered' | 'none';

/** The channels the policy decides over; the relay delivers discord and releaseApi, SNS the email. */
export type AlertChannel = 'email' | 'discord' | 'releaseApi';

export interface AlertDecision {
  /** The email alert this seal raises; `none` when no email goes out. Published as the `alert` attribute. */
  readonly alert: AlertKind;
  readonly email: boolean;
  readonly discord: boolean;
  readonly releaseApi: boolean;
  /** Why, in a few words, for the delivery state and the logs. */
  readonly reason: string;
}

/**
 * A still-red (or still-broken) nightly seal repeats its alert only when nothing was said about
 * the app for this long. Under 24 h on purpose: the nightly schedule fires at the same minute
 * each day, give or take a few seconds, and a 24 h window would skip every other night.
 */
export const REPEAT_QUIET_MS = 20 * 60 * 60 * 1000;

/** Names of the SNS message attributes published with every seal; the stack's filter policies use these. */
export const SEAL_ATTRIBUTE = {
  app: 'app',
  status: 'status',
  trigger: 'trigger',
  transition: 'transition',
  alert: 'alert',
  environment: 'environment',
} as const;

/** `alert` values that reach operators by email. */
export const EMAIL_ALERTS = ['red', 'inconclusive', 'recovered'] as const satisfies readonly AlertKind[];

/**
 * The email subscription's filter policy (attribute name -> allowed string values), as plain data:
 * `sns.SubscriptionFilter.stringFilter({ allowlist: [...EMAIL_ALERTS] })` on `SEAL_ATTRIBUTE.alert`.
 */
export const EMAIL_FILTER_POLICY: Readonly<Record<string, readonly string[]>> = {
  [SEAL_ATTRIBUTE.alert]: EMAIL_ALERTS,
};

/**
 * Decides which channels speak for a seal.
 * - release and manual seals (someone shipped, someone asked): always Discord and the Release
 *   record; email when red, inconclusive, or recovered from red.
 * - nightly seals: only on a change (broke, recovered); still red or still broken repeats at most
 *   once a day, judged from `lastAlertedAt` (when the app was last alerted, ISO time, or null).
 */
export function decideAlert(
  seal: Pick<Seal, 'trigger' | 'status' | 'transition' | 'checkedAt'>,
  lastAlertedAt: string | null,
): AlertDecision {
  const kind = alertKind(seal);
  if (seal.trigger !== 'nightly') {
    return speak(kind, `${seal.trigger} seals always report`);
  }
  switch (seal.transition) {
    case 'broke':
      return speak(kind, 'nightly seal went red');
    case 'recovered':
      return speak(kind, 'nightly seal recovered');
    case 'still-red':
    case 'tooling-fault': {
      const what = seal.transition === 'still-red' ? 'still red' : 'checker broken';
      if (lastAlertedAt === null) return speak(kind, `nightly seal ${what}, no earlier alert found`);
      const quietMs = Date.parse(seal.checkedAt) - Date.parse(lastAlertedAt);
      const hours = Math.round(quietMs / 3_600_000);
      if (quietMs >= REPEAT_QUIET_MS) return speak(kind, `nightly seal ${what}, last alert ${hours} h ago`);
      return silent(`nightly seal ${what}, already alerted ${hours} h ago (repeats at most once a day)`);
    }
    case 'first':
    case 'unchanged':
      return silent('nightly seal green, nothing changed');
  }
}

/**
 * When the app was last alerted before the seals that follow, replayed from its earlier seals
 * (newest first, as the store lists them). Only the current red/broken streak matters: a green
 * seal ends it. A streak longer than the history given counts from its oldest seal seen.
 */
export function lastAlertedAt(earlierNewestFirst: readonly Seal[]): string | null {
  const streak: Seal[] = [];
  for (const seal of earlierNewestFirst) {
    if (seal.status === 'green') break;
    streak.push(seal);
  }
  let last: string | null = null;
  for (const seal of streak.reverse()) {
    const decision = decideAlert(seal, last);
    if (decision.email || decision.discord) last = seal.checkedAt;
  }
  return last;
}

/** String message attributes for SNS, named by SEAL_ATTRIBUTE. */
export function sealMessageAttributes(
  seal: Pick<Seal, 'app' | 'status' | 'trigger' | 'transition' | 'environment'>,
  decision: AlertDecision,
): Record<string, string> {
  return {
    [SEAL_ATTRIBUTE.app]: seal.app,
    [SEAL_ATTRIBUTE.environment]: sealEnvironment(seal),
    [SEAL_ATTRIBUTE.status]: seal.status,
    [SEAL_ATTRIBUTE.trigger]: seal.trigger,
    [SEAL_ATTRIBUTE.transition]: seal.transition,
    [SEAL_ATTRIBUTE.alert]: decision.alert,
  };
}

function alertKind(seal: Pick<Seal, 'status' | 'transition'>): AlertKind {
  if (seal.status === 'red') return 'red';
  if (seal.status === 'inconclusive') return 'inconclusive';
  return seal.transition === 'recovered' ? 'recovered' : 'none';
}

function speak(kind: AlertKind, reason: string): AlertDecision {
  return { alert: kind, email: kind !== 'none', discord: true, releaseApi: true, reason };
}

function silent(reason: string): AlertDecision {
  return { alert: 'none', email: false, discord: false, releaseApi: false, reason };
}
