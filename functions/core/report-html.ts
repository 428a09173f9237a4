// The HTML report, for the person on call: failing checks first, each with its evidence beside it.
// Screenshots are linked by relative name (the evidence folder holds the report and the pictures).
import { CHANGES_CSS, renderChangesHtml } from './changes-html';
import { groupRefused } from './group-refused';
import type { Attempt, CheckResult, Seal } from './seal';

const STATUS_COLOURS = { green: '#1a7f37', red: '#cf222e', inconclusive: '#9a6700' } as const;
const MARKS = { passed: '✓', failed: '✗', unfinished: '…', skipped: '-' } as const;

import { renderTimelineHtml, TIMELINE_CSS } from './timeline-html';

export interface ReportOptions {
  /** The app's recent seals (newest first, this one not among them): drawn as a timeline. */
  readonly history?: readonly Seal[];
}

export function renderReportHtml(seal: Seal, options: ReportOptions = {}): string {
  const colour = STATUS_COLOURS[seal.status];
  const release = seal.release
    ? `<p>Release <b>${esc(seal.release.releaseId)}</b>${seal.release.version ? ` (version ${esc(seal.release.version)})` : ''}${
        seal.release.commit ? `, commit <code>${esc(seal.release.commit)}</code>` : ''
      }</p>`
    : '';
  const rollback = seal.rollbackCommand
    ? `<h2>Rollback (not performed: an operator decides)</h2><pre>${esc(seal.rollbackCommand)}</pre>`
    : '';
  const tooling = seal.toolingError ? `<p class="warn">Checker problem: ${esc(seal.toolingError)}</p>` : '';
  const failing = seal.checks.filter((check) => check.outcome === 'failed');
  const unfinished = seal.checks.filter((check) => check.outcome === 'unfinished');
  const passed = seal.checks.filter((check) => check.outcome === 'passed');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(seal.status.toUpperCase())} seal: ${esc(seal.app)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:90rem}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:.4rem;color:#fff;background:${colour};font-weight:bold}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
.passed{color:#1a7f37}.failed{color:#cf222e}.unfinished{color:#9a6700}.warn{color:#9a6700}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.check{border:1px solid #d0d7de;border-left:.4rem solid #cf222e;border-radius:.4rem;padding:.8rem 1rem;margin:1rem 0}
.check.card-unfinished{border-left-color:#9a6700}.facts h4{margin:.8rem 0 .2rem}
.check h3{margin:.1rem 0 .6rem}.evidence{display:flex;gap:1.2rem;align-items:flex-start;flex-wrap:wrap}
.shot{flex:0 0 36rem;max-width:100%}.shot img{width:100%;border:1px solid #d0d7de}
.noshot{flex:0 0 36rem;max-width:100%;background:#f6f8fa;border:1px dashed #8c959f;padding:2rem 1rem;text-align:center;color:#57606a}
.facts{flex:1 1 28rem;min-width:0}.facts table{width:100%}.facts th{width:8rem;background:#f6f8fa}
${CHANGES_CSS}
${TIMELINE_CSS}
.url{word-break:break-all}.small{font-size:.85rem;color:#57606a}.thumb{width:12rem;border:1px solid #d0d7de;margin-top:.3rem}.thumbs img{width:12rem;border:1px solid #d0d7de;margin-right:.4rem}
</style></head><body>
<h1><span class="badge">${esc(seal.status.toUpperCase())}</span> ${esc(seal.app)}</h1>
<p>${esc(seal.summary)}</p>
${release}
<p>Target <code>${esc(seal.targetUrl)}</code>, checked at ${esc(seal.checkedAt)} in ${seal.durationMs} ms
(${esc(seal.trigger)} seal <code>${esc(seal.id)}</code>).</p>
${tooling}${rollback}
${failing.length > 0 ? `<h2>Failed checks: ${failing.length}</h2>\n${failing.map(checkCard).join('\n')}` : ''}
${unfinished.length > 0 ? `<h2>Unfinished checks: ${unfinished.length}</h2>\n${unfinished.map(checkCard).join('\n')}` : ''}
${seal.changes ? renderChangesHtml(seal.changes, seal.checks) : ''}
${passed.length > 0 ? `<h2>Passed checks: ${passed.length}</h2>\n${passedTable(passed)}` : ''}
${refusedList(seal)}
${bodyReadList(seal)}
${options.history ? `<h2>Recent seals</h2>\n${renderTimelineHtml([seal, ...options.history])}` : ''}
</body></html>
`;
}

/** A failed or unfinished check: what it said, its picture beside the facts that explain it. */
function checkCard(check: CheckResult): string {
  const decisive =
    check.attempts.findLast((attempt) => attempt.outcome === check.outcome) ?? check.attempts.at(-1);
  const retried = check.attempts.length > 1 ? ` (${check.attempts.length} attempts)` : '';
  const title = `<h3 class="${check.outcome}">${MARKS[check.outcome]} ${esc(check.name)} <code>${esc(check.path)}</code></h3>
<p><b>${esc(check.error ?? check.outcome)}</b>${retried}</p>`;
  if (!decisive)
    return `<section class="check card-${check.outcome}">${title}<p class="small">No attempt ran.</p></section>`;
  const others = check.attempts.filter((attempt) => attempt !== decisive && attempt.screenshot);
  const thumbs =
    others.length > 0
      ? `<p class="thumbs small">Other attempts: ${others
          .map(
            (attempt) =>
              `<a href="${esc(attempt.screenshot!)}"><img src="${esc(attempt.screenshot!)}" alt="${esc(check.name)}, ${esc(attempt.outcome)} attempt"></a>`,
          )
          .join('')}</p>`
      : '';
  return `<section class="check card-${check.outcome}">${title}
<div class="evidence">${picture(check, decisive)}
<div class="facts">${facts(check, decisive)}</div></div>${playwrightFiles(decisive)}${thumbs}</section>`;
}

/** Playwright's own evidence of a failed test: its error context (ARIA snapshot) and trace. */
function playwrightFiles(attempt: Attempt): string {
  const files = attempt.artifacts ?? [];
  if (files.length === 0) return '';
  const links = files.map((file) => `<a href="${esc(file.file)}">${esc(file.kind)}</a>`).join(' · ');
  const trace = files.find((file) => file.kind === 'trace');
  const how = trace ? ` Open the trace with <code>npx playwright show-trace ${esc(trace.file)}</code>.` : '';
  return `<p class="small">Playwright's evidence: ${links}.${how}</p>`;
}

function picture(check: CheckResult, attempt: Attempt): string {
  if (attempt.screenshot) {
    const full = attempt.fullPageScreenshot
      ? ` · <a href="${esc(attempt.fullPageScreenshot)}">full page</a>`
      : '';
    return `<div class="shot"><a href="${esc(attempt.screenshot)}"><img src="${esc(attempt.screenshot)}" alt="${esc(
      check.name,
    )} when it ${esc(attempt.outcome)}"></a><div class="small">Click for full size${full}</div></div>`;
  }
  const why = attempt.screenshotMissing ?? 'no screenshot was taken';
  return `<div class="noshot">No screenshot: ${esc(why)}</div>`;
}

function facts(check: CheckResult, attempt: Attempt): string {
  const rows: string[] = [
    row('URL', `<span class="url">${esc(attempt.url)}</span>`),
    row('Final URL', attempt.finalUrl ? `<span class="url">${esc(attempt.finalUrl)}</span>` : '-'),
    row('HTTP', attempt.httpStatus === null ? '-' : String(attempt.httpStatus)),
    row('Time', `${Math.round(attempt.durationMs)} ms`),
  ];
  const chain = attempt.redirectChain ?? [];
  if (chain.length > 1) {
    rows.push(
      row('Redirects', chain.map((hop) => `<div class="url">${hop.status} ${esc(hop.url)}</div>`).join('')),
    );
  }
  const failed = attempt.failedRequests ?? [];
  const failedTable =
    failed.length > 0
      ? `<h4>Failed requests: ${failed.length}</h4><table><tr><th>Method</th><th>Status</th><th>URL</th></tr>${failed
          .map(
            (request) =>
              `<tr><td>${esc(request.method)}</td><td>${request.status ?? esc(request.failure ?? 'failed')}</td><td class="url">${esc(
                request.url,
              )}</td></tr>`,
          )
          .join('')}</table>`
      : '';
  const details = attempt.pageErrorDetails ?? [];
  const errors =
    details.length > 0
      ? `<h4>Page errors: ${details.length}</h4>${details
          .map(
            (error) =>
              `<pre>${esc(error.stack ? stackWithMessage(error.message, error.stack) : error.message)}</pre>`,
          )
          .join('')}`
      : '';
  // Without stacks (older seals), page errors are notes like the console's; the check's own error is not repeated.
  const consoleNotes = notes(check).filter((note) => details.length === 0 || note.startsWith('console: '));
  const consoleList =
    consoleNotes.length > 0
      ? `<h4>Errors</h4><ul>${consoleNotes.map((note) => `<li><small>${esc(note)}</small></li>`).join('')}</ul>`
      : '';
  return `<table>${rows.join('')}</table>${failedTable}${errors}${consoleList}`;
}

/** Chromium's stack starts "Error: message"; the recorded message says "uncaught Error: message" first. */
function stackWithMessage(message: string, stack: string): string {
  return stack.includes(message.replace(/^uncaught /, '')) ? stack : `${message}\n${stack}`;
}

function row(name: string, html: string): string {
  return `<tr><th>${esc(name)}</th><td>${html}</td></tr>`;
}

function passedTable(checks: readonly CheckResult[]): string {
  return `<table><tr><th>Check</th><th>HTTP</th><th>Time</th><th>Final URL</th><th>Notes</th></tr>
${checks
  .map((check) => {
    const last = check.attempts.at(-1);
    const retried = check.attempts.length > 1 ? ` (${check.attempts.length} attempts)` : '';
    const shot = last?.screenshot
      ? `<br><a href="${esc(last.screenshot)}"><img class="thumb" src="${esc(last.screenshot)}" alt="${esc(check.name)}"></a>`
      : '';
    return `<tr><td class="passed">${MARKS.passed} ${esc(check.name)} <code>${esc(check.path)}</code>${shot}</td><td>${
      check.httpStatus ?? '-'
    }</td><td>${Math.round(check.durationMs)} ms${retried}</td><td class="url">${esc(last?.finalUrl ?? '-')}</td><td>${notes(
      check,
    )
      .map((note) => `<small>${esc(note)}</small>`)
      .join('<br>')}</td></tr>`;
  })
  .join('\n')}
</table>`;
}

function refusedList(seal: Seal): string {
  if (seal.refused.count === 0) return '<p>The read-only guard refused no request.</p>';
  const groups = groupRefused(seal.refused.requests);
  const listed = groups.reduce((sum, group) => sum + group.count, 0);
  const more = seal.refused.count > listed ? `<li>… and ${seal.refused.count - listed} more</li>` : '';
  return `<h2>Refused by the read-only guard: ${seal.refused.count}</h2><ul>${groups
    .map(
      (group) =>
        `<li><code>${esc(group.method)} ${esc(group.url)}</code>${group.count > 1 ? ` ×${group.count}` : ''}${group.reason ? ` <small>${esc(group.reason)}</small>` : ''}</li>`,
    )
    .join('')}${more}</ul>`;
}

/** Requests with a body let through as reads (GraphQL queries, `readOnly.allow` endpoints), each named. */
function bodyReadList(seal: Seal): string {
  if (!seal.bodyReads || seal.bodyReads.count === 0) return '';
  const listed = seal.bodyReads.requests.reduce((sum, read) => sum + read.count, 0);
  const more = seal.bodyReads.count > listed ? `<li>… and ${seal.bodyReads.count - listed} more</li>` : '';
  return `<h2>Let through as reads by the read-only guard: ${seal.bodyReads.count}</h2><ul>${seal.bodyReads.requests
    .map(
      (read) =>
        `<li><code>${esc(read.method)} ${esc(read.url)}</code>${read.count > 1 ? ` ×${read.count}` : ''} <small>${esc(read.reason)}</small></li>`,
    )
    .join('')}${more}</ul>`;
}

/**
 * Page and console errors seen on any attempt, each once, minus what the check's error already says.
 * A status check that got its status carries no "Failed to load resource" note: that 404 was the point.
 */
function notes(check: CheckResult): string[] {
  const seen = new Set<string>(check.error ? [check.error.replace(/^[^:]+: (?=uncaught)/, '')] : []);
  const out: string[] = [];
  const quietLoadErrors = check.kind === 'status' && check.outcome === 'passed';
  for (const attempt of check.attempts) {
    for (const text of [
      ...attempt.pageErrors,
      ...attempt.consoleErrors
        .filter((error) => !(quietLoadErrors && error.startsWith('Failed to load resource')))
        .map((error) => `console: ${error}`),
    ]) {
      if (!seen.has(text)) out.push(text);
      seen.add(text);
    }
  }
  return out;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
