// The read-only guard below the browser: an HTTP(S) proxy on 127.0.0.1 that Chromium and Playwright's
// request contexts must use. Only GET, HEAD and bodiless OPTIONS leave, only to allowed destinations;
// everything else is answered here, so production never sees it and the page behaves as in production.
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import { type AddressInfo, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { type AddressClass, classifyAddress, decideDestination } from '../core/destination-policy';
import { judgeBodyRead, judgeGraphqlGet } from '../core/judge-body-read';
import { METHOD_OVERRIDE_HEADERS, methodOverrideRefusal } from '../core/method-override';
import type { TargetAuth } from '../core/ports';
import { sendsAuthTo } from '../core/sends-auth-to';
import { describeUpstreamError } from './describe-upstream-error';
import { NameResolver } from './name-resolver';
import { SealCertificateAuthority } from './seal-certificate-authority';
import { MAX_HEADER_BYTES, UpstreamClient } from './upstream-client';

export { MAX_HEADER_BYTES };

/** Header on every answer the guard makes itself. */
export const GUARD_HEADER = 'x-smoke-seal-guard';
/** Header naming why production could not be reached (TLS, refused connection): the check's error. */
export const GUARD_ERROR_HEADER = 'x-smoke-seal-guard-error';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The most of a request body the guard reads to judge it a read (a GraphQL query, a listed endpoint). */
export const MAX_JUDGED_BODY_BYTES = 1024 * 1024;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface Refusal {
  readonly method: string;
  readonly url: string;
  readonly reason: string;
  /** True when the destination itself was refused (not only the method). */
  readonly destination: boolean;
  /**
   * For a refused write, who sent it: `navigation` (a form submitted, a document loaded with POST),
   * `request-context` (Playwright's `request`/`page.request`: no Sec-Fetch headers, which Chromium sends
   * with every request of a page to a trustworthy origin) or `page` (the page's own fetch, XHR, beacon).
   * A test whose own write was refused cannot be judged read-only (playwright-suite.ts).
   */
  readonly sentBy?: 'navigation' | 'request-context' | 'page';
  /** When it was refused (epoch ms), to place it in a test's run. */
  readonly at?: number;
}

/** Who sent a request, from the Sec-Fetch-Mode header Chromium adds (none: Playwright's request context, or plain http). */
function sentByOf(headers: IncomingMessage['headers']): NonNullable<Refusal['sentBy']> {
  const mode = headers['sec-fetch-mode'];
  if (mode === 'navigate') return 'navigation';
  return mode === undefined ? 'request-context' : 'page';
}

/** A request with a body that the guard let through as a read: named in the seal each time. */
export interface BodyRead {
  readonly method: string;
  readonly url: string;
  /** `GraphQL query`, or the `readOnly.allow` entry that listed it. */
  readonly reason: string;
}

export interface ReadOnlyProxyOptions {
  readonly appHosts: readonly string[];
  /**
   * The seal's base URL: sign-in material goes to its origin (even http, a loopback run) and to the
   * app's hosts over https only. Without it, https only.
   */
  readonly baseUrl?: string;
  /** `apps[].readOnly.allow`: endpoints that only read though they take a body ("POST /api/search"). */
  readonly readOnlyAllow?: readonly string[];
  /** Told of each request with a body let through as a read (a GraphQL query, a listed endpoint). */
  readonly onBodyRead?: (read: BodyRead) => void;
  /** How long one name lookup may take before the request fails as unresolved. @default 5000 */
  readonly lookupTimeoutMs?: number;
  /** DNS servers ("127.0.0.1:5353") instead of the system's: tests' own server. */
  readonly dnsServers?: readonly string[];
  /** AWS_LAMBDA_RUNTIME_API, refused always. */
  readonly runtimeApi?: string | undefined;
  /** Sign-in material, added to requests to the app's hosts only. */
  readonly auth?: TargetAuth | undefined;
  readonly onRefusal: (refusal: Refusal) => void;
  /** Resolves a name to the one address the proxy connects to. Defaults to the system resolver. */
  readonly lookup?: (host: string) => Promise<string>;
  /** Defaults to the real classification; tests use it to let a 127.0.0.1 server stand in for a public host. */
  readonly classifyAddress?: (address: string) => AddressClass | null;
  /** A CA (PEM) trusted upstream besides Node's roots: tests' own CA, or a staging host's private one. */
  readonly extraCa?: string;
}

interface TunnelTarget {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
}

export class ReadOnlyProxy {
  private readonly sockets = new Set<Duplex>();
  private readonly tunnels = new WeakMap<Duplex, TunnelTarget>();
  private readonly resolved = new Map<string, Promise<string>>();
  private readonly authHeaders: Readonly<Record<string, string>>;
  private readonly resolver: NameResolver;
  private readonly upstream: UpstreamClient;

  private constructor(
    private readonly server: Server,
    private readonly ca: SealCertificateAuthority,
    private readonly options: ReadOnlyProxyOptions,
  ) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.auth?.headers ?? {}))
      headers[name.toLowerCase()] = value;
    const basic = options.auth?.basic;
    if (basic) {
      headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    }
    this.authHeaders = headers;
    this.resolver = new NameResolver({
      timeoutMs: options.lookupTimeoutMs ?? 5_000,
      ...(options.dnsServers ? { servers: options.dnsServers } : {}),
    });
    this.upstream = new UpstreamClient({
      extraCa: options.extraCa,
      // A caIssuers URL goes where any request may go, and nowhere else.
      admitIssuerUrl: (url) => this.admit(url),
    });
  }

  static async start(options: ReadOnlyProxyOptions): Promise<ReadOnlyProxy> {
    const ca = await SealCertificateAuthority.create();
    const server = createServer({ keepAlive: true, maxHeaderSize: MAX_HEADER_BYTES });
    const proxy = new ReadOnlyProxy(server, ca, options);
    server.on('connection', (socket: Socket) => proxy.track(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void proxy.onRequest(req, res));
    server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      proxy.onConnect(req, socket, head),
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      proxy.onUpgrade(req, socket, head),
    );
    server.on('clientError', (_error, socket: Duplex) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** `http://127.0.0.1:PORT`: what Chromium's `proxy.server` takes. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** base64 SHA-256 of the leaves' key, for `--ignore-certificate-errors-spki-list`. */
  get leafSpkiSha256(): string {
    return this.ca.leafSpkiSha256;
  }

  /** The per-seal CA, PEM: a Node client that must trust the proxy's leaves uses it as `ca`. */
  caPem(): Promise<string> {
    return this.ca.caPem();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    this.upstream.close();
    // A lookup still waiting on a silent server must not keep the process (the CLI) alive.
    this.resolver.cancel();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  /** CONNECT host:port: tunnel accepted, then TLS is terminated here or plain HTTP parsed, by the first byte. */
  private onConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const authority = parseAuthority(req.url ?? '');
    if (!authority) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const proceed = (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x16) {
        void this.ca.contextFor(authority.host).then(
          (secureContext) => {
            const tls = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
            this.tunnels.set(tls, { ...authority, secure: true });
            this.track(tls);
            this.server.emit('connection', tls);
          },
          () => socket.destroy(),
        );
      } else {
        this.tunnels.set(socket, { ...authority, secure: false });
        this.server.emit('connection', socket);
        socket.resume();
      }
    };
    if (head.length > 0) proceed(head);
    else socket.once('data', proceed);
  }

  private targetOf(req: IncomingMessage): URL | null {
    const tunnel = this.tunnels.get(req.socket);
    try {
      if (tunnel) {
        const host = isIP(tunnel.host) === 6 ? `[${tunnel.host}]` : tunnel.host;
        return new URL(`${tunnel.secure ? 'https' : 'http'}://${host}:${tunnel.port}${req.url ?? '/'}`);
      }
      const url = new URL(req.url ?? '');
      return url.protocol === 'http:' ? url : null;
    } catch {
      return null;
    }
  }

  private refuse(refusal: Refusal): void {
    this.options.onRefusal(refusal);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = this.targetOf(req);
    if (!url) {
      answer(
        res,
        400,
        { [GUARD_HEADER]: 'bad-request', ...corsFor(req) },
        'smoke-seal guard: not a proxy request\n',
      );
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    let body: Buffer | null = null;
    let bodyRead: string | null = null;
    if (!READ_METHODS.has(method) || hasBody) {
      const judged = await this.judgeBody(req, method, url);
      if (!judged.read) {
        if (judged.askForQueryText) {
          // Apollo's automatic persisted query: "not found" makes the client send the query's text.
          answer(
            res,
            200,
            { [GUARD_HEADER]: 'persisted-query', 'content-type': 'application/json', ...corsFor(req) },
            PERSISTED_QUERY_NOT_FOUND,
          );
          return;
        }
        this.refuse({
          method,
          url: url.toString(),
          reason: judged.reason,
          destination: false,
          sentBy: sentByOf(req.headers),
          at: Date.now(),
        });
        answerRefused(req, res);
        return;
      }
      body = judged.body;
      bodyRead = judged.reason;
    }
    // A read that a framework would turn into a write (X-HTTP-Method-Override: DELETE, ?_method=PUT).
    const override =
      methodOverrideRefusal(req.headers, url.searchParams) ??
      (url.searchParams.has('query') ? graphqlGetRefusal(url) : null);
    if (override) {
      this.refuse({
        method,
        url: url.toString(),
        reason: override,
        destination: false,
        sentBy: sentByOf(req.headers),
        at: Date.now(),
      });
      answerRefused(req, res);
      return;
    }

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    let address: string;
    try {
      address = isIP(host) ? host : await this.resolve(host);
    } catch (error) {
      this.failUpstream(req, res, error);
      return;
    }
    const decision = decideDestination(
      { host, port, address },
      { appHosts: this.options.appHosts, runtimeApi: this.options.runtimeApi },
      this.options.classifyAddress ?? classifyAddress,
    );
    if (!decision.allowed) {
      this.refuse({ method, url: url.toString(), reason: decision.reason, destination: true });
      answer(
        res,
        403,
        { [GUARD_HEADER]: 'refused', 'content-type': 'text/plain; charset=utf-8', ...corsFor(req) },
        "Refused by the Smoke Seal read-only guard: this destination is off the app's hosts.\n",
      );
      return;
    }
    if (bodyRead) this.options.onBodyRead?.({ method, url: url.toString(), reason: bodyRead });

    const addAuth = decision.appHost && sendsAuthTo(url, this.options.baseUrl, this.options.appHosts);
    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower === 'host' || lower === 'content-length') continue;
      // Read-valued overrides (GET, HEAD) are harmless but say nothing production needs.
      if (METHOD_OVERRIDE_HEADERS.includes(lower)) continue;
      // The seal's sign-in material replaces a page's own header of the same name.
      if (addAuth && lower in this.authHeaders) continue;
      const existing = headers[name];
      const value = req.rawHeaders[i + 1]!;
      headers[name] = existing === undefined ? value : [...[existing].flat().map(String), value];
    }
    headers.host = url.host;
    if (body) headers['content-length'] = String(body.length);
    if (addAuth) Object.assign(headers, this.authHeaders);

    // Connects to the address that was checked, never a second resolution (DNS rebinding).
    const exchange = this.upstream.send({ url, host, port, address, method, headers, body });
    res.on('close', () => {
      if (!res.writableFinished) exchange.abort();
    });
    exchange.response.then(
      (response) => {
        const raw: string[] = [];
        // A chunked answer's length is its chunks' (Chromium ignores a Content-Length beside them): passed on,
        // that length would hold the browser waiting for bytes that never come.
        const chunked = response.rawHeaders.some(
          (field, i) => i % 2 === 0 && field.toLowerCase() === 'transfer-encoding',
        );
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          const name = response.rawHeaders[i]!.toLowerCase();
          // Only the guard speaks with the guard's headers: production cannot fake a guard verdict.
          if (HOP_BY_HOP.has(name) || name.startsWith(GUARD_HEADER)) continue;
          if (chunked && name === 'content-length') continue;
          // A field the lenient parser took that HTTP cannot carry on (a control character) is left out.
          if (!writableHeader(response.rawHeaders[i]!, response.rawHeaders[i + 1]!)) continue;
          raw.push(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        }
        // The browser side stays HTTP/1.1 whatever production spoke.
        const reason = writableHeader('x', response.statusMessage ?? '') ? response.statusMessage : undefined;
        res.writeHead(response.status, reason, raw);
        response.body.pipe(res);
        response.body.on('error', () => res.destroy());
        // A body cut off without an error (an HTTP/2 stream reset) must not leave the browser waiting.
        response.body.on('close', () => {
          if (!response.body.readableEnded) res.destroy();
        });
      },
      (error: unknown) => this.failUpstream(req, res, error),
    );
  }

  /** Where a URL the guard fetches itself (a caIssuers URL) may go: the address, or why not. */
  private async admit(url: URL): Promise<{ readonly address: string } | { readonly refused: string }> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const address = isIP(host) ? host : await this.resolve(host);
    const decision = decideDestination(
      { host, port, address },
      { appHosts: this.options.appHosts, runtimeApi: this.options.runtimeApi },
      this.options.classifyAddress ?? classifyAddress,
    );
    return decision.allowed ? { address } : { refused: decision.reason };
  }

  /** Reads (bounded) and judges a request's body: a GraphQL query or a listed endpoint leaves; the rest is refused. */
  private async judgeBody(
    req: IncomingMessage,
    method: string,
    url: URL,
  ): Promise<
    | { readonly read: true; readonly reason: string; readonly body: Buffer }
    | { readonly read: false; readonly reason: string; readonly askForQueryText?: boolean }
  > {
    const refusedAs = READ_METHODS.has(method)
      ? `${method} with a body is not read-only`
      : `${method} is not read-only`;
    const mayRead = method === 'POST' || (this.options.readOnlyAllow ?? []).length > 0;
    if (!mayRead) {
      req.resume();
      return { read: false, reason: refusedAs };
    }
    const body = await readBounded(req, MAX_JUDGED_BODY_BYTES);
    if (body === null) return { read: false, reason: refusedAs };
    const decision = judgeBodyRead({
      method,
      path: url.pathname,
      contentType: String(req.headers['content-type'] ?? ''),
      body,
      allow: this.options.readOnlyAllow ?? [],
    });
    if (decision.read) return { read: true, reason: decision.reason, body };
    const reason = decision.reason === 'POST is not read-only' ? refusedAs : decision.reason;
    return { read: false, reason, ...(decision.askForQueryText ? { askForQueryText: true } : {}) };
  }

  /** One resolution per name per seal: faster, and a name cannot change its address mid-seal. */
  private resolve(host: string): Promise<string> {
    const key = host.toLowerCase();
    let address = this.resolved.get(key);
    if (!address) {
      address = this.options.lookup ? this.options.lookup(key) : this.resolver.resolve(key);
      this.resolved.set(key, address);
      // A failed lookup is not cached: the next request may try again.
      address.catch(() => this.resolved.delete(key));
    }
    return address;
  }

  private failUpstream(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const reason = describeUpstreamError(error);
    answer(
      res,
      502,
      {
        [GUARD_HEADER]: 'upstream-error',
        [GUARD_ERROR_HEADER]: reason,
        'content-type': 'text/plain; charset=utf-8',
        // The guard's own answer: a page's console must not blame CORS for what the guard said.
        ...corsFor(req),
        'access-control-expose-headers': `${GUARD_HEADER}, ${GUARD_ERROR_HEADER}`,
      },
      `Smoke Seal read-only guard (not production) could not reach ${hostOf(req)}: ${reason}\n`,
    );
  }

  /** A WebSocket handshake never leaves: a silent local stand-in accepts it and discards what the page sends. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void head;
    const url = this.targetOf(req);
    const isWebSocket = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    const wsUrl = url
      ? `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${url.pathname}${url.search}`
      : String(req.url ?? '');
    this.refuse({
      method: isWebSocket ? 'WEBSOCKET' : `UPGRADE ${String(req.headers.upgrade ?? '').slice(0, 20)}`,
      url: wsUrl,
      reason: 'WebSocket handshakes do not leave (answered by a silent stand-in)',
      destination: false,
    });
    const key = req.headers['sec-websocket-key'];
    if (!isWebSocket || typeof key !== 'string') {
      socket.end(`HTTP/1.1 204 No Content\r\n${GUARD_HEADER}: refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    const accept = createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
    const protocol = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')[0]
      ?.trim();
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}` +
        `${GUARD_HEADER}: stand-in\r\n\r\n`,
    );
    // Read and drop every frame; the socket stays open until the page goes (or the seal closes the proxy).
    socket.on('data', () => undefined);
    socket.resume();
  }
}

/** What Apollo's automatic persisted queries answer for an unknown hash: the client then sends the text. */
const PERSISTED_QUERY_NOT_FOUND = JSON.stringify({
  errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
});

/**
 * The answer to a refused write: what a server that accepted it and said nothing answers. A request that
 * accepts JSON (a page that will parse the answer) gets `{}`, so `response.json()` does not throw; a
 * navigation or anything else gets an empty 204 (a 204 leaves a page where it was). CORS-open either way.
 */
function answerRefused(req: IncomingMessage, res: ServerResponse): void {
  const accept = String(req.headers.accept ?? '').toLowerCase();
  const navigation = req.headers['sec-fetch-mode'] === 'navigate';
  if (!navigation && /\bjson\b|\+json/.test(accept)) {
    answer(
      res,
      200,
      { [GUARD_HEADER]: 'refused', 'content-type': 'application/json', ...corsFor(req) },
      '{}',
    );
    return;
  }
  answer(res, 204, { [GUARD_HEADER]: 'refused', ...corsFor(req) });
}

/** A GraphQL GET (`?query=mutation …`): refused when its document is not all queries. */
function graphqlGetRefusal(url: URL): string | null {
  const query = url.searchParams.get('query') ?? '';
  // Only a GraphQL document is judged: a search page's `?query=shoes` is no GraphQL.
  if (!/^\s*(\{|query\b|mutation\b|subscription\b|fragment\b)/.test(query)) return null;
  return judgeGraphqlGet(query);
}

/** Reads a request's body up to `max` bytes; null when it is larger (or breaks off). */
function readBounded(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.once('error', () => resolve(null));
  });
}

function hostOf(req: IncomingMessage): string {
  const text = String(req.headers.host ?? 'production').replace(/[^\x21-\x7e]/g, '?');
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end(status === 204 ? undefined : body);
}

/** A page's cross-origin write must resolve as production's would, not reject on CORS. */
function corsFor(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

function parseAuthority(text: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:/\s]+)):(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return null;
  return { host: (match[1] ?? match[2]!).toLowerCase(), port };
}

/** Whether Node will write this header field (a valid token name, a value without control characters). */
function writableHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
