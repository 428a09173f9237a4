// An app's recent seals as a timeline (status, duration, changes): a flapping or slowing app shows at a glance.
import { describeChanges } from './describe-changes';
import { escapeHtml as esc } from './escape-html';
import type { Seal } from './seal';

const COLOURS = { green: '#1a7f37', red: '#cf222e', inconclusive: '#9a6700' } as const;
/** Bars drawn; older seals are left out. */
export const MAX_TIMELINE_SEALS = 60;

export const TIMELINE_CSS = `.timeline{display:flex;align-items:flex-end;gap:3px;height:9rem;border-bottom:1px solid #d0d7de;padding:.3rem 0;overflow-x:auto}
.timeline .seal{width:1.1rem;flex:0 0 1.1rem;border-radius:2px 2px 0 0;position:relative}
.timeline .seal.changed::after{content:"";position:absolute;top:-.55rem;left:.3rem;width:.5rem;height:.5rem;border-radius:50%;background:#8250df}
.timeline-legend{font-size:.85rem;color:#57606a}.timeline-table td{font-size:.85rem}`;

/** Seals newest first (as the store lists them); drawn oldest to newest, left to right. */
export function renderTimelineHtml(seals: readonly Seal[]): string {
  const shown = seals.slice(0, MAX_TIMELINE_SEALS).reverse();
  if (shown.length === 0) return '<p class="timeline-legend">No seals yet.</p>';
  const longest = Math.max(1, ...shown.map((seal) => seal.durationMs));
  const bars = shown
    .map((seal) => {
      const height = Math.max(6, Math.round((100 * seal.durationMs) / longest));
      const changed = seal.changes?.checks.some((check) => check.changed) ?? false;
      const title = `${seal.checkedAt} · ${seal.status} · ${(seal.durationMs / 1000).toFixed(1)} s${
        seal.changes ? ` · ${describeChanges(seal.changes)}` : ''
      }`;
      return `<div class="seal ${seal.status}${changed ? ' changed' : ''}" data-status="${seal.status}" data-seal="${esc(
        seal.id,
      )}" style="height:${height}%;background:${COLOURS[seal.status]}" title="${esc(title)}"></div>`;
    })
    .join('');
  const rows = [...shown]
    .reverse()
    .map(
      (seal) =>
        `<tr><td>${esc(seal.checkedAt)}</td><td style="color:${COLOURS[seal.status]}">${esc(seal.status)}</td><td>${(
          seal.durationMs / 1000
        ).toFixed(1)} s</td><td>${esc(seal.release?.version ?? seal.release?.releaseId ?? '-')}</td><td>${
          seal.changes ? esc(describeChanges(seal.changes)) : '-'
        }</td></tr>`,
    )
    .join('');
  return `<div class="timeline" role="img" aria-label="${shown.length} seals, oldest left: bar height is the seal's duration, colour its status, a dot a change since the last green seal">${bars}</div>
<p class="timeline-legend">Oldest left, newest right. Height: duration (longest ${(longest / 1000).toFixed(1)} s). Colour: status. Dot: changed since the last green seal.</p>
<table class="timeline-table"><tr><th>Checked at</th><th>Status</th><th>Duration</th><th>Release</th><th>Changes</th></tr>${rows}</table>`;
}
