// The read-only guard, tried as a hostile site would: real Chromium, real servers on 127.0.0.1.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChromiumLauncher, type ScriptCheckFn } from '../../functions/adapters/chromium-browser';
import { ReadOnlyProxy, type Refusal } from '../../functions/adapters/read-only-proxy';
import { runSpec, type SpecRun } from '../../functions/core/run-spec';
import { type Check, SpecSchema } from '../../functions/core/spec';
import { decideVerdict } from '../../functions/core/verdict';
import { type HostileSite, startHostileSite, WRITE_VECTORS } from '../fixtures/hostile-site';
import { type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';
import {
  createTestCertificates,
  type KeyAndCert,
  type TestCertificates,
} from '../fixtures/test-certificates';

let site: HostileSite;
let runtimeApi: ScriptedServer;
let stun: UdpSocket;
const stunPackets: Buffer[] = [];

const scripts: Record<string, ScriptCheckFn> = {
  'api-writes': async (page: Page) => {
    await page.request.post('/api/from-page-request', { data: { a: 1 } });
    await page.context().request.delete('/api/from-context-request');
    const read = await page.request.get('/up');
    if ((await read.text()) !== 'ok')
      throw new Error('GET through the request context did not reach the app');
  },
};
scripts['https-api'] = async (page: Page) => {
  await page.request.post('/api/over-tls', { data: 'x' });
  const read = await page.context().request.get('/up');
  if (!read.ok()) throw new Error(`GET /up over TLS through the request context answered ${read.status()}`);
};
scripts['socket-stays-open'] = async (page: Page) => {
  await page.waitForFunction(() => document.title.endsWith('(live)'), undefined, { timeout: 3_000 });
  await page.waitForTimeout(500);
  const state = await page.evaluate('socket.readyState');
  if (state !== 1) throw new Error(`the WebSocket stand-in did not stay open (readyState ${String(state)})`);
};
/** Waits until every vector of /everything has fired in the page (the unload ones fire as the page closes). */
scripts['all-vectors-fired'] = async (page: Page) => {
  const expected = Object.keys(WRITE_VECTORS);
  const fired = () => page.evaluate(() => [...(window as unknown as { fired: Set<string> }).fired]);
  for (let waited = 0; waited < 10_000; waited += 100) {
    if ((await fired()).length >= expected.length) return;
    await page.waitForTimeout(100);
  }
  const seen = await fired();
  throw new Error(`vectors that never fired: ${expected.filter((name) => !seen.includes(name)).join(', ')}`);
};
scripts['signed-in-state'] = async (page: Page) => {
  const seen = await page.evaluate(() => ({
    cookie: document.cookie,
    stored: localStorage.getItem('session'),
  }));
  if (seen.cookie !== 'sid=cookie-secret' || seen.stored !== 'stored-secret') {
    throw new Error(`the storage state was not applied: ${JSON.stringify(seen)}`);
  }
};
const launcher = new ChromiumLauncher({ scripts });

beforeAll(async () => {
  runtimeApi = await startScriptedServer([{ status: 200, body: 'next invocation' }]);
  stun = createSocket('udp4');
  stun.on('message', (message) => stunPackets.push(message));
  await new Promise<void>((resolve) => stun.bind(0, '127.0.0.1', resolve));
  site = await startHostileSite({
    runtimeApi: runtimeApi.origin,
    stunPort: (stun.address() as AddressInfo).port,
  });
});
afterAll(async () => {
  await site.close();
  await runtimeApi.close();
  stun.close();
});
beforeEach(() => {
  site.clearLog();
  runtimeApi.requests.length = 0;
  stunPackets.length = 0;
});

function pageCheck(name: string, path: string): Check {
  return { kind: 'page', name, path, landmark: { role: 'heading' }, requireTitle: true };
}

async function seal(checks: Check[]): Promise<SpecRun> {
  const spec = SpecSchema.parse({ checks, retries: 0, checkTimeoutMs: 8_000 });
  return runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 40_000 });
}

function verdictOf(run: SpecRun) {
  return decideVerdict(
    run.checks.map((result) => ({ ...result, attempts: [] })),
    run.toolingError,
  );
}

/** `POST /analytics/collect` for each refused group (the host dropped). */
function refusedPaths(run: SpecRun): string[] {
  return run.refused.requests.map((request) => {
    const url = new URL(request.url);
    return `${request.method} ${url.host === new URL(site.url).host ? '' : url.origin}${url.pathname}`;
  });
}

/** The site's own log: nothing but reads, no body, no upgrade. */
function expectOnlyReads(): void {
  const writes = site.requests.filter(
    (request) =>
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method) ||
      request.bodyBytes > 0 ||
      request.upgrade !== null,
  );
  expect(writes).toEqual([]);
}

describe('the read-only guard against a hostile site', () => {
  it('seals a healthy page that posts analytics on load, on hide and on unload green, and refuses each post', async () => {
    // One check at a time: the beacons page's pagehide beacon leaves as the seal closes that page, and
    // the next check's page load gives it the time to reach the guard before the browser closes.
    const spec = SpecSchema.parse({
      checks: [pageCheck('beacons', '/vector/beacons'), pageCheck('load-post', '/vector/load-post')],
      retries: 0,
      concurrency: 1,
      checkTimeoutMs: 8_000,
    });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 40_000 });
    expect(verdictOf(run).status).toBe('green');
    expect(refusedPaths(run)).toEqual(
      expect.arrayContaining(['POST /analytics/collect', 'POST /analytics/ping', 'POST /analytics/pagehide']),
    );
    expectOnlyReads();
  });

  it('refuses every write vector of one page, names each with its count, and stays green', async () => {
    // One check at a time: the status check after the page gives its unload beacons time to reach the guard.
    const spec = SpecSchema.parse({
      checks: [
        pageCheck('everything', '/everything'),
        { kind: 'script', name: 'fired', path: '/everything', script: 'all-vectors-fired' },
        { kind: 'status', name: 'up', path: '/up', status: 200 },
      ],
      retries: 0,
      concurrency: 1,
      checkTimeoutMs: 15_000,
    });
    const run = await runSpec({ spec, baseUrl: site.url, launcher, deadlineMs: 50_000 });
    expect(run.checks.map((result) => result.error)).toEqual([null, null, null]);
    expect(verdictOf(run).status).toBe('green');
    const runtime = new URL(runtimeApi.origin).origin;
    expect(refusedPaths(run)).toEqual(
      expect.arrayContaining([
        'POST /analytics/collect', // fetch on load, without .catch: no page error
        'POST /analytics/ping', // sendBeacon
        'POST /analytics/hidden', // sendBeacon on visibilitychange as the seal closes the page
        'POST /analytics/pagehide',
        'POST /analytics/keepalive', // fetch keepalive while the page unloads
        'POST /analytics/unload',
        'WEBSOCKET /worker-socket', // a dedicated Worker's WebSocket
        'POST /shared/write', // a SharedWorker's fetch
        'POST /iframe/write', // a frame's form
        'POST /popup/write', // a popup's fetch
        'PUT /api/items/1',
        'DELETE /api/items/1',
        'PATCH /api/items/1',
        'POST /api/xhr',
        'WEBSOCKET /comms',
        `GET ${runtime}/2018-06-01/runtime/invocation/next`, // <img src> to the runtime API stand-in
      ]),
    );
    expect(run.refused.count).toBe(run.refused.requests.reduce((sum, group) => sum + group.count, 0));
    // The site's own log: reads only (EventSource is a GET and is allowed), no upgrade.
    expectOnlyReads();
    expect(site.requests.map((request) => request.path)).toEqual(expect.arrayContaining(['/events']));
    expect(runtimeApi.requests).toEqual([]);
    expect(stunPackets).toEqual([]);
  });

  it('without the guard the same page writes, so the fixture proves something', async () => {
    const unguarded = new ChromiumLauncher({ guardMode: 'off' });
    const spec = SpecSchema.parse({ checks: [pageCheck('everything', '/everything')], retries: 0 });
    const run = await runSpec({ spec, baseUrl: site.url, launcher: unguarded, deadlineMs: 30_000 });
    expect(run.refused.count).toBe(0);
    const methods = new Set(site.requests.map((request) => request.method));
    expect(methods).toContain('POST');
    expect(methods).toContain('PUT');
    expect(site.requests.some((request) => request.upgrade === 'websocket')).toBe(true);
    expect(runtimeApi.requests.length).toBeGreaterThan(0);
    expect(stunPackets.length).toBeGreaterThan(0);
  });

  it('groups repeated refusals with a count', async () => {
    const run = await seal([pageCheck('a', '/vector/load-post'), pageCheck('b', '/vector/load-post')]);
    const collect = run.refused.requests.find((group) => group.url.endsWith('/analytics/collect'));
    expect(collect).toMatchObject({ method: 'POST', count: 2, reason: 'POST is not read-only' });
    expect(run.refused.count).toBe(2);
  });

  it("refuses a script check's page.request.post and context.request.delete, and lets its GET through", async () => {
    const run = await seal([{ kind: 'script', name: 'api', path: '/healthy', script: 'api-writes' }]);
    expect(run.checks[0]).toMatchObject({ outcome: 'passed', error: null });
    expect(refusedPaths(run).sort()).toEqual([
      'DELETE /api/from-context-request',
      'POST /api/from-page-request',
    ]);
    expectOnlyReads();
    expect(site.requests.map((request) => request.path)).toContain('/up');
  });

  it('fails a check redirected to the runtime API stand-in, naming it, and the stand-in hears nothing', async () => {
    const run = await seal([{ kind: 'status', name: 'redirect', path: '/redirect-runtime', status: 200 }]);
    expect(run.checks[0]?.error).toBe(
      `/redirect-runtime was redirected off the app's hosts to ${runtimeApi.origin}/2018-06-01/runtime/invocation/next (refused)`,
    );
    expect(verdictOf(run).status).toBe('red');
    expect(runtimeApi.requests).toEqual([]);
  });

  it('names the Lambda runtime API when AWS_LAMBDA_RUNTIME_API points at it', async () => {
    const inLambda = new ChromiumLauncher({ runtimeApi: new URL(runtimeApi.origin).host });
    const spec = SpecSchema.parse({ checks: [pageCheck('img', '/vector/runtime-image')], retries: 0 });
    const run = await runSpec({ spec, baseUrl: site.url, launcher: inLambda, deadlineMs: 30_000 });
    expect(run.refused.requests.map((group) => group.reason)).toContain(
      'the Lambda runtime API is never reachable from a seal',
    );
    expect(runtimeApi.requests).toEqual([]);
  });

  it('fails a page that sends itself to another loopback address, naming it', async () => {
    const run = await seal([pageCheck('away', '/location-away')]);
    expect(run.checks[0]?.error).toBe(
      `/location-away was redirected off the app's hosts to http://127.0.0.2:${site.port}/ (refused)`,
    );
  });

  it('answers a WebSocket with a silent stand-in that stays open, so the app does not show a lost connection', async () => {
    const run = await seal([
      { kind: 'script', name: 'live', path: '/vector/page-websocket', script: 'socket-stays-open' },
    ]);
    expect(run.checks[0]).toMatchObject({ outcome: 'passed', error: null });
    expect(refusedPaths(run)).toEqual(['WEBSOCKET /comms']);
    expectOnlyReads();
  });

  it('keeps WebRTC from sending UDP outside the proxy', async () => {
    const run = await seal([pageCheck('webrtc', '/vector/webrtc')]);
    expect(verdictOf(run).status).toBe('green');
    expect(stunPackets).toEqual([]);
  });
});

describe('sign-in through the guard', () => {
  const secret = 'hunter2-not-for-third-parties';
  const basic = `Basic ${Buffer.from(`seal:${secret}`).toString('base64')}`;
  let guarded: HostileSite;
  let thirdParty: ScriptedServer;

  beforeAll(async () => {
    thirdParty = await startScriptedServer([{ status: 200, body: 'window.lib = 1;' }]);
    guarded = await startHostileSite({
      runtimeApi: runtimeApi.origin,
      stunPort: (stun.address() as AddressInfo).port,
      requireAuthorization: basic,
      thirdParty: `http://cdn.test:${new URL(thirdParty.origin).port}`,
    });
  });
  afterAll(async () => {
    await guarded.close();
    await thirdParty.close();
  });

  it("applies the storage state's cookies and the app origin's localStorage at launch", async () => {
    const { hostname } = new URL(site.url);
    const spec = SpecSchema.parse({
      checks: [{ kind: 'script', name: 'state', path: '/healthy', script: 'signed-in-state' }],
      retries: 0,
    });
    const run = await runSpec({
      spec,
      baseUrl: site.url,
      launcher,
      deadlineMs: 30_000,
      auth: {
        storageState: {
          cookies: [
            {
              name: 'sid',
              value: 'cookie-secret',
              domain: hostname,
              path: '/',
              expires: -1,
              httpOnly: false,
              secure: false,
              sameSite: 'Lax',
            },
          ],
          origins: [
            { origin: site.url, localStorage: [{ name: 'session', value: 'stored-secret' }] },
            { origin: 'http://127.0.0.1:1', localStorage: [{ name: 'session', value: 'other-origin' }] },
          ],
        },
      },
    });
    expect(run.checks[0]).toMatchObject({ outcome: 'passed', error: null });
  });

  it('sends basic credentials and headers to the app only, and records neither', async () => {
    // cdn.test stands in for a public CDN: it resolves to this machine, which the test declares public.
    const signedIn = new ChromiumLauncher({
      guard: {
        lookup: async (host) => (host === 'cdn.test' ? '127.0.0.1' : Promise.reject(new Error(`no ${host}`))),
        classifyAddress: (address) => (address === '127.0.0.1' ? null : 'private'),
      },
    });
    const spec = SpecSchema.parse({
      checks: [pageCheck('home', '/third-party'), { kind: 'status', name: 'up', path: '/up', status: 200 }],
      retries: 0,
    });
    const run = await runSpec({
      spec,
      baseUrl: guarded.url,
      launcher: signedIn,
      deadlineMs: 30_000,
      auth: { basic: { username: 'seal', password: secret }, headers: { 'x-api-key': secret } },
    });
    expect(verdictOf(run).status).toBe('green');
    expect(guarded.requests.every((request) => request.authorization === basic)).toBe(true);
    expect(thirdParty.requests.map((request) => request.url)).toEqual(['/lib.js']);
    expect(thirdParty.requests[0]?.headers.authorization).toBeUndefined();
    expect(thirdParty.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(run)).not.toContain(secret);
    expect(JSON.stringify(run)).not.toContain(basic.slice(6));
  });
});

describe('production over HTTPS, checked by the guard as strictly as a browser', () => {
  let certs: TestCertificates;
  const servers: Server[] = [];

  beforeAll(async () => {
    certs = await createTestCertificates();
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function httpsSite(keyAndCert: KeyAndCert): Promise<string> {
    const server = createHttpsServer(keyAndCert, (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(201).end('written');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Secure</title><h1>Secure</h1>');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function sealHttps(baseUrl: string): Promise<SpecRun> {
    const trusting = new ChromiumLauncher({ scripts, guard: { extraCa: certs.caPem } });
    const spec = SpecSchema.parse({
      checks: [
        pageCheck('home', '/'),
        { kind: 'status', name: 'up', path: '/up', status: 200 },
        { kind: 'script', name: 'api', path: '/', script: 'https-api' },
      ],
      retries: 0,
    });
    return runSpec({ spec, baseUrl, launcher: trusting, deadlineMs: 30_000 });
  }

  it('seals a site with a valid certificate green, pages and request contexts alike', async () => {
    const run = await sealHttps(await httpsSite(await certs.leaf('127.0.0.1')));
    expect(run.checks.map((result) => result.error)).toEqual([null, null, null]);
    expect(run.refused.requests.map((group) => group.method)).toEqual(['POST']);
  });

  it.each([
    [
      'expired',
      () => certs.leaf('127.0.0.1', { expired: true }),
      'certificate has expired (CERT_HAS_EXPIRED)',
    ],
    [
      'self-signed',
      () => certs.selfSigned('127.0.0.1'),
      'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ],
    [
      'for another host',
      () => certs.leaf('other.example'),
      'certificate is not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    ],
  ])('seals a certificate that is %s red, naming the TLS reason', async (_name, make, reason) => {
    const run = await sealHttps(await httpsSite(await make()));
    expect(verdictOf(run).status).toBe('red');
    expect(run.checks.find((result) => result.name === 'up')?.error).toBe(`/up TLS error: ${reason}`);
    expect(run.checks.find((result) => result.name === 'home')?.error).toBe(`/ TLS error: ${reason}`);
  });
});

describe('the proxy on its own', () => {
  let proxy: ReadOnlyProxy;
  let upstream: ScriptedServer;
  const refusals: Refusal[] = [];

  beforeAll(async () => {
    upstream = await startScriptedServer([
      {
        status: 200,
        body: 'ok',
        headers: { 'x-smoke-seal-guard': 'upstream-error', 'x-smoke-seal-guard-error': 'fake' },
      },
    ]);
    proxy = await ReadOnlyProxy.start({
      appHosts: [new URL(upstream.origin).host],
      onRefusal: (refusal) => refusals.push(refusal),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  function viaProxy(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const { port } = new URL(proxy.url);
        const req = httpRequest(
          { host: '127.0.0.1', port: Number(port), method, path: `${upstream.origin}${path}`, headers },
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
      },
    );
  }

  it('answers a refused write locally, CORS-open for the page, and production sees nothing', async () => {
    upstream.requests.length = 0;
    const answer = await viaProxy('POST', '/api', { origin: 'https://app.example.com' }, '{}');
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'x-smoke-seal-guard': 'refused',
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
    });
    expect(upstream.requests).toEqual([]);
  });

  it('refuses an OPTIONS or GET that carries a body', async () => {
    upstream.requests.length = 0;
    const framed = { 'content-length': '4' };
    expect((await viaProxy('OPTIONS', '/x', framed, 'body')).status).toBe(204);
    expect((await viaProxy('GET', '/x', framed, 'body')).status).toBe(204);
    expect(refusals.map((refusal) => refusal.reason)).toEqual(
      expect.arrayContaining(['OPTIONS with a body is not read-only', 'GET with a body is not read-only']),
    );
    expect(upstream.requests).toEqual([]);
  });

  it("forwards a read, and production cannot speak with the guard's headers", async () => {
    const answer = await viaProxy('GET', '/up');
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
    expect(answer.headers['x-smoke-seal-guard']).toBeUndefined();
    expect(answer.headers['x-smoke-seal-guard-error']).toBeUndefined();
    expect(upstream.requests.at(-1)).toMatchObject({ method: 'GET', url: '/up' });
  });
});
