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

  it('says why a check has no screenshot instead of showing a blank image, and shows the redirect chain', () => {
    const refusedSeal = makeSeal({
      status: 'red',
      refused: {
        count: 4,
        requests: [
          { method: 'WEBSOCKET', url: 'ws://shop.example.com/comms', reason: 'blocked', count: 1 },
          { method: 'WEBSOCKET', url: 'ws://shop.example.com/comms', reason: 'blocked', count: 1 },
          { method: 'POST', url: 'https://shop.example.com/analytics/collect', reason: 'blocked', count: 1 },
        ],
      },
      checks: [
        makeCheck({
          name: 'home',
          kind: 'page',
          path: '/',
          outcome: 'failed',
          error: '/ unreachable: connection refused',
          attempts: [
            {
              outcome: 'failed',
              url: 'https://shop.example.com/',
              finalUrl: null,
              httpStatus: null,
              durationMs: 20,
              error: '/ unreachable: connection refused',
              pageErrors: [],
              consoleErrors: [],
              screenshot: null,
              screenshotMissing: 'nothing rendered: / unreachable: connection refused',
            },
          ],
        }),
        makeCheck({
          name: 'admin',
          path: '/admin',
          outcome: 'failed',
          error: '/admin redirected to /elsewhere (expected 404 or a redirect to /login)',
          attempts: [
            {
              outcome: 'failed',
              url: 'https://shop.example.com/admin',
              finalUrl: 'https://shop.example.com/elsewhere',
              httpStatus: 200,
              durationMs: 20,
              error: '/admin redirected to /elsewhere (expected 404 or a redirect to /login)',
              pageErrors: [],
              consoleErrors: [],
              screenshot: '02-admin-attempt1.png',
              redirectChain: [
                { url: 'https://shop.example.com/admin', status: 302 },
                { url: 'https://shop.example.com/elsewhere', status: 200 },
              ],
            },
          ],
        }),
      ],
    });
    const page = renderReportHtml(refusedSeal);
    expect(page).toContain(
      '<div class="noshot">No screenshot: nothing rendered: / unreachable: connection refused</div>',
    );
    expect(page.match(/<img /g)).toHaveLength(1);
    expect(page).toContain(
      '<div class="url">302 https://shop.example.com/admin</div><div class="url">200 https://shop.example.com/elsewhere</div>',
    );
    expect(page).toContain(
      '<li><code>WEBSOCKET ws://shop.example.com/comms</code> ×2 <small>blocked</small></li>',
    );
    expect(page).toContain(
      '<li><code>POST https://shop.example.com/analytics/collect</code> <small>blocked</small></li><li>… and 1 more</li>',
    );
    expect(page.indexOf('Failed checks: 2')).toBeLessThan(page.indexOf('Refused by the read-only guard: 4'));
  });
});
