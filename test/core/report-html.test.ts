import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../functions/core/report-html';
import { makeCheck, makeSeal } from '../fixtures/seal-factory';

describe('renderReportHtml', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const seal = makeSeal({
    status: 'red',
    summary: `red: 1 of 1 check failed: tasks: uncaught Error: ${hostile}`,
    rollbackCommand: 'git revert -m 1 9b1d4e7 && git push origin main',
    refused: {
      count: 3,
      requests: [{ method: 'POST', url: 'https://shop.example.com/api/visits', reason: 'blocked', count: 3 }],
    },
    checks: [
      makeCheck({
        name: 'tasks',
        outcome: 'failed',
        error: `uncaught Error: ${hostile}`,
        attempts: [
          {
            outcome: 'failed',
            url: 'https://shop.example.com/tasks',
            finalUrl: 'https://shop.example.com/tasks',
            httpStatus: 200,
            durationMs: 300,
            error: `uncaught Error: ${hostile}`,
            pageErrors: [`uncaught Error: ${hostile}`],
            consoleErrors: ['Failed to load resource: 500'],
            screenshot: '03-tasks-attempt1.png',
          },
        ],
      }),
    ],
  });
  const html = renderReportHtml(seal);

  it('escapes everything that came from the page', () => {
    expect(html).not.toContain(hostile);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('links each screenshot by its relative name and shows the rollback as not performed', () => {
    expect(html).toContain('<img src="03-tasks-attempt1.png"');
    expect(html).toContain('Rollback (not performed: an operator decides)');
    expect(html).toContain('git revert -m 1 9b1d4e7 &#38;&#38; git push origin main');
  });

  it('lists what the read-only guard refused and the console errors, each once', () => {
    expect(html).toContain('Refused by the read-only guard: 3');
    expect(html).toContain('<code>POST https://shop.example.com/api/visits</code> ×3 <small>blocked</small>');
    expect(html.match(/console: Failed to load resource: 500/g)).toHaveLength(1);
    expect(html.match(/uncaught Error: &#60;img/g)?.length).toBe(2); // summary and the check's error, not repeated
  });
});
