// The read-only guard reaching production as Chromium would (issue 19, point 4): HTTP/2 where the server
// picks it by ALPN, and a missing intermediate fetched from the leaf's AIA URL through the guard's own
// destination policy. Real servers on 127.0.0.1, requests through the proxy as Chromium sends them.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import {
  ReadOnlyProxy,
  type ReadOnlyProxyOptions,
  type Refusal,
} from '../../functions/adapters/read-only-proxy';
import { runSpec } from '../../functions/core/run-spec';
import { SpecSchema } from '../../functions/core/spec';
import {
  createTestCertificates,
  type LeafViaIntermediate,
  type TestCertificates,
} from '../fixtures/test-certificates';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly httpVersion: string;
  readonly headers: IncomingHttpHeaders;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let certs: TestCertificates;
const closers: (() => void)[] = [];

beforeAll(async () => {
  certs = await createTestCertificates();
});
afterAll(() => {
  for (const close of closers) close();
});

/** An HTTP/2-only server (no HTTP/1.1 fallback, as some CDNs' edges are): what it saw, and its sessions. */
async function h2OnlyServer(keyAndCert: { key: string; cert: string }) {
  const seen: Seen[] = [];
  let sessions = 0;
  const server: Http2SecureServer = createSecureServer({ ...keyAndCert, allowHTTP1: false }, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method, path: req.url, httpVersion: req.httpVersion, headers: req.headers });
      if (req.url === '/cookies') {
        // 20 KB of Set-Cookie in 200 fields: over Node's HTTP/2 defaults (64 KB list, 128 fields) in count.
        const cookies = Array.from({ length: 200 }, (_, i) => `c${i}=${'v'.repeat(100)}; Path=/`);
        res.writeHead(200, { 'set-cookie': cookies, 'content-type': 'text/plain' });
        res.end('many cookies');
        return;
      }
      if (req.url === '/bye') {
        // The server ends the session (GOAWAY) once this answer is sent, as an edge does when it drains.
        res.end('bye');
        req.stream.session?.close();
        return;
      }
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not here');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
        'x-served-over': `HTTP/${req.httpVersion}`,
      });
      res.end(
        '<!doctype html><title>Over HTTP/2</title><h1>Over HTTP/2</h1>' +
          "<script>fetch('/api/write', { method: 'POST', body: 'x' }).then((r) => { document.title += ' ' + r.status; });</script>",
      );
    });
  });
  server.on('session', () => {
    sessions += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { server, seen, sessions: () => sessions, port: (server.address() as AddressInfo).port };
}

/** A plain http server standing in for a CA's caIssuers URL: what it serves (set once the chain exists), and every request. */
async function issuerServer() {
  const requests: string[] = [];
  let body: Buffer | string = '';
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/pkix-cert' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    requests,
    port: (server.address() as AddressInfo).port,
    serve(certificate: Buffer | string) {
      body = certificate;
    },
  };
}

/** An HTTP/1.1 https server that sends its leaf alone; `Connection: close`, so each request is a new handshake. */
async function leafOnlyHttpsServer(keyAndCert: { key: string; cert: string }): Promise<number> {
  const server = createHttpsServer(keyAndCert, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end(`served ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

async function withProxy<T>(
  options: Partial<ReadOnlyProxyOptions> & Pick<ReadOnlyProxyOptions, 'appHosts'>,
  use: (proxy: ReadOnlyProxy, refusals: Refusal[]) => Promise<T>,
): Promise<T> {
  const refusals: Refusal[] = [];
  const proxy = await ReadOnlyProxy.start({
    extraCa: certs.caPem,
    onRefusal: (refusal) => refusals.push(refusal),
    ...options,
  });
  try {
    return await use(proxy, refusals);
  } finally {
    await proxy.close();
  }
}

/** An https request through the proxy's CONNECT tunnel, trusting the proxy's per-seal CA as Chromium does. */
async function viaTunnel(
  proxy: ReadOnlyProxy,
  authority: string,
  request: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const ca = await proxy.caPem();
  const host = authority.slice(0, authority.lastIndexOf(':'));
  const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
    const connect = httpRequest({
      host: '127.0.0.1',
      port: Number(new URL(proxy.url).port),
      method: 'CONNECT',
      path: authority,
    });
    connect.on('connect', (_res, tunnel) => resolve(tunnel as import('node:net').Socket));
    connect.on('error', reject);
    connect.end();
  });
  const tls = tlsConnect({ socket, ca, host, ...(isIP(host) ? {} : { servername: host }) });
  return new Promise((resolve, reject) => {
    const headers = {
      ...request.headers,
      ...(request.body ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}),
    };
    const req = httpRequest(
      {
        createConnection: () => tls,
        method: request.method ?? 'GET',
        path: request.path ?? '/',
        host,
        headers: { host: authority, ...headers },
        maxHeaderSize: 512 * 1024,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => {
          tls.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

describe('HTTP/2 upstream', () => {
  it('loads an HTTP/2-only server: status, body and headers come back, over one session', async () => {
    const h2 = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    await withProxy({ appHosts: [`127.0.0.1:${h2.port}`] }, async (proxy) => {
      const page = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: '/page?x=1' });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Over HTTP/2</h1>');
      expect(page.headers['x-served-over']).toBe('HTTP/2.0');
      expect(page.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(page.headers['x-smoke-seal-guard']).toBeUndefined();
      const missing = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: '/missing' });
      expect(missing).toMatchObject({ status: 404, body: 'not here' });
      const head = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { method: 'HEAD', path: '/page' });
      expect(head).toMatchObject({ status: 200, body: '' });
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: `/p${i}` })),
      );
    });
    expect(h2.seen.map((request) => `${request.method} ${request.path}`).slice(0, 3)).toEqual([
      'GET /page?x=1',
      'GET /missing',
      'HEAD /page',
    ]);
    expect(h2.seen.every((request) => request.httpVersion === '2.0')).toBe(true);
    expect(h2.seen[0]?.headers[':authority']).toBe(`127.0.0.1:${h2.port}`);
    // One session per origin and address for the seal, whatever the number of browser connections.
    expect(h2.sessions()).toBe(1);
  });

  it('opens a new session when the server ends one (GOAWAY), and the next read still loads', async () => {
    const h2 = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    await withProxy({ appHosts: [`127.0.0.1:${h2.port}`] }, async (proxy) => {
      expect(await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: '/bye' })).toMatchObject({
        status: 200,
        body: 'bye',
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: '/page' })).status).toBe(200);
    });
    expect(h2.sessions()).toBe(2);
  });

  it('still refuses a POST locally (204), and the HTTP/2 server never sees it', async () => {
    const h2 = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    await withProxy({ appHosts: [`127.0.0.1:${h2.port}`] }, async (proxy, refusals) => {
      const post = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, {
        method: 'POST',
        path: '/api/write',
        body: 'x=1',
      });
      expect(post.status).toBe(204);
      expect(post.headers['x-smoke-seal-guard']).toBe('refused');
      expect(refusals.map((refusal) => refusal.method)).toEqual(['POST']);
    });
    expect(h2.seen).toEqual([]);
    // The method is judged before any connection upstream is made.
    expect(h2.sessions()).toBe(0);
  });

  it('passes 20 KB of Set-Cookie in 200 fields over HTTP/2', async () => {
    const h2 = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    await withProxy({ appHosts: [`127.0.0.1:${h2.port}`] }, async (proxy) => {
      const answer = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, { path: '/cookies' });
      expect(answer.status).toBe(200);
      expect(answer.headers['set-cookie']).toHaveLength(200);
      expect(answer.body).toBe('many cookies');
    });
  });

  it("sends the seal's credentials to the app's HTTP/2 origin only, never to another HTTP/2 host", async () => {
    const app = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    const other = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    await withProxy(
      {
        appHosts: [`127.0.0.1:${app.port}`],
        baseUrl: `https://127.0.0.1:${app.port}`,
        auth: { headers: { 'X-Api-Key': 'seal-key' } },
        // The other server stands in for a public third party.
        classifyAddress: () => null,
      },
      async (proxy) => {
        await viaTunnel(proxy, `127.0.0.1:${app.port}`, {
          path: '/page',
          headers: { 'x-api-key': 'page-own' },
        });
        await viaTunnel(proxy, `127.0.0.1:${other.port}`, { path: '/page' });
      },
    );
    expect(app.seen[0]?.headers['x-api-key']).toBe('seal-key');
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.headers['x-api-key']).toBeUndefined();
  });

  it.each([
    [
      'expired',
      () => certs.leaf('127.0.0.1', { expired: true }),
      'certificate has expired (CERT_HAS_EXPIRED)',
    ],
    [
      'for another host',
      () => certs.leaf('other.example'),
      'certificate is not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    ],
    [
      'named only in its CN',
      () => certs.leaf('127.0.0.1', { cnOnly: true }),
      'certificate names its host only in the CN, no subjectAltName (Chromium refuses it) (ERR_CERT_COMMON_NAME_INVALID)',
    ],
  ])('names the TLS error of an HTTP/2 server whose certificate is %s', async (_name, make, reason) => {
    const h2 = await h2OnlyServer(await make());
    await withProxy({ appHosts: [`127.0.0.1:${h2.port}`] }, async (proxy) => {
      const answer = await viaTunnel(proxy, `127.0.0.1:${h2.port}`, {
        path: '/page',
        headers: { origin: 'https://app.example.com' },
      });
      expect(answer.status).toBe(502);
      expect(answer.headers).toMatchObject({
        'x-smoke-seal-guard': 'upstream-error',
        'x-smoke-seal-guard-error': `TLS error: ${reason}`,
        'access-control-allow-origin': 'https://app.example.com',
      });
      expect(answer.body).toMatch(/^Smoke Seal read-only guard \(not production\) could not reach/);
    });
    expect(h2.seen).toEqual([]);
  });
});

describe('HTTP/1.1 upstream over TLS', () => {
  it('keeps the connection that learned the origin speaks HTTP/1.1: two reads, one connection', async () => {
    let connections = 0;
    const server = createHttpsServer({ ...(await certs.leaf('127.0.0.1')), keepAlive: true }, (req, res) => {
      req.resume();
      res.end(`served ${req.url} over HTTP/${req.httpVersion}`);
    });
    server.on('secureConnection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;
    await withProxy({ appHosts: [`127.0.0.1:${port}`] }, async (proxy) => {
      expect((await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/one' })).body).toBe(
        'served /one over HTTP/1.1',
      );
      expect((await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/two' })).body).toBe(
        'served /two over HTTP/1.1',
      );
    });
    expect(connections).toBe(1);
  });
});

describe('a missing intermediate, fetched from the AIA URL', () => {
  it.each([
    ['HTTP/1.1', 'DER'],
    ['HTTP/2', 'PEM'],
    ['HTTP/1.1', 'a PKCS#7 bundle with its root (a .p7c)'],
  ])(
    'accepts an %s server that sends its leaf alone (the intermediate served as %s), fetching it once',
    async (protocol, form) => {
      const aia = await issuerServer();
      const chain = await certs.leafViaIntermediate(
        '127.0.0.1',
        `http://ca-issuers.test:${aia.port}/intermediate.crt`,
      );
      aia.serve(
        form === 'DER' ? chain.intermediateDer : form === 'PEM' ? chain.intermediatePem : chain.bundleP7c,
      );
      const port =
        protocol === 'HTTP/2' ? (await h2OnlyServer(chain)).port : await leafOnlyHttpsServer(chain);
      await withProxy(
        {
          appHosts: [`127.0.0.1:${port}`],
          lookup: async () => '127.0.0.1',
          // ca-issuers.test stands in for a CA's public host.
          classifyAddress: () => null,
        },
        async (proxy) => {
          const first = await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/one' });
          expect(first.headers['x-smoke-seal-guard-error']).toBeUndefined();
          expect(first.status).toBe(200);
          const second = await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/two' });
          expect(second.status).toBe(200);
        },
      );
      // Cached for the seal: one plain GET, however many connections.
      expect(aia.requests).toEqual(['GET /intermediate.crt']);
    },
  );

  // Chromium never trusts a root fetched from the network: a hostile server naming its own root in its AIA
  // must not be accepted by the proxy where the browser would refuse it (a green seal that lies).
  it.each([
    ['a self-signed root alone', 'root'],
    ['a PKCS#7 bundle of the intermediate and its root', 'bundle'],
    ['an intermediate of another CA (a trust anchor only if taken as one)', 'intermediate'],
  ])('never takes a root from an AIA answer as trusted: %s', async (_, served) => {
    const untrusted = await createTestCertificates('Hostile root');
    const aia = await issuerServer();
    const url = `http://ca-issuers.test:${aia.port}/issuer.crt`;
    const chain =
      served === 'root'
        ? await untrusted.leaf('127.0.0.1', { caIssuersUrl: url })
        : await untrusted.leafViaIntermediate('127.0.0.1', url);
    aia.serve(
      served === 'root'
        ? untrusted.caDer
        : served === 'bundle'
          ? (chain as LeafViaIntermediate).bundleP7c
          : (chain as LeafViaIntermediate).intermediateDer,
    );
    const port = await leafOnlyHttpsServer(chain);
    await withProxy(
      { appHosts: [`127.0.0.1:${port}`], lookup: async () => '127.0.0.1', classifyAddress: () => null },
      async (proxy) => {
        const answer = await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/one' });
        expect(answer.status).toBe(502);
        expect(answer.headers['x-smoke-seal-guard-error']).toMatch(/^TLS error: /);
      },
    );
    expect(aia.requests).toEqual(['GET /issuer.crt']);
  });

  it('keeps the error when the fetched intermediate does not chain to a trusted root, saying so', async () => {
    const untrusted = await createTestCertificates();
    const aia = await issuerServer();
    const chain = await untrusted.leafViaIntermediate(
      '127.0.0.1',
      `http://ca-issuers.test:${aia.port}/intermediate.crt`,
    );
    aia.serve(chain.intermediateDer);
    const port = await leafOnlyHttpsServer(chain);
    await withProxy(
      { appHosts: [`127.0.0.1:${port}`], lookup: async () => '127.0.0.1', classifyAddress: () => null },
      async (proxy) => {
        for (const path of ['/one', '/two']) {
          const answer = await viaTunnel(proxy, `127.0.0.1:${port}`, { path });
          expect(answer.status).toBe(502);
          expect(answer.headers['x-smoke-seal-guard-error']).toBe(
            'TLS error: certificate chain is incomplete, and the intermediate fetched from its AIA URL does not chain to a trusted root (AIA_INTERMEDIATE_UNTRUSTED)',
          );
        }
      },
    );
    expect(aia.requests).toEqual(['GET /intermediate.crt']);
  });

  it.each([
    {
      what: 'names a leaf for another host as such once its fetched intermediate completes the chain',
      host: 'other.example',
      served: (intermediate: Buffer) => intermediate,
      error: 'TLS error: certificate is not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    },
    {
      what: 'takes nothing from an AIA answer over 64 KB: the original error stands',
      host: '127.0.0.1',
      // The intermediate, then 70 KB more: a certificate is 1 to 2 KB; this is no certificate answer.
      served: (intermediate: Buffer) => Buffer.concat([intermediate, Buffer.alloc(70 * 1024)]),
      error:
        'TLS error: certificate chain is incomplete (unable to verify the leaf) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    },
  ])('$what', async ({ host, served, error }) => {
    const aia = await issuerServer();
    const chain = await certs.leafViaIntermediate(
      host,
      `http://ca-issuers.test:${aia.port}/intermediate.crt`,
    );
    aia.serve(served(chain.intermediateDer));
    const port = await leafOnlyHttpsServer(chain);
    await withProxy(
      { appHosts: [`127.0.0.1:${port}`], lookup: async () => '127.0.0.1', classifyAddress: () => null },
      async (proxy) => {
        const answer = await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/' });
        expect(answer.headers['x-smoke-seal-guard-error']).toBe(error);
      },
    );
    expect(aia.requests).toEqual(['GET /intermediate.crt']);
  });

  it("never fetches an AIA URL on a destination the guard refuses (loopback, off the app's hosts)", async () => {
    const aia = await issuerServer();
    const chain = await certs.leafViaIntermediate(
      '127.0.0.1',
      `http://127.0.0.1:${aia.port}/intermediate.crt`,
    );
    aia.serve(chain.intermediateDer);
    const port = await leafOnlyHttpsServer(chain);
    await withProxy({ appHosts: [`127.0.0.1:${port}`] }, async (proxy) => {
      const answer = await viaTunnel(proxy, `127.0.0.1:${port}`, { path: '/' });
      expect(answer.status).toBe(502);
      expect(answer.headers['x-smoke-seal-guard-error']).toBe(
        'TLS error: certificate chain is incomplete (unable to verify the leaf) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      );
    });
    expect(aia.requests).toEqual([]);
  });
});

describe('through real Chromium', () => {
  it('seals an HTTP/2-only site green, and its POST never reaches it', async () => {
    const h2 = await h2OnlyServer(await certs.leaf('127.0.0.1'));
    const launcher = new ChromiumLauncher({ guard: { extraCa: certs.caPem } });
    const spec = SpecSchema.parse({
      checks: [
        { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' }, requireTitle: true },
        { kind: 'status', name: 'missing', path: '/missing', status: 404 },
      ],
      retries: 0,
      checkTimeoutMs: 15_000,
    });
    const run = await runSpec({
      spec,
      baseUrl: `https://127.0.0.1:${h2.port}`,
      launcher,
      deadlineMs: 60_000,
    });
    expect(run.checks.map((check) => check.error)).toEqual([null, null]);
    expect(h2.seen.length).toBeGreaterThan(0);
    expect(h2.seen.every((request) => request.httpVersion === '2.0' && request.method === 'GET')).toBe(true);
    expect(run.refused.requests.map((group) => `${group.method} ${new URL(group.url).pathname}`)).toEqual([
      'POST /api/write',
    ]);
  });

  it('seals a site that leaves its intermediate out green, as Chromium itself would', async () => {
    const aia = await issuerServer();
    const chain = await certs.leafViaIntermediate(
      '127.0.0.1',
      `http://ca-issuers.test:${aia.port}/intermediate.crt`,
    );
    aia.serve(chain.intermediateDer);
    const h2 = await h2OnlyServer(chain);
    const launcher = new ChromiumLauncher({
      guard: { extraCa: certs.caPem, lookup: async () => '127.0.0.1', classifyAddress: () => null },
    });
    const spec = SpecSchema.parse({
      checks: [{ kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' }, requireTitle: true }],
      retries: 0,
      checkTimeoutMs: 15_000,
    });
    const run = await runSpec({
      spec,
      baseUrl: `https://127.0.0.1:${h2.port}`,
      launcher,
      deadlineMs: 60_000,
    });
    expect(run.checks.map((check) => check.error)).toEqual([null]);
    expect(aia.requests).toEqual(['GET /intermediate.crt']);
  });
});
