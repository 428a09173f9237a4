import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../functions/core/seal';
import { decideVerdict } from '../../functions/core/verdict';

function check(
  name: string,
  path: string,
  outcome: CheckResult['outcome'],
  error: string | null = null,
): CheckResult {
  return {
    name,
    kind: 'page',
    path,
    url: `https://x.test${path}`,
    outcome,
    httpStatus: null,
    durationMs: 1,
    error,
    attempts: [],
  };
}

describe('decideVerdict', () => {
  it('counts skipped Playwright tests neither way, and a seal of skips alone proves nothing', () => {
    expect(decideVerdict([check('a', '/', 'passed'), check('b', '/', 'skipped')], null)).toEqual({
      status: 'green',
      summary: 'green: all 1 check passed (1 skipped)',
    });
    expect(decideVerdict([check('a', '/', 'skipped'), check('b', '/', 'skipped')], null)).toEqual({
      status: 'inconclusive',
      summary: 'inconclusive: all 2 checks were skipped',
    });
  });

  it('keeps a Playwright failure to one line in the summary, without its call log', () => {
    const error =
      "expect(locator).toBeVisible() failed\n\nLocator: getByRole('form')\nExpected: visible\n\nCall log:\n  - waiting";
    const verdict = decideVerdict([check('smoke › sign-in renders', '/', 'failed', error)], null);
    expect(verdict.summary).toBe(
      "red: 1 of 1 check failed: smoke › sign-in renders: expect(locator).toBeVisible() failed Locator: getByRole('form') Expected: visible",
    );
  });

  it('is green when every check passed', () => {
    const verdict = decideVerdict([check('home', '/', 'passed'), check('up', '/up', 'passed')], null);
    expect(verdict).toEqual({ status: 'green', summary: 'green: all 2 checks passed' });
  });

  it('is red and names each failure, path-first errors as they are and others by check name', () => {
    const verdict = decideVerdict(
      [
        check('home', '/', 'passed'),
        check('up', '/up', 'failed', '/up answered 503, expected 200'),
        check('tasks', '/tasks', 'failed', 'uncaught ReferenceError: renderTasks is not defined'),
      ],
      null,
    );
    expect(verdict.status).toBe('red');
    expect(verdict.summary).toBe(
      'red: 2 of 3 checks failed: /up answered 503, expected 200; tasks: uncaught ReferenceError: renderTasks is not defined',
    );
  });

  it('says once what several paths failed with, so an outage stays one short line', () => {
    const verdict = decideVerdict(
      [
        check('home', '/', 'failed', '/ unreachable: connection refused'),
        check('up', '/up', 'failed', '/up unreachable: connection refused'),
        check('devops', '/devops', 'failed', '/devops answered 200, expected 404 (admin surface exposed)'),
        check(
          'devops-cycle',
          '/devops/cycle',
          'failed',
          '/devops/cycle answered 200, expected 404 (admin surface exposed)',
        ),
      ],
      null,
    );
    expect(verdict.summary).toBe(
      'red: 4 of 4 checks failed: /, /up unreachable: connection refused; /devops, /devops/cycle answered 200, expected 404 (admin surface exposed)',
    );
  });

  it('is red when production failed a check even if the deadline cut other checks off', () => {
    const verdict = decideVerdict(
      [check('up', '/up', 'failed', '/up answered 500'), check('home', '/', 'unfinished')],
      null,
    );
    expect(verdict.status).toBe('red');
  });

  it('is inconclusive when the browser never started', () => {
    const verdict = decideVerdict(
      [check('home', '/', 'unfinished')],
      'Chromium failed to launch: spawn ENOENT',
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.summary).toContain('Chromium failed to launch: spawn ENOENT');
  });

  it('is inconclusive, not green, when the deadline left checks unfinished and none failed', () => {
    const verdict = decideVerdict(
      [check('home', '/', 'passed'), check('tasks', '/tasks', 'unfinished', 'cut off by the seal deadline')],
      null,
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.summary).toBe(
      'inconclusive: 1 of 2 checks could not finish: tasks (cut off by the seal deadline)',
    );
  });

  it('names a path once when several checks of it failed alike, with the number of checks', () => {
    const refused = '/ unreachable: connection refused';
    const verdict = decideVerdict(
      [
        check('home', '/', 'failed', refused),
        check('sign-in', '/', 'failed', refused),
        check('issues', '/', 'failed', refused),
        check('up', '/up', 'failed', '/up unreachable: connection refused'),
      ],
      null,
    );
    expect(verdict.summary).toBe(
      'red: 4 of 4 checks failed: /, /up unreachable: connection refused (4 checks)',
    );
  });
});
