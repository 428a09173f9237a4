// The report's "Since the last green seal" section: baseline, now and the differing pixels side by side, the ARIA diff as text.
import { describeChanges } from './describe-changes';
import { escapeHtml as esc } from './escape-html';
import type { CheckResult } from './seal';
import type { CheckChange, SealChanges } from './seal-changes';
import { describeTiming } from './timing-regressions';

export const CHANGES_CSS = `.changes .trio{display:flex;gap:.8rem;flex-wrap:wrap}.changes figure{margin:0;flex:1 1 22rem;max-width:30rem}
.changes figure img{width:100%;border:1px solid #d0d7de}.changes figcaption{font-size:.85rem;color:#57606a}
.aria-added{color:#1a7f37}.aria-removed{color:#cf222e}.change{border:1px solid #d0d7de;border-left:.4rem solid #9a6700;border-radius:.4rem;padding:.6rem 1rem;margin:1rem 0}`;

export function renderChangesHtml(changes: SealChanges, checks: readonly CheckResult[]): string {
  const headline = `<p><b>${esc(describeChanges(changes))}</b></p>`;
  const failOn =
    changes.failOn.length > 0
      ? `<p class="failed">Red because apps[].baseline.failOn asks: ${changes.failOn.map(esc).join('; ')}</p>`
      : '';
  const baseline = changes.baseline
    ? `<p class="small">Baseline: seal <code>${esc(changes.baseline.sealId)}</code> of ${esc(changes.baseline.checkedAt)}${
        changes.baseline.commit ? `, commit <code>${esc(changes.baseline.commit)}</code>` : ''
      }.</p>`
    : '';
  const note = changes.note ? `<p class="small">${esc(changes.note)}</p>` : '';
  const changed = changes.checks.filter((check) => check.changed);
  const unchanged = changes.checks.filter((check) => !check.changed);
  const unchangedList =
    unchanged.length > 0
      ? `<p class="small">Unchanged: ${unchanged
          .map((check) => `<code>${esc(check.path)}</code>${check.note ? ` (${esc(check.note)})` : ''}`)
          .join(', ')}</p>`
      : '';
  return `<section class="changes"><h2>Since the last green seal</h2>${headline}${failOn}${baseline}${note}
${changed.map((change) => changeCard(change, checks)).join('\n')}${unchangedList}${commitList(changes)}</section>`;
}

function changeCard(change: CheckChange, checks: readonly CheckResult[]): string {
  const now = checks.find((check) => check.name === change.name)?.attempts.at(-1)?.screenshot ?? null;
  const visual = change.visual
    ? `<p>${change.visual.percent} % of pixels differ${change.visual.sizeChanged ? ' (the page size changed)' : ''}</p>
<div class="trio">${figure(change.visual.baseline, 'baseline (last green seal)')}${figure(now, 'now')}${figure(
        change.visual.overlay,
        'differing pixels',
      )}</div>`
    : '';
  const aria = change.aria
    ? `<h4>Page structure (ARIA snapshot): ${esc(change.aria.headline)}</h4><pre>${[
        ...change.aria.removed.map((line) => `<span class="aria-removed">- ${esc(line)}</span>`),
        ...change.aria.added.map((line) => `<span class="aria-added">+ ${esc(line)}</span>`),
      ].join('\n')}${
        change.aria.addedCount + change.aria.removedCount >
        change.aria.added.length + change.aria.removed.length
          ? `\n… (${change.aria.addedCount} added, ${change.aria.removedCount} removed in all)`
          : ''
      }</pre>`
    : '';
  const timings =
    change.timings.length > 0
      ? `<h4>Slower</h4><ul>${change.timings.map((timing) => `<li>${esc(describeTiming(timing))}</li>`).join('')}</ul>`
      : '';
  const consoleErrors =
    change.newConsoleErrors.length > 0
      ? `<h4>New console errors</h4><ul>${change.newConsoleErrors.map((text) => `<li><code>${esc(text)}</code></li>`).join('')}</ul>`
      : '';
  return `<div class="change"><h3>${esc(change.name)} <code>${esc(change.path)}</code></h3>${visual}${aria}${timings}${consoleErrors}</div>`;
}

function figure(src: string | null, caption: string): string {
  if (!src) return `<figure><figcaption>${esc(caption)}: none</figcaption></figure>`;
  return `<figure><a href="${esc(src)}"><img src="${esc(src)}" alt="${esc(caption)}"></a><figcaption>${esc(caption)}</figcaption></figure>`;
}

function commitList(changes: SealChanges): string {
  const range = changes.commits;
  if (!range) return '';
  const items = range.commits
    .map(
      (commit) =>
        `<li><code>${esc(commit.sha.slice(0, 12))}</code> ${esc(commit.title)} <small>(${esc(commit.author)})</small></li>`,
    )
    .join('');
  const more =
    range.total !== null && range.total > range.commits.length
      ? `<li>… ${range.total - range.commits.length} more</li>`
      : '';
  const error = range.error ? `<p class="small">${esc(range.error)}</p>` : '';
  return `<h3>Commits since the last green seal</h3><p><a href="${esc(range.compareUrl)}">${esc(range.compareUrl)}</a></p>${
    items ? `<ol>${items}${more}</ol>` : ''
  }${error}`;
}
