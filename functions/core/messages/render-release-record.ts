// The Release record mirror: the body of the PATCH to the release API.
import type { SealStatus } from '../seal';
import { escapeMarkdown } from './escape-markdown';
import { NO_AUTOMATIC_ROLLBACK, type SealMessage, TOOLING_FAULT_NOTE } from './seal-message';
import { truncate } from './truncate';

export interface ReleaseRecord {
  readonly status: SealStatus;
  readonly summary: string;
  readonly checked_at: string;
  readonly report_url: string | null;
  readonly rollback_command: string | null;
  /** The short block the release tooling appends to the release notes. */
  readonly notes_markdown: string;
}

/** Release notes are for people skimming: a few lines, not the report. */
const MAX_NOTES = 2000;
const MAX_LISTED_CHECKS = 5;
/** Per failed check or tooling error, before escaping. */
const MAX_DETAIL = 200;

export function renderReleaseRecord(message: SealMessage): ReleaseRecord {
  return {
    status: message.status,
    summary: message.summary,
    checked_at: message.checkedAt,
    report_url: message.reportUrl,
    rollback_command: message.rollbackCommand,
    notes_markdown: notes(message),
  };
}

function notes(message: SealMessage): string {
  const when = `${message.checkedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const report = message.reportUrl
    ? ` [Report](${message.reportUrl.replace(/[()\s<>]/g, encodeURIComponent)})`
    : '';
  const head = `**Smoke Seal: ${message.kind.toUpperCase()}**, ${message.tally} (${message.trigger} seal, ${when}).${report}`;

  const tail: string[] = [];
  if (message.kind === 'inconclusive') {
    tail.push(
      '',
      `${TOOLING_FAULT_NOTE} What broke: ${escapeMarkdown(truncate(message.toolingError ?? '', MAX_DETAIL))}`,
    );
  }
  if (message.rollbackCommand !== null) {
    // A fence longer than any backtick run inside keeps the command exact (CommonMark).
    const longestRun = Math.max(0, ...(message.rollbackCommand.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    tail.push(
      '',
      NO_AUTOMATIC_ROLLBACK,
      'Rollback command:',
      '',
      `${fence}sh`,
      message.rollbackCommand,
      fence,
    );
  }

  // The failed checks give way first: the verdict line and the rollback command always fit.
  const checks: string[] = [];
  if (message.failedChecks.length > 0) {
    checks.push('');
    for (const check of message.failedChecks.slice(0, MAX_LISTED_CHECKS)) {
      checks.push(`- ${escapeMarkdown(check.name)}: ${escapeMarkdown(truncate(check.detail, MAX_DETAIL))}`);
    }
    const more = message.failedChecks.length - MAX_LISTED_CHECKS;
    if (more > 0) checks.push(`- … and ${more} more in the report`);
  }
  const room = MAX_NOTES - head.length - tail.join('\n').length - 1;
  const listed = checks.length > 0 ? [truncate(checks.join('\n'), Math.max(0, room))] : [];
  return [head, ...listed, ...tail].join('\n');
}
