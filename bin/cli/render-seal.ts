// Plain-text views of seals for a terminal.

import { describeChanges } from '../../functions/core/describe-changes';
import { PRODUCTION, sealEnvironment } from '../../functions/core/environment-of';
import { groupRefused } from '../../functions/core/group-refused';
import type { Seal } from '../../functions/core/seal';
import { terminalLine } from './terminal-line';

const MARKS = { passed: '✓', failed: '✗', unfinished: '…', skipped: '-' } as const;

export function renderSealTable(seal: Seal): string {
  const rows = seal.checks.map((check) => [
    MARKS[check.outcome],
    terminalLine(check.name, 80),
    terminalLine(check.path, 120),
    check.httpStatus === null ? '-' : String(check.httpStatus),
    `${Math.round(check.durationMs)} ms`,
    check.attempts.length > 1 ? `${check.attempts.length} attempts` : '',
    terminalLine(check.error ?? '', 200),
  ]);
  const lines = [
    `${seal.status.toUpperCase()} seal of ${appAndEnvironment(seal)} at ${seal.targetUrl} (${seal.id})`,
    ...alignColumns([['', 'check', 'path', 'http', 'time', 'retry', 'detail'], ...rows]),
    '',
    terminalLine(seal.summary),
  ];
  if (seal.refused.count > 0) {
    lines.push(`read-only guard refused ${seal.refused.count} request(s):`);
    for (const group of groupRefused(seal.refused.requests)) {
      const times = group.count > 1 ? ` ×${group.count}` : '';
      const reason = group.reason ? ` (${terminalLine(group.reason, 120)})` : '';
      lines.push(`  ${terminalLine(group.method, 12)} ${terminalLine(group.url, 200)}${times}${reason}`);
    }
    const listed = seal.refused.requests.reduce((sum, request) => sum + request.count, 0);
    if (listed < seal.refused.count) lines.push(`  … and ${seal.refused.count - listed} more`);
  }
  if (seal.bodyReads && seal.bodyReads.count > 0) {
    lines.push(`read-only guard let ${seal.bodyReads.count} request(s) with a body through as reads:`);
    for (const read of seal.bodyReads.requests) {
      const times = read.count > 1 ? ` ×${read.count}` : '';
      lines.push(
        `  ${terminalLine(read.method, 12)} ${terminalLine(read.url, 200)}${times} (${terminalLine(read.reason, 120)})`,
      );
    }
  }
  if (seal.toolingError && seal.status !== 'inconclusive') lines.push(`note: ${seal.toolingError}`);
  if (seal.changes) {
    lines.push(terminalLine(describeChanges(seal.changes), 500));
    if (seal.changes.commits) {
      lines.push(`commits since the last green seal: ${terminalLine(seal.changes.commits.compareUrl, 300)}`);
      for (const commit of seal.changes.commits.commits) {
        lines.push(
          `  ${commit.sha.slice(0, 12)} ${terminalLine(commit.title, 120)} (${terminalLine(commit.author, 80)})`,
        );
      }
    }
  }
  if (seal.rollbackCommand) {
    lines.push('rollback (NOT performed; paste it if you decide to roll back):', `  ${seal.rollbackCommand}`);
  }
  if (seal.evidence.reportUrl) lines.push(`report: ${seal.evidence.reportUrl}`);
  if (seal.evidence.error) lines.push(`evidence problem: ${seal.evidence.error}`);
  return lines.join('\n');
}

export function renderHistoryTable(seals: readonly Seal[]): string {
  if (seals.length === 0) return 'no seals yet';
  return alignColumns([
    ['status', 'release', 'trigger', 'checked at', 'seal id', 'summary'],
    ...seals.map((seal) => [
      seal.status,
      seal.release?.releaseId ?? '-',
      seal.trigger,
      seal.checkedAt,
      terminalLine(seal.id, 120),
      terminalLine(seal.summary, 200),
    ]),
  ]).join('\n');
}

/** The latest seal of every app, one line each. */
export function renderOverviewTable(seals: readonly Seal[]): string {
  if (seals.length === 0) return 'no seals yet';
  return alignColumns([
    ['app', 'status', 'release', 'trigger', 'checked at', 'summary'],
    ...seals.map((seal) => [
      appAndEnvironment(seal),
      seal.status,
      seal.release?.releaseId ?? '-',
      seal.trigger,
      seal.checkedAt,
      terminalLine(seal.summary, 200),
    ]),
  ]).join('\n');
}

/** `studio`, or `studio (staging)` outside production. */
function appAndEnvironment(seal: Seal): string {
  const environment = sealEnvironment(seal);
  return environment === PRODUCTION ? seal.app : `${seal.app} (${environment})`;
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}
