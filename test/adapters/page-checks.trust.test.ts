// Page checks that must not lie (issue 19): any visible landmark match passes, a late soft 404 fails,
// an expired sign-in is the seal's own fault. Real Chromium against servers on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { SIGN_IN_EXPIRED } from '../../functions/core/checker-fault';
import { runSpec, type SpecRun } from '../../functions/core/run-spec';
import { type Spec, type SpecInput, SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';

const launcher = new ChromiumLauncher();
let server: Server;
let base = '';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const cookie = req.headers.cookie ?? '';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (path === '/menu') {
      // Redmine: the first `list` is the mobile menu's empty placeholder (no box); the page's own lists are visible.
      res.end(
        page(
          'My page',
          '<div class="flyout-menu"><ul class="js-general-menu"></ul></div><h1>My page</h1><ul><li>issue 1</li><li>issue 2</li></ul>',
        ),
      );
      return;
    }
    if (path === '/my/page') {
      if (cookie.includes('_session=fresh')) {
        res.end(page('My page', '<h1>My page</h1>'));
        return;
      }
      res.writeHead(302, { location: '/login?back_url=%2Fmy%2Fpage' }).end();
      return;
    }
    if (path === '/login') {
      res.end(
        page(
          'Sign in',
          '<h1>Sign in</h1><form><input name="username"><input type="password" name="password"></form>',
        ),
      );
      return;
    }
    if (path === '/chunk.js') {
      // The route's code chunk, slow to arrive as on a cold CDN.
      setTimeout(() => {
        res.setHeader('content-type', 'text/javascript');
        // A top-level path is a package name to the router: its not-found page words it otherwise.
        res.end(`const root = document.getElementById('root');
const path = location.pathname;
root.innerHTML = path === '/'
  ? '<h4>Packages</h4><ul><li>left-pad 1.3.0</li></ul>'
  : path.startsWith('/-/')
    ? "<h4>Sorry, we couldn't find it...</h4><p>The page you're looking for doesn't exist.</p>"
    : "<h4>Sorry, we couldn't find it...</h4><p>No package " + path.slice(1) + " is published here yet: search the registry, or publish it with npm publish.</p>";`);
      }, 700);
      return;
    }
    // A Verdaccio-like single-page app: the layout's heading at once, the route's content (its own
    // not-found page for any unknown path) drawn once its code chunk has loaded.
    res.end(
      page(
        'Registry',
        `<header><h2>Registry</h2></header><div id="root">loading…</div><script>
const chunk = document.createElement('script');
chunk.src = '/chunk.js';
document.body.append(chunk);
</script>`,
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function spec(checks: SpecInput['checks']): Spec {
  return SpecSchema.parse({ checks, checkTimeoutMs: 15_000 });
}

function verdictOf(run: SpecRun) {
  return decideVerdict(
    run.checks.map((check) => ({ ...check, attempts: [] })),
    run.toolingError,
  );
}

const storageState = (session: string) => ({
  cookies: [
    {
      name: '_session',
      value: session,
      domain: '127.0.0.1',
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: 'Lax' as const,
    },
  ],
  origins: [],
});

describe('page checks that never lie', () => {
  it('passes a landmark when any match is visible, though the first is hidden', async () => {
    const run = await runSpec({
      spec: spec([{ kind: 'page', name: 'my page', path: '/menu', landmark: { role: 'list' } }]),
      baseUrl: base,
      launcher,
      deadlineMs: 120_000,
    });
    expect(run.checks.map((check) => [check.outcome, check.error])).toEqual([['passed', null]]);
  });

  it("fails a page check on a single-page app's not-found page drawn after the layout's heading", async () => {
    const run = await runSpec({
      spec: spec([
        { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
        { kind: 'page', name: 'package', path: '/-/web/detail/left-pad', landmark: { role: 'heading' } },
      ]),
      baseUrl: base,
      launcher,
      deadlineMs: 120_000,
    });
    expect(run.checks.map((check) => [check.name, check.outcome])).toEqual([
      ['home', 'passed'],
      ['package', 'failed'],
    ]);
    expect(run.checks[1]!.error).toMatch(/^the page is the app's not-found page/);
    expect(verdictOf(run).status).toBe('red');
  });

  it('makes a seal whose storage state expired inconclusive ("sign-in expired"), never red', async () => {
    const run = await runSpec({
      spec: spec([
        { kind: 'page', name: 'my page', path: '/my/page', landmark: { role: 'heading', name: 'My page' } },
      ]),
      baseUrl: base,
      auth: { storageState: storageState('expired') },
      launcher,
      deadlineMs: 120_000,
    });
    expect(run.checks.map((check) => [check.outcome, check.error])).toEqual([
      ['unfinished', SIGN_IN_EXPIRED],
    ]);
    const verdict = verdictOf(run);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.summary).toContain('sign-in expired');
  });

  it('keeps a fresh storage state green, and a missing landmark without a storage state red', async () => {
    const check = {
      kind: 'page',
      name: 'my page',
      path: '/my/page',
      landmark: { role: 'heading', name: 'My page' },
    } as const;
    const fresh = await runSpec({
      spec: spec([check]),
      baseUrl: base,
      auth: { storageState: storageState('fresh') },
      launcher,
      deadlineMs: 120_000,
    });
    expect(fresh.checks[0]!.outcome).toBe('passed');
    const anonymous = await runSpec({ spec: spec([check]), baseUrl: base, launcher, deadlineMs: 120_000 });
    expect(anonymous.checks[0]).toMatchObject({
      outcome: 'failed',
      error: 'landmark heading "My page" not visible',
    });
  });
});
