// A small app on 127.0.0.1 with the pages the default spec expects, switchable faults, and a request log.
// biome-ignore-all lint/correctness/noVoidTypeReturn: `return send(...)` ends each route branch; send returns nothing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DEMO_FAULTS = [
  'up-500',
  'tasks-throws',
  'home-slow',
  'sign-in-missing-form',
  'devops-exposed',
  'home-posts-on-load',
  'tasks-redirect-loop',
  'up-flaky',
  'home-hangs',
] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

export interface DemoRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

export interface DemoSiteOptions {
  /** How long `home-slow` makes the home page wait before answering. */
  readonly slowMs?: number;
  readonly faults?: readonly DemoFault[];
  /** Delay before every answer, like a production host across a network (the bench uses it). @default 0 */
  readonly latencyMs?: number;
  /** @default 0, any free port */
  readonly port?: number;
}

export interface DemoSite {
  readonly url: string;
  readonly requests: readonly DemoRequest[];
  /** Replaces the active faults. */
  setFaults(faults: readonly DemoFault[]): void;
  clearLog(): void;
  close(): Promise<void>;
}

export async function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const slowMs = options.slowMs ?? 20_000;
  const latencyMs = options.latencyMs ?? 0;
  let faults = new Set<DemoFault>(options.faults ?? []);
  const requests: DemoRequest[] = [];
  let upCalls = 0;

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: Date.now() });
    if (!latencyMs) return route(req, res, path);
    const timer = setTimeout(() => route(req, res, path), latencyMs);
    res.on('close', () => clearTimeout(timer));
  });

  function route(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Reaching here means a mutating request got past the guard: the tests read the log for it.
      send(res, 201, 'text/plain', 'written');
      return;
    }
    switch (path) {
      case '/':
        if (faults.has('home-hangs')) return; // never answers
        if (faults.has('home-slow')) {
          const timer = setTimeout(() => send(res, 200, 'text/html', homePage(faults)), slowMs);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        return send(res, 200, 'text/html', homePage(faults));
      case '/sign_in':
        return send(res, 200, 'text/html', signInPage(faults.has('sign-in-missing-form')));
      case '/tasks':
        if (faults.has('tasks-redirect-loop')) {
          res.writeHead(302, { location: '/tasks' }).end();
          return;
        }
        return send(res, 200, 'text/html', tasksPage(faults.has('tasks-throws')));
      case '/up':
        upCalls++;
        if (faults.has('up-500')) return send(res, 500, 'text/plain', 'database unreachable');
        if (faults.has('up-flaky') && upCalls % 2 === 1) return send(res, 503, 'text/plain', 'warming up');
        return send(res, 200, 'text/plain', 'ok');
      case '/devops':
      case '/devops/cycle':
        if (faults.has('devops-exposed'))
          return send(res, 200, 'text/html', page('DevOps', '<h1>DevOps console</h1>'));
        return send(res, 404, 'text/html', page('Not found', '<h1>Not found</h1>'));
      case '/favicon.ico':
        return send(res, 204, 'image/x-icon', '');
      default:
        return send(res, 404, 'text/html', page('Not found', '<h1>Not found</h1>'));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFaults(next) {
      faults = new Set(next);
      upCalls = 0;
    },
    clearLog() {
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:40rem}</style></head>
<body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

function homePage(faults: ReadonlySet<DemoFault>): string {
  // The write a careless page makes on load: the read-only guard must stop both before they leave the browser.
  const script = faults.has('home-posts-on-load')
    ? `fetch('/api/visits', { method: 'POST', body: '{}' }).catch(() => {});
       try { new WebSocket('ws://' + location.host + '/cable'); } catch (e) {}`
    : '';
  return page(
    'Demo Tasks',
    '<header><h1>Demo Tasks</h1></header><main><p>Plan your day.</p><a href="/tasks">Tasks</a></main>',
    script,
  );
}

function signInPage(missingForm: boolean): string {
  const form = missingForm
    ? '<p>Sign-in is temporarily unavailable.</p>'
    : `<form aria-label="Sign in" method="post" action="/session">
  <label>Email <input type="email" name="email"></label>
  <button type="submit">Sign in</button></form>`;
  return page('Sign in · Demo Tasks', `<h1>Sign in</h1>${form}`);
}

function tasksPage(throws: boolean): string {
  const script = throws ? 'renderTasks(window.tasks);' : '';
  return page(
    'Tasks · Demo Tasks',
    '<h1>Tasks</h1><ul><li>Write the release notes</li><li>Seal the release</li></ul>',
    script,
  );
}
