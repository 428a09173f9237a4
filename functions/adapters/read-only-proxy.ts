// The read-only guard below the browser: an HTTP(S) proxy on 127.0.0.1 that Chromium and Playwright's
// request contexts must use. Only GET, HEAD and bodiless OPTIONS leave, only to allowed destinations;
// everything else is answered here, so production never sees it and the page behaves as in production.
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import {
  createServer,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type AddressInfo, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates, TLSSocket } from 'node:tls';
import { type AddressClass, classifyAddress, decideDestination } from '../core/destination-policy';
import type { TargetAuth } from '../core/ports';
import { describeUpstreamError } from './describe-upstream-error';
import { SealCertificateAuthority } from './seal-certificate-authority';

/** Header on every answer the guard makes itself. */
export const GUARD_HEADER = 'x-smoke-seal-guard';
/** Header naming why production could not be reached (TLS, refused connection): the check's error. */
export const GUARD_ERROR_HEADER = 'x-smoke-seal-guard-error';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
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
}

export interface ReadOnlyProxyOptions {
  readonly appHosts: readonly string[];
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
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });
  private readonly tunnels = new WeakMap<Duplex, TunnelTarget>();
  private readonly resolved = new Map<string, Promise<string>>();
  private readonly authHeaders: Readonly<Record<string, string>>;

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
  }

  static async start(options: ReadOnlyProxyOptions): Promise<ReadOnlyProxy> {
    const ca = await SealCertificateAuthority.create();
    const server = createServer({ keepAlive: true });
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
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
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
      answer(res, 400, { [GUARD_HEADER]: 'bad-request' }, 'smoke-seal guard: not a proxy request\n');
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!READ_METHODS.has(method) || hasBody) {
      req.resume();
      this.refuse({
        method,
        url: url.toString(),
        reason: READ_METHODS.has(method)
          ? `${method} with a body is not read-only`
          : `${method} is not read-only`,
        destination: false,
      });
      // What a server that accepted the write and said nothing answers; CORS-open so a page's fetch resolves.
      answer(res, 204, { [GUARD_HEADER]: 'refused', ...corsFor(req) });
      return;
    }

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    let address: string;
    try {
      address = isIP(host) ? host : await this.resolve(host);
    } catch (error) {
      this.failUpstream(res, error);
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

    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower === 'host') continue;
      const existing = headers[name];
      const value = req.rawHeaders[i + 1]!;
      headers[name] = existing === undefined ? value : [...[existing].flat().map(String), value];
    }
    headers.host = url.host;
    if (decision.appHost) Object.assign(headers, this.authHeaders);

    const secure = url.protocol === 'https:';
    const upstream = (secure ? httpsRequest : httpRequest)({
      host,
      port,
      method,
      path: `${url.pathname}${url.search}`,
      headers,
      agent: secure ? this.httpsAgent : this.httpAgent,
      // Connect to the address that was checked, never a second resolution (DNS rebinding).
      lookup: (_name, options, callback) => {
        const family = isIP(address);
        if ((options as { all?: boolean }).all) callback(null, [{ address, family }] as never, family);
        else callback(null, address, family);
      },
      ...(secure ? { servername: isIP(host) ? '' : host } : {}),
      ...(secure && this.options.extraCa ? { ca: [...rootCertificates, this.options.extraCa] } : {}),
    });
    upstream.on('response', (response) => {
      const raw: string[] = [];
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        const name = response.rawHeaders[i]!.toLowerCase();
        // Only the guard speaks with the guard's headers: production cannot fake a guard verdict.
        if (HOP_BY_HOP.has(name) || name.startsWith(GUARD_HEADER)) continue;
        raw.push(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
      }
      res.writeHead(response.statusCode ?? 502, response.statusMessage, raw);
      response.pipe(res);
      response.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => this.failUpstream(res, error));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  }

  /** One resolution per name per seal: faster, and a name cannot change its address mid-seal. */
  private resolve(host: string): Promise<string> {
    const key = host.toLowerCase();
    let address = this.resolved.get(key);
    if (!address) {
      address = (this.options.lookup ?? systemLookup)(key);
      this.resolved.set(key, address);
      // A failed lookup is not cached: the next request may try again.
      address.catch(() => this.resolved.delete(key));
    }
    return address;
  }

  private failUpstream(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
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
      },
      `Smoke Seal read-only guard could not reach production: ${reason}\n`,
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

async function systemLookup(host: string): Promise<string> {
  const { address } = await dnsLookup(host);
  return address;
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
