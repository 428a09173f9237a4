// The HTML report: proof of what production looked like at seal time. Screenshots are linked by relative name.
import type { CheckResult, Seal } from './seal';

const STATUS_COLOURS = { green: '#1a7f37', red: '#cf222e', inconclusive: '#9a6700' } as const;

export function renderReportHtml(seal: Seal): string {
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
  const refused =
    seal.refused.count > 0
      ? `<h2>Refused by the read-only guard: ${seal.refused.count}</h2><ul>${seal.refused.requests
          .map(
            (request) =>
              `<li><code>${esc(request.method)} ${esc(request.url)}</code> ×${request.count} <small>${esc(request.reason)}</small></li>`,
          )
          .join('')}</ul>`
      : '<p>The read-only guard refused no request.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${esc(seal.status.toUpperCase())} seal: ${esc(seal.app)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:.4rem;color:#fff;background:${colour};font-weight:bold}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
.passed{color:#1a7f37}.failed{color:#cf222e}.unfinished{color:#9a6700}.warn{color:#9a6700}
img{max-width:32rem;border:1px solid #d0d7de;margin:.3rem 0}pre{background:#f6f8fa;padding:.6rem}
</style></head><body>
<h1><span class="badge">${esc(seal.status.toUpperCase())}</span> ${esc(seal.app)}</h1>
<p>${esc(seal.summary)}</p>
${release}
<p>Target <code>${esc(seal.targetUrl)}</code>, checked at ${esc(seal.checkedAt)} in ${seal.durationMs} ms
(${esc(seal.trigger)} seal <code>${esc(seal.id)}</code>).</p>
${tooling}${rollback}
<h2>Checks</h2>
<table><tr><th>Check</th><th>Outcome</th><th>HTTP</th><th>Time</th><th>Detail</th></tr>
${seal.checks.map(checkRow).join('\n')}
</table>
${refused}
<h2>Screenshots</h2>
${seal.checks.map(checkShots).join('\n')}
</body></html>
`;
}

function checkRow(check: CheckResult): string {
  const retried = check.attempts.length > 1 ? ` (${check.attempts.length} attempts)` : '';
  return `<tr><td>${esc(check.name)}<br><code>${esc(check.url)}</code></td><td class="${check.outcome}">${
    check.outcome
  }${retried}</td><td>${check.httpStatus ?? '-'}</td><td>${Math.round(check.durationMs)} ms</td><td>${esc(
    check.error ?? '',
  )}${notes(check)
    .map((note) => `<br><small>${esc(note)}</small>`)
    .join('')}</td></tr>`;
}

/** Page and console errors seen on any attempt, each once, minus what the check's error already says. */
function notes(check: CheckResult): string[] {
  const seen = new Set<string>(check.error ? [check.error.replace(/^[^:]+: (?=uncaught)/, '')] : []);
  const out: string[] = [];
  for (const attempt of check.attempts) {
    for (const text of [
      ...attempt.pageErrors,
      ...attempt.consoleErrors.map((error) => `console: ${error}`),
    ]) {
      if (!seen.has(text)) out.push(text);
      seen.add(text);
    }
  }
  return out;
}

function checkShots(check: CheckResult): string {
  return check.attempts
    .map((attempt, index) =>
      attempt.screenshot
        ? `<figure><img src="${esc(attempt.screenshot)}" alt="${esc(check.name)} attempt ${index + 1}"><figcaption>${esc(
            check.name,
          )}, attempt ${index + 1}: ${attempt.outcome}</figcaption></figure>`
        : '',
    )
    .join('');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
