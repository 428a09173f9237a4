// The read-only guard as tolerant and as strict as Chromium (issue 19), at the proxy: real servers on
// 127.0.0.1, a real DNS server that stays silent, requests through the proxy as Chromium sends them.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BodyRead, ReadOnlyProxy, type Refusal } from '../../functions/adapters/read-only-proxy';
import { startSilentDnsServer } from '../fixtures/silent-dns-server';
import { createTestCertificates } from '../fixtures/test-certificates';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let upstream: Server;
let port = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/cookies') {
        // 20 KB of Set-Cookie: over Node's 16 KB default, far under Chromium's 256 KB.
        const cookies = Array.from({ length: 20 }, (_, i) => `c${i}=${'v'.repeat(1_000)}; Path=/`);
        res.writeHead(200, { 'set-cookie': cookies, 'content-type': 'text/plain' });
        res.end('many cookies');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  port = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A plain-http request through the proxy in absolute form, as Chromium sends one. */
function viaProxy(
  proxy: ReadOnlyProxy,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(new URL(proxy.url).port),
        method,
        path: url,
        // The test's own client reads as much as Chromium would.
        maxHeaderSize: 512 * 1024,
        headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An https GET through the proxy's CONNECT tunnel, trusting the proxy's per-seal CA as Chromium does. */
async function viaTunnel(proxy: ReadOnlyProxy, host: string, tlsPort: number, path: string): Promise<Answer> {
  const ca = await proxy.caPem();
  return new Promise((resolve, reject) => {
    const connect = httpRequest({
      host: '127.0.0.1',
      port: Number(new URL(proxy.url).port),
      method: 'CONNECT',
      path: `${host}:${tlsPort}`,
    });
    connect.on('connect', (_res, socket) => {
      const tls = tlsConnect({ socket, servername: host, ca }, () => {
        tls.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${tlsPort}\r\nConnection: close\r\n\r\n`);
      });
      let raw = '';
      tls.on('data', (chunk: Buffer) => {
        raw += chunk.toString();
      });
      tls.on('end', () => {
        const [head = '', ...rest] = raw.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const at = line.indexOf(':');
          headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
        }
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
      });
      tls.on('error', reject);
    });
    connect.on('error', reject);
    connect.end();
  });
}

async function withProxy<T>(
  options: Partial<Parameters<typeof ReadOnlyProxy.start>[0]>,
  use: (proxy: ReadOnlyProxy, refusals: Refusal[], reads: BodyRead[]) => Promise<T>,
): Promise<T> {
  const refusals: Refusal[] = [];
  const reads: BodyRead[] = [];
  const proxy = await ReadOnlyProxy.start({
    appHosts: [`127.0.0.1:${port}`],
    onRefusal: (refusal) => refusals.push(refusal),
    onBodyRead: (read) => reads.push(read),
    ...options,
  });
  try {
    return await use(proxy, refusals, reads);
  } finally {
    await proxy.close();
  }
}

const origin = () => `http://127.0.0.1:${port}`;
const json = { 'content-type': 'application/json', accept: 'application/json' };

describe('reads that use POST', () => {
  it('lets GraphQL queries leave, single and batched, and names each', async () => {
    await withProxy({}, async (proxy, refusals, reads) => {
      seen.length = 0;
      const single = await viaProxy(
        proxy,
        'POST',
        `${origin()}/graphql`,
        json,
        JSON.stringify({ query: 'query Me { me { id } }' }),
      );
      const batch = await viaProxy(
        proxy,
        'POST',
        `${origin()}/graphql`,
        json,
        JSON.stringify([{ query: '{ a }' }, { query: 'query B { b }', variables: { x: 'mutation { c }' } }]),
      );
      expect([single.status, batch.status]).toEqual([200, 200]);
      expect(JSON.parse(single.body)).toEqual({ data: { ok: true } });
      expect(seen.map((request) => [request.method, request.url])).toEqual([
        ['POST', '/graphql'],
        ['POST', '/graphql'],
      ]);
      expect(JSON.parse(seen[0]!.body)).toEqual({ query: 'query Me { me { id } }' });
      expect(reads.map((read) => read.reason)).toEqual(['GraphQL query', 'GraphQL query']);
      expect(refusals).toEqual([]);
    });
  });

  it('refuses a mutation or subscription, alone or in a batch, answering JSON to a page that parses it', async () => {
    await withProxy({}, async (proxy, refusals) => {
      seen.length = 0;
      const mutation = await viaProxy(
        proxy,
        'POST',
        `${origin()}/graphql`,
        json,
        JSON.stringify({ query: 'mutation { logout }' }),
      );
      const batch = await viaProxy(
        proxy,
        'POST',
        `${origin()}/graphql`,
        json,
        JSON.stringify([{ query: '{ a }' }, { query: 'subscription { ticks }' }]),
      );
      expect(seen).toEqual([]);
      expect(mutation).toMatchObject({ status: 200, body: '{}' });
      expect(mutation.headers['x-smoke-seal-guard']).toBe('refused');
      expect(JSON.parse(batch.body)).toEqual({});
      expect(refusals.map((refusal) => refusal.reason)).toEqual([
        'GraphQL mutation is not read-only',
        'GraphQL subscription is not read-only',
      ]);
    });
  });

  it('refuses a GraphQL mutation sent by GET, and asks a hash-only persisted query for its text', async () => {
    await withProxy({}, async (proxy, refusals) => {
      seen.length = 0;
      const get = await viaProxy(
        proxy,
        'GET',
        `${origin()}/graphql?query=${encodeURIComponent('mutation { logout }')}`,
      );
      expect(get.status).toBe(204);
      const persisted = await viaProxy(
        proxy,
        'POST',
        `${origin()}/graphql`,
        json,
        JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } }),
      );
      expect(JSON.parse(persisted.body).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const search = await viaProxy(proxy, 'GET', `${origin()}/search?query=shoes`);
      expect(search.status).toBe(200);
      expect(seen.map((request) => request.url)).toEqual(['/search?query=shoes']);
      expect(refusals.map((refusal) => refusal.reason)).toEqual(['GraphQL mutation is not read-only']);
    });
  });

  it('lets a listed endpoint leave (readOnly.allow), named each time, and no other POST', async () => {
    await withProxy({ readOnlyAllow: ['POST /api/search'] }, async (proxy, refusals, reads) => {
      seen.length = 0;
      await viaProxy(proxy, 'POST', `${origin()}/api/search`, json, '{"q":"shoes"}');
      await viaProxy(proxy, 'POST', `${origin()}/api/search`, json, '{"q":"hats"}');
      await viaProxy(proxy, 'POST', `${origin()}/api/orders`, json, '{"sku":1}');
      expect(seen.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual([
        'POST /api/search {"q":"shoes"}',
        'POST /api/search {"q":"hats"}',
      ]);
      expect(reads.map((read) => read.reason)).toEqual([
        'listed as read-only in readOnly.allow ("POST /api/search")',
        'listed as read-only in readOnly.allow ("POST /api/search")',
      ]);
      expect(refusals.map((refusal) => `${refusal.method} ${new URL(refusal.url).pathname}`)).toEqual([
        'POST /api/orders',
      ]);
    });
  });

  it('answers a refused write that accepts nothing in particular with an empty 204, as before', async () => {
    await withProxy({}, async (proxy) => {
      const answer = await viaProxy(
        proxy,
        'POST',
        `${origin()}/api/visit`,
        { 'content-type': 'text/plain' },
        'x',
      );
      expect(answer.status).toBe(204);
    });
  });
});

describe('method overrides', () => {
  it.each([
    ['X-HTTP-Method-Override', { 'x-http-method-override': 'DELETE' }, '/tasks/1'],
    ['X-HTTP-Method', { 'x-http-method': 'PUT' }, '/tasks/1'],
    ['X-Method-Override', { 'x-method-override': 'patch' }, '/tasks/1'],
    ['_method', {}, '/tasks/1?_method=DELETE'],
  ])('refuses a GET that %s turns into a write, and lists it', async (_name, headers, path) => {
    await withProxy({}, async (proxy, refusals) => {
      seen.length = 0;
      const answer = await viaProxy(proxy, 'GET', `${origin()}${path}`, headers);
      expect(answer.headers['x-smoke-seal-guard']).toBe('refused');
      expect(seen).toEqual([]);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.reason).toMatch(/is not read-only$/);
    });
  });

  it('strips a read-valued override header and lets the read leave', async () => {
    await withProxy({}, async (proxy) => {
      seen.length = 0;
      await viaProxy(proxy, 'GET', `${origin()}/tasks`, { 'x-http-method-override': 'GET' });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['x-http-method-override']).toBeUndefined();
    });
  });
});

describe('as tolerant as Chromium', () => {
  it('passes a response with 20 KB of Set-Cookie (Node alone stops at 16 KB)', async () => {
    await withProxy({}, async (proxy) => {
      const answer = await viaProxy(proxy, 'GET', `${origin()}/cookies`);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('many cookies');
      expect(answer.headers['set-cookie']).toHaveLength(20);
    });
  });

  // Answers Chromium reads and Node's strict parser refuses (HPE_CR_EXPECTED, HPE_INVALID_CONTENT_LENGTH,
  // HPE_INVALID_HEADER_TOKEN): each was a red seal for a page the browser shows.
  it.each([
    ['bare LF line ends', 'HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok'],
    [
      'chunked with a Content-Length (chunked wins)',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    ],
    [
      'a folded header line and a control character in a value (that header left out)',
      'HTTP/1.1 200 OK\r\nX-Folded: one\r\n two\r\nX-Odd: a\x01b\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
    ],
  ])('passes an answer with %s', async (_, raw) => {
    const server = createNetServer((socket) => {
      socket.once('data', () => socket.end(raw));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rawPort = (server.address() as AddressInfo).port;
    try {
      await withProxy({ appHosts: [`127.0.0.1:${rawPort}`] }, async (proxy) => {
        const answer = await viaProxy(proxy, 'GET', `http://127.0.0.1:${rawPort}/`);
        expect(answer.headers['x-smoke-seal-guard-error']).toBeUndefined();
        expect(answer.status).toBe(200);
        expect(answer.body).toBe('ok');
        expect(answer.headers['x-odd']).toBeUndefined();
      });
    } finally {
      server.close();
    }
  });

  it("resolves the app's name while 8 third-party names stall, and lets go of the stalled ones on close", async () => {
    const dns = await startSilentDnsServer({ 'cdn.app.test': '127.0.0.1' });
    const proxy = await ReadOnlyProxy.start({
      appHosts: [`127.0.0.1:${port}`, `cdn.app.test:${port}`],
      onRefusal: () => undefined,
      dnsServers: [dns.address],
      // Long: the stalled lookups must still be waiting when the app's own answers.
      lookupTimeoutMs: 120_000,
      classifyAddress: () => null,
    });
    try {
      let stalledSettled = 0;
      const stalled = Array.from({ length: 8 }, (_, i) =>
        viaProxy(proxy, 'GET', `http://tracker-${i}.third-party.test/pixel`).then(
          (answer) => {
            stalledSettled++;
            return answer.status;
          },
          () => {
            stalledSettled++;
            return 0;
          },
        ),
      );
      // Every stalled name asked before the app's own.
      while (dns.asked.filter((name) => name.startsWith('tracker-')).length < 8) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const own = await viaProxy(proxy, 'GET', `http://cdn.app.test:${port}/asset.js`);
      expect(own.status).toBe(200);
      expect(stalledSettled).toBe(0);
      await proxy.close();
      // Closing ends the stalled lookups: nothing keeps the CLI waiting on them.
      expect((await Promise.all(stalled)).every((status) => status === 0 || status === 502)).toBe(true);
    } finally {
      await proxy.close().catch(() => undefined);
      await dns.close();
    }
  });
});

describe('as strict as Chromium, and naming its own answers', () => {
  it('refuses a certificate that names its host only in the CN (no subjectAltName)', async () => {
    const certs = await createTestCertificates();
    const hosts: Record<string, Server> = {};
    const serve = async (name: string, cnOnly: boolean) => {
      const server = createHttpsServer(await certs.leaf('app.test', { cnOnly }), (_req, res) =>
        res.end('secure'),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      hosts[name] = server;
      return (server.address() as AddressInfo).port;
    };
    const good = await serve('good', false);
    const cnOnly = await serve('cn', true);
    try {
      await withProxy(
        {
          appHosts: ['app.test:*'.replace(':*', `:${good}`), `app.test:${cnOnly}`],
          lookup: async () => '127.0.0.1',
          extraCa: certs.caPem,
        },
        async (proxy) => {
          expect(await viaTunnel(proxy, 'app.test', good, '/')).toMatchObject({
            status: 200,
            body: 'secure',
          });
          const refused = await viaTunnel(proxy, 'app.test', cnOnly, '/');
          expect(refused.status).toBe(502);
          expect(refused.headers['x-smoke-seal-guard-error']).toMatch(
            /^TLS error: certificate names its host only in the CN/,
          );
        },
      );
    } finally {
      for (const server of Object.values(hosts)) {
        server.closeAllConnections();
        server.close();
      }
    }
  });

  it("names its own 502 as the guard's, CORS-open for the page that asked", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await withProxy({ appHosts: [`127.0.0.1:${deadPort}`] }, async (proxy) => {
      const answer = await viaProxy(proxy, 'GET', `http://127.0.0.1:${deadPort}/api`, {
        origin: 'https://app.example.com',
      });
      expect(answer.status).toBe(502);
      expect(answer.headers).toMatchObject({
        'x-smoke-seal-guard': 'upstream-error',
        'x-smoke-seal-guard-error': 'unreachable: connection refused',
        'access-control-allow-origin': 'https://app.example.com',
      });
      expect(answer.body).toMatch(/^Smoke Seal read-only guard \(not production\) could not reach/);
    });
  });
});

describe('secrets only where they belong', () => {
  const auth = { basic: { username: 'seal', password: 'pa55word' }, headers: { 'X-Api-Key': 'key-123' } };

  it('sends credentials and headers to the app over https only, never on an http hop of the same host', async () => {
    // The app is https on this port; a page's http:// link to the same host and port is another origin.
    await withProxy({ baseUrl: `https://127.0.0.1:${port}/`, auth }, async (proxy) => {
      seen.length = 0;
      await viaProxy(proxy, 'GET', `${origin()}/hop`);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.authorization).toBeUndefined();
      expect(seen[0]!.headers['x-api-key']).toBeUndefined();
    });
  });

  it('sends them to an http app on its own origin (a loopback run), and nowhere else', async () => {
    await withProxy({ baseUrl: `${origin()}/`, auth }, async (proxy) => {
      seen.length = 0;
      await viaProxy(proxy, 'GET', `${origin()}/home`);
      expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('seal:pa55word').toString('base64')}`);
      expect(seen[0]!.headers['x-api-key']).toBe('key-123');
    });
  });
});

describe('who sent a refused write', () => {
  it("tells a form's submission and Playwright's request context (the test's own writes) from the page's fetch", async () => {
    await withProxy({}, async (proxy, refusals) => {
      const before = Date.now();
      await viaProxy(
        proxy,
        'POST',
        `${origin()}/session`,
        {
          'sec-fetch-mode': 'navigate',
          'content-type': 'application/x-www-form-urlencoded',
        },
        'user=a',
      );
      await viaProxy(proxy, 'POST', `${origin()}/api/items`, json, '{"a":1}');
      await viaProxy(proxy, 'POST', `${origin()}/analytics`, { ...json, 'sec-fetch-mode': 'cors' }, '{}');
      await viaProxy(proxy, 'GET', `${origin()}/healthy?_method=DELETE`, { 'sec-fetch-mode': 'no-cors' });
      expect(
        refusals.map((refusal) => [refusal.method, new URL(refusal.url).pathname, refusal.sentBy]),
      ).toEqual([
        ['POST', '/session', 'navigation'],
        ['POST', '/api/items', 'request-context'],
        ['POST', '/analytics', 'page'],
        ['GET', '/healthy', 'page'],
      ]);
      for (const refusal of refusals) expect(refusal.at).toBeGreaterThanOrEqual(before);
    });
  });
});
