import { describe, expect, it } from 'vitest';
import { judgeStatus } from '../../functions/core/judge-status';
import { type StatusCheck, StatusCheckSchema } from '../../functions/core/spec';

const base = 'https://tracker.example.com/redmine/';
const admin = (extra: Partial<StatusCheck> = {}) =>
  StatusCheckSchema.parse({ kind: 'status', name: 'devops', path: '/admin', status: 404, ...extra });
const toLogin =
  'https://tracker.example.com/redmine/login?back_url=https%3A%2F%2Ftracker.example.com%2Fredmine%2Fadmin';

describe('judgeStatus', () => {
  it('passes when the final status is one of the list', () => {
    const check = admin({ status: [404, 401, 403] });
    expect(judgeStatus(check, base, { firstStatus: 403, firstLocation: null, finalStatus: 403 })).toBeNull();
  });

  it("passes a redirect to redirectsTo on the app's own host, under its base path, whatever the query", () => {
    const check = admin({ redirectsTo: '/login' });
    expect(
      judgeStatus(check, base, { firstStatus: 302, firstLocation: toLogin, finalStatus: 200 }),
    ).toBeNull();
  });

  it('names the redirect when there is no redirectsTo, query values elided', () => {
    expect(judgeStatus(admin(), base, { firstStatus: 302, firstLocation: toLogin, finalStatus: 200 })).toBe(
      '/admin redirected to /redmine/login?back_url=… (expected 404)',
    );
  });

  it('refuses a redirect to the right path on another host, naming the host', () => {
    const check = admin({ redirectsTo: '/login' });
    expect(
      judgeStatus(check, base, {
        firstStatus: 302,
        firstLocation: 'https://evil.example.net/redmine/login',
        finalStatus: 200,
      }),
    ).toBe(
      '/admin redirected to https://evil.example.net/redmine/login (expected 404 or a redirect to /login)',
    );
  });

  it('says "admin surface exposed" only when the path itself answered 2xx', () => {
    const check = admin({ redirectsTo: '/login' });
    expect(judgeStatus(check, base, { firstStatus: 200, firstLocation: null, finalStatus: 200 })).toBe(
      '/admin answered 200, expected 404 or a redirect to /login (admin surface exposed)',
    );
    expect(judgeStatus(admin(), base, { firstStatus: 500, firstLocation: null, finalStatus: 500 })).toBe(
      '/admin answered 500, expected 404',
    );
  });

  it('passes a listed 3xx on the first response', () => {
    const check = admin({ status: [301] });
    expect(
      judgeStatus(check, base, { firstStatus: 301, firstLocation: `${base}new`, finalStatus: 200 }),
    ).toBeNull();
  });
});
