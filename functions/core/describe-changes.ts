// One line on what changed since the last green seal, for the CLI, Discord and the email.
import type { CheckChange, SealChanges } from './seal-changes';
import { describeTiming } from './timing-regressions';

/** Checks named in the line; the rest are counted. */
const MAX_NAMED = 5;

/**
 * `2 pages changed since the last green seal (release 2026-12-01.3): /tasks 12 % of pixels, /sign_in heading renamed`,
 * `unchanged since the last green seal (release …)`, `first seal: no green seal to compare with yet`.
 * Page text is in it (names in the ARIA diff): each channel escapes it as it escapes any page text.
 */
export function describeChanges(changes: SealChanges): string {
  if (changes.state === 'first') return 'first seal: no earlier green seal to compare with yet';
  if (changes.state === 'unavailable') {
    return `not compared with the last green seal${changes.note ? `: ${changes.note}` : ''}`;
  }
  const since = `since the last green seal${baselineName(changes)}`;
  const changed = changes.checks.filter((check) => check.changed);
  if (changed.length === 0) return `unchanged ${since}`;
  const named = changed.slice(0, MAX_NAMED).map(describeCheckChange);
  const more = changed.length > MAX_NAMED ? `, and ${changed.length - MAX_NAMED} more` : '';
  const noun = changed.length === 1 ? 'page' : 'pages';
  return `${changed.length} ${noun} changed ${since}: ${named.join(', ')}${more}`;
}

/** `/tasks 12 % of pixels and heading renamed`. */
export function describeCheckChange(change: CheckChange): string {
  const parts: string[] = [];
  if (change.visual) {
    parts.push(
      change.visual.sizeChanged
        ? `${change.visual.percent} % of pixels (size changed)`
        : `${change.visual.percent} % of pixels`,
    );
  }
  if (change.aria) parts.push(change.aria.headline);
  for (const timing of change.timings) parts.push(describeTiming(timing));
  if (change.newConsoleErrors.length > 0) {
    const n = change.newConsoleErrors.length;
    parts.push(`${n} new console error${n === 1 ? '' : 's'}`);
  }
  return `${change.path} ${parts.join(' and ')}`;
}

function baselineName(changes: SealChanges): string {
  const baseline = changes.baseline;
  if (!baseline) return '';
  const release = baseline.version ?? baseline.releaseId;
  return release ? ` (release ${release})` : ` (${baseline.checkedAt})`;
}
