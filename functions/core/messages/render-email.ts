// The operators' email: an SNS subject and a plain-text body.
import { NO_AUTOMATIC_ROLLBACK, type SealMessage, TOOLING_FAULT_NOTE } from './seal-message';
import { truncate } from './truncate';

export interface RenderedEmail {
  /** ASCII, no line breaks, under 100 characters: SNS rejects anything else. */
  readonly subject: string;
  readonly body: string;
}

/** SNS: "less than 100 characters". */
export const MAX_SUBJECT = 99;
/** Far under SNS's 256 KB message limit, which the other protocols' messages share. */
export const MAX_EMAIL_BODY = 32_000;
/** Failed checks listed one by one; the rest are counted. */
const MAX_LISTED_CHECKS = 50;

export function renderEmail(message: SealMessage): RenderedEmail {
  return { subject: emailSubject(message), body: truncate(emailBody(message), MAX_EMAIL_BODY) };
}

function emailSubject(message: SealMessage): string {
  // SNS also wants the subject to begin with a letter, number or punctuation mark: the kind comes first.
  const ascii = `${message.title} (${message.tally})`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
  return truncate(ascii, MAX_SUBJECT, '...');
}

function emailBody(message: SealMessage): string {
  const lines: string[] = [`${message.title} (${message.tally})`, '', message.summary, ''];

  if (message.kind === 'red') {
    lines.push(NO_AUTOMATIC_ROLLBACK, '');
  }
  if (message.kind === 'inconclusive') {
    lines.push(TOOLING_FAULT_NOTE, '', 'What broke:', `  ${message.toolingError}`, '');
  }
  if (message.kind === 'recovered') {
    lines.push('The app passed every check again after a red seal. Nothing to do.', '');
  }

  if (message.failedChecks.length > 0) {
    lines.push('Failed checks:');
    for (const check of message.failedChecks.slice(0, MAX_LISTED_CHECKS)) {
      lines.push(`  - ${check.name} (${check.path}): ${check.detail}`);
    }
    const more = message.failedChecks.length - MAX_LISTED_CHECKS;
    if (more > 0) lines.push(`  ... and ${more} more, see the report`);
    lines.push('');
  }
  if (message.unfinishedChecks.length > 0) {
    lines.push(`Not finished before the deadline: ${message.unfinishedChecks.join(', ')}`, '');
  }

  if (message.changes !== null) lines.push('Since the last green seal:', `  ${message.changes}`, '');
  if (message.commitRange) {
    lines.push('Commits since the last green seal:', `  ${message.commitRange.compareUrl}`);
    for (const commit of message.commitRange.commits) {
      lines.push(`  - ${commit.sha.slice(0, 12)} ${commit.title} (${commit.author})`);
    }
    if (message.commitRange.more > 0) lines.push(`  ... and ${message.commitRange.more} more`);
    lines.push('');
  }

  if (message.rollbackCommand !== null) {
    lines.push('Rollback command (paste it if you decide to roll back):', `  ${message.rollbackCommand}`, '');
  } else if (message.rollbackUnavailable !== null) {
    lines.push(`No rollback command: ${message.rollbackUnavailable}`, '');
  }

  lines.push(
    `Report:     ${message.reportUrl ?? message.reportLocation ?? 'none (see the evidence note below)'}`,
  );
  if (message.release?.url) lines.push(`Release:    ${message.release.url}`);
  lines.push(
    '',
    `App:        ${message.app}`,
    `Release:    ${message.release ? releaseLine(message.release) : 'none known'}`,
    `Trigger:    ${message.trigger} (${message.transition})`,
    `Checked at: ${message.checkedAt} (took ${(message.durationMs / 1000).toFixed(1)} s)`,
    `Target:     ${message.targetUrl}`,
    `Seal id:    ${message.sealId}`,
  );
  if (message.refusedRequests > 0) {
    lines.push(`Refused:    ${message.refusedRequests} mutating requests blocked by the read-only guard`);
  }
  if (message.evidenceError !== null) lines.push(`Evidence:   incomplete: ${message.evidenceError}`);
  lines.push('', '-- ', 'Smoke Seal. What to do next: docs/runbook.md in the smoke-seal repository.');
  return `${lines.join('\n')}\n`;
}

function releaseLine(release: NonNullable<SealMessage['release']>): string {
  return release.version === null || release.version === release.id
    ? release.id
    : `${release.version} (id ${release.id})`;
}
