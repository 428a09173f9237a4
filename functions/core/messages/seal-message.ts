// One message model per seal; renderEmail, renderDiscord and renderReleaseRecord only lay it out.

import { describeChanges } from '../describe-changes';
import { PRODUCTION, sealEnvironment } from '../environment-of';
import type { Seal, SealStatus, Transition, Trigger } from '../seal';
import { oneLine } from './one-line';

/** The headline: a green seal after a red one is news of its own. */
export type MessageKind = 'green' | 'red' | 'inconclusive' | 'recovered';

export const NO_AUTOMATIC_ROLLBACK =
  'No automatic rollback was performed: Smoke Seal never rolls back, rolling back is your decision.';
export const TOOLING_FAULT_NOTE =
  'This is a fault of the checker, not a verdict on production: do not roll back because of this seal.';

/** Longest text taken from a page or an error into any message, before per-channel limits. */
const MAX_DETAIL = 500;
const MAX_SUMMARY = 1000;

export interface FailedCheck {
  readonly name: string;
  readonly path: string;
  /** Why it failed, one line, as the page or the server said it: untrusted text. */
  readonly detail: string;
}

export interface SealMessage {
  readonly kind: MessageKind;
  readonly sealId: string;
  readonly app: string;
  readonly trigger: Trigger;
  readonly status: SealStatus;
  readonly transition: Transition;
  /** `RED seal: studio release 2026.06.26.1`: status, app and what was sealed. */
  readonly title: string;
  /** `2 of 6 checks failed`, `all 6 checks passed`, `checker fault, 4 of 6 checks passed`. */
  readonly tally: string;
  /** The verdict's one-line summary (contains page-derived text). */
  readonly summary: string;
  readonly release: {
    readonly id: string;
    readonly version: string | null;
    readonly url: string | null;
  } | null;
  readonly counts: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly unfinished: number;
  };
  readonly failedChecks: readonly FailedCheck[];
  /** Names of checks the deadline cut off. */
  readonly unfinishedChecks: readonly string[];
  /** On inconclusive seals: what broke in the checker. */
  readonly toolingError: string | null;
  /** Only on red seals. */
  readonly rollbackCommand: string | null;
  /** On red seals without a command: why none could be rendered. */
  readonly rollbackUnavailable: string | null;
  /** The report as a web link (http/https), or null. */
  readonly reportUrl: string | null;
  /** The report's location when it is not a web link (a file on a laptop): shown, never linked. */
  readonly reportLocation: string | null;
  readonly evidenceError: string | null;
  readonly targetUrl: string;
  readonly checkedAt: string;
  readonly durationMs: number;
  readonly refusedRequests: number;
  /** What changed since the last green seal, one line (page text inside); null when not compared. */
  readonly changes: string | null;
  /** The commits since the last green seal (issue 21): a link built from validated SHAs, and the first titles. */
  readonly commitRange: {
    readonly compareUrl: string;
    readonly commits: readonly { readonly sha: string; readonly title: string; readonly author: string }[];
    /** Commits in the range that are not listed. */
    readonly more: number;
  } | null;
}

export function buildSealMessage(seal: Seal): SealMessage {
  const kind: MessageKind =
    seal.status === 'green' && seal.transition === 'recovered' ? 'recovered' : seal.status;
  const failed = seal.checks.filter((check) => check.outcome === 'failed');
  const unfinished = seal.checks.filter((check) => check.outcome === 'unfinished');
  const counts = {
    total: seal.checks.length,
    passed: seal.checks.filter((check) => check.outcome === 'passed').length,
    failed: failed.length,
    unfinished: unfinished.length,
  };
  const rollbackCommand = seal.status === 'red' ? seal.rollbackCommand : null;
  return {
    kind,
    sealId: seal.id,
    app: seal.app,
    trigger: seal.trigger,
    status: seal.status,
    transition: seal.transition,
    title: `${kind.toUpperCase()} seal: ${sealedThing(seal)}`,
    tally: tally(seal.status, counts),
    summary: oneLine(seal.summary, MAX_SUMMARY),
    release: seal.release
      ? {
          id: oneLine(seal.release.releaseId, 100),
          version: seal.release.version === null ? null : oneLine(seal.release.version, 100),
          url: webUrl(seal.release.releaseUrl),
        }
      : null,
    counts,
    failedChecks: failed.map((check) => ({
      name: oneLine(check.name, 100),
      path: oneLine(check.path, 200),
      detail: oneLine(check.error ?? 'failed', MAX_DETAIL),
    })),
    unfinishedChecks: unfinished.map((check) => oneLine(check.name, 100)),
    toolingError:
      seal.status === 'inconclusive'
        ? oneLine(seal.toolingError ?? 'the checker failed without saying why', MAX_DETAIL)
        : null,
    rollbackCommand,
    rollbackUnavailable:
      seal.status === 'red' && rollbackCommand === null
        ? oneLine(
            seal.release === null
              ? 'no release is known for this seal, so there is nothing to roll back to'
              : (seal.toolingError ?? 'the rollback template could not be rendered'),
            MAX_DETAIL,
          )
        : null,
    reportUrl: webUrl(seal.evidence.reportUrl),
    reportLocation:
      seal.evidence.reportUrl !== null && webUrl(seal.evidence.reportUrl) === null
        ? oneLine(seal.evidence.reportUrl, 300)
        : null,
    evidenceError: seal.evidence.error === null ? null : oneLine(seal.evidence.error, MAX_DETAIL),
    targetUrl: oneLine(seal.targetUrl, 300),
    checkedAt: seal.checkedAt,
    durationMs: seal.durationMs,
    refusedRequests: seal.refused.count,
    changes: seal.changes ? oneLine(describeChanges(seal.changes), MAX_SUMMARY) : null,
    commitRange: seal.changes?.commits
      ? {
          compareUrl: seal.changes.commits.compareUrl,
          commits: seal.changes.commits.commits.map((commit) => ({
            sha: oneLine(commit.sha, 40),
            title: oneLine(commit.title, 120),
            author: oneLine(commit.author, 80),
          })),
          more: Math.max(0, (seal.changes.commits.total ?? 0) - seal.changes.commits.commits.length),
        }
      : null,
  };
}

/** `studio release 2026.06.26.1`, `studio nightly, release 2026.06.26.1`, `studio manual`. */
function sealedThing(seal: Seal): string {
  // Production stays unnamed; any other environment is said, so staging is never read as production.
  const environment = sealEnvironment(seal);
  const app = environment === PRODUCTION ? seal.app : `${seal.app} (${environment})`;
  return sealedRelease(seal, app);
}

function sealedRelease(seal: Seal, app: string): string {
  const release = seal.release
    ? `release ${oneLine(seal.release.version ?? seal.release.releaseId, 64)}`
    : null;
  if (seal.trigger === 'release') return release ? `${app} ${release}` : `${app} release`;
  return release ? `${app} ${seal.trigger}, ${release}` : `${app} ${seal.trigger}`;
}

function tally(status: SealStatus, counts: SealMessage['counts']): string {
  const noun = counts.total === 1 ? 'check' : 'checks';
  if (status === 'red') return `${counts.failed} of ${counts.total} ${noun} failed`;
  if (status === 'green') return `all ${counts.total} ${noun} passed`;
  if (counts.total === 0) return 'checker fault, no check ran';
  return `checker fault, ${counts.passed} of ${counts.total} ${noun} passed`;
}

/** A link a person can open from a chat or an email: http(s) only, anything else is dropped. */
function webUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
