// Healthy pages that read with POST or parse a write's answer stay green under the guard, and no environment
// variable lets loopback skip it (issue 19). Real Chromium, a real app on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { runSpec } from '../../functions/core/run-spec';
import { SpecSchema } from '../../functions/core/spec';

let server: Server;
let base = '';
const received: string[] = [];

/** An Apollo-like page: reads with a GraphQL POST, then "records a visit" with a mutation and parses its answer. */
const GRAPHQL_PAGE = `<!doctype html><title>Shop</title><div id="root">loading</div><script>
async function gql(query) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json;q=0.9' },
    body: JSON.stringify({ operationName: null, variables: {}, query }),
  });
  return res.json();
}
(async () => {
  const { data } = await gql('query Products { products { name } }');
  document.getElementById('root').innerHTML = '<h1>Products</h1><ul>' + data.products.map((p) => '<li>' + p.name + '</li>').join('') + '</ul>';
  const visit = await gql('mutation RecordVisit { recordVisit { id } }');
  document.title = 'Shop (' + typeof visit + ')';
  const saved = await fetch('/api/preferences', { method: 'PUT', headers: { accept: 'application/json' }, body: '{}' }).then((r) => r.json());
  document.body.dataset.saved = JSON.stringify(saved);
})();
</script>`;

/** A page that writes to its own loopback origin as it loads, by fetch, beacon and WebSocket. */
const LOOPBACK_WRITER = `<!doctype html><title>Writer</title><h1>Writer</h1><script>
fetch('/api/track', { method: 'POST', body: 'x' }).catch(() => {});
navigator.sendBeacon('/api/beacon', 'y');
try { new WebSocket('ws://' + location.host + '/socket'); } catch {}
</script>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      if (req.url === '/graphql' && req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { products: [{ name: 'left-pad' }, { name: 'is-even' }] } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url === '/writer' ? LOOPBACK_WRITER : GRAPHQL_PAGE);
    });
  });
  server.on('upgrade', (req, socket) => {
    received.push(`WEBSOCKET ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  received.length = 0;
});

describe('pages that read with POST or parse a write', () => {
  it('seals an Apollo-like GraphQL page green; its mutation and PUT never reach the server', async () => {
    const run = await runSpec({
      spec: SpecSchema.parse({
        // Visible once the page parsed the answers to its mutation and its PUT.
        checks: [
          { kind: 'page', name: 'products', path: '/', landmark: { selector: 'body[data-saved="{}"] li' } },
        ],
        checkTimeoutMs: 20_000,
      }),
      baseUrl: base,
      launcher: new ChromiumLauncher({ notFoundProbe: false }),
      deadlineMs: 120_000,
    });
    expect(run.checks.map((check) => [check.outcome, check.error])).toEqual([['passed', null]]);
    // No "Unexpected end of JSON input": the page parsed the guard's answers.
    expect(run.checks[0]!.attempts[0]!.pageErrors).toEqual([]);
    expect(received.filter((line) => line.startsWith('POST') || line.startsWith('PUT'))).toEqual([
      'POST /graphql {"operationName":null,"variables":{},"query":"query Products { products { name } }"}',
    ]);
    expect(run.bodyReads?.requests.map((read) => [read.method, read.reason])).toEqual([
      ['POST', 'GraphQL query'],
    ]);
    expect(run.refused.requests.map((request) => [request.method, request.reason]).sort()).toEqual([
      ['POST', 'GraphQL mutation is not read-only'],
      ['PUT', 'PUT is not read-only'],
    ]);
  });
});

describe('read-only whatever the environment', () => {
  const NAME = 'PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_PROXIED_LOOPBACK';
  const before = process.env[NAME];
  afterEach(() => {
    if (before === undefined) delete process.env[NAME];
    else process.env[NAME] = before;
  });

  it(`keeps loopback behind the guard with ${NAME}=1 set`, async () => {
    process.env[NAME] = '1';
    const run = await runSpec({
      spec: SpecSchema.parse({
        checks: [{ kind: 'page', name: 'writer', path: '/writer', landmark: { role: 'heading' } }],
      }),
      baseUrl: base,
      launcher: new ChromiumLauncher({ notFoundProbe: false }),
      deadlineMs: 120_000,
    });
    expect(run.checks[0]!.outcome).toBe('passed');
    expect(received.filter((line) => !line.startsWith('GET'))).toEqual([]);
    expect(run.refused.count).toBeGreaterThanOrEqual(1);
  });
});
