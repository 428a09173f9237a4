// `smoke-seal history <app> --html`: the app's recent seals as a page of their own.
import { escapeHtml as esc } from './escape-html';
import type { Seal } from './seal';
import { renderTimelineHtml, TIMELINE_CSS } from './timeline-html';

export function renderHistoryHtml(app: string, environment: string, seals: readonly Seal[]): string {
  const counts = { green: 0, red: 0, inconclusive: 0 };
  for (const seal of seals) counts[seal.status]++;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Seals of ${esc(app)} (${esc(environment)})</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:90rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
${TIMELINE_CSS}</style></head><body>
<h1>Seals of ${esc(app)} <small>(${esc(environment)})</small></h1>
<p>${seals.length} recent seals: ${counts.green} green, ${counts.red} red, ${counts.inconclusive} inconclusive.</p>
${renderTimelineHtml(seals)}
</body></html>
`;
}
