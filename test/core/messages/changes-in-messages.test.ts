// The line on what changed since the last green seal, and the commits, in the email, on Discord and in the report.
import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../../functions/core/messages/render-discord';
import { renderEmail } from '../../../functions/core/messages/render-email';
import { buildSealMessage } from '../../../functions/core/messages/seal-message';
import { renderReportHtml } from '../../../functions/core/report-html';
import type { Seal } from '../../../functions/core/seal';
import { greenSeal, redSeal } from '../../fixtures/sample-seals';

const changes: NonNullable<Seal['changes']> = {
  state: 'compared',
  note: null,
  baseline: {
    sealId: 'studio:release:2026.12.01.3',
    checkedAt: '2026-12-01T10:00:00.000Z',
    releaseId: '2026.12.01.3',
    version: '2026-12-01.3',
    commit: 'a'.repeat(40),
  },
  checks: [
    {
      name: 'tasks',
      path: '/tasks',
      changed: true,
      note: null,
      visual: {
        percent: 12,
        sizeChanged: false,
        baseline: 'change-03-tasks-baseline.png',
        overlay: 'change-03-tasks-diff.png',
      },
      aria: null,
      timings: [],
      newConsoleErrors: [],
    },
    {
      name: 'sign-in',
      path: '/sign_in',
      changed: true,
      note: null,
      visual: null,
      aria: {
        added: ['- heading "Log **in** @everyone" [level=1]'],
        removed: ['- heading "Sign in" [level=1]'],
        addedCount: 1,
        removedCount: 1,
        headline: 'heading renamed',
      },
      timings: [],
      newConsoleErrors: [],
    },
    {
      name: 'home',
      path: '/',
      changed: false,
      note: null,
      visual: null,
      aria: null,
      timings: [],
      newConsoleErrors: [],
    },
  ],
  failOn: [],
  commits: {
    compareUrl: `https://github.com/acme/studio/compare/${'a'.repeat(40)}...${'b'.repeat(40)}`,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    commits: Array.from({ length: 7 }, (_, i) => ({
      sha: `${i}`.repeat(40),
      title: i === 0 ? 'Fix `tasks` *now* <b>' : `Commit ${i}`,
      author: 'ada',
    })),
    total: 30,
    error: null,
  },
  baselineUpdated: false,
};

const LINE =
  '2 pages changed since the last green seal (release 2026-12-01.3): /tasks 12 % of pixels, /sign_in heading renamed';

describe('what changed, where people look', () => {
  it('is one line and the commits in the email on red', () => {
    const { body } = renderEmail(buildSealMessage({ ...redSeal(), changes }));
    expect(body).toContain(`Since the last green seal:\n  ${LINE}\n`);
    expect(body).toContain(`Commits since the last green seal:\n  ${changes.commits!.compareUrl}\n`);
    expect(body).toContain('  - 000000000000 Fix `tasks` *now* <b> (ada)\n');
    expect(body).toContain('  ... and 23 more\n');
    // Before the rollback command: the reader sees what changed before deciding.
    expect(body.indexOf('Since the last green seal')).toBeLessThan(body.indexOf('Rollback command'));
  });

  it('is a field on Discord, escaped, with the compare link and five commits', () => {
    const fields = renderDiscord(buildSealMessage({ ...greenSeal(), changes })).embeds[0].fields;
    expect(fields.find((field) => field.name === 'Since the last green seal')?.value).toBe(
      '2 pages changed since the last green seal (release 2026-12-01.3): /tasks 12 % of pixels, /sign\\_in heading renamed',
    );
    const commits = fields
      .find((field) => field.name === 'Commits since the last green seal')!
      .value.split('\n');
    expect(commits[0]).toBe(`[Compare](${changes.commits!.compareUrl})`);
    expect(commits[1]).toBe('`0000000` Fix \\`tasks\\` \\*now\\* \\<b\\> (ada)');
    expect(commits).toHaveLength(7);
    expect(commits[6]).toBe('… and 25 more');
  });

  it('puts baseline, now and the differing pixels side by side in the report, the ARIA diff as text', () => {
    const seal = { ...redSeal(), changes };
    const html = renderReportHtml(seal);
    expect(html).toContain('<h2>Since the last green seal</h2>');
    expect(html).toContain('src="change-03-tasks-baseline.png"');
    expect(html).toContain('src="change-03-tasks-diff.png"');
    expect(html).toContain('<span class="aria-removed">- - heading &#34;Sign in&#34; [level=1]</span>');
    expect(html).toContain(
      '<span class="aria-added">+ - heading &#34;Log **in** @everyone&#34; [level=1]</span>',
    );
    expect(html).toContain('Fix `tasks` *now* &#60;b&#62;');
  });

  it('says nothing about changes for a seal without them', () => {
    const message = buildSealMessage(redSeal());
    expect(message.changes).toBeNull();
    expect(renderEmail(message).body).not.toContain('last green seal');
  });
});
