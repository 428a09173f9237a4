// How the read-only proxy reaches production once a request is judged and its address allowed: plain http
// through a keep-alive agent; https over connections it verifies itself as Chromium would (a name only in the
// CN refused, a missing intermediate fetched from the leaf's AIA URL), speaking HTTP/2 when the server picks
// it by ALPN (one session per origin and address for the seal) and HTTP/1.1 otherwise.
import {
  type ClientRequestArgs,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  STATUS_CODES,
} from 'node:http';
import { type ClientHttp2Session, connect as http2Connect, constants as http2Constants } from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import {
  checkServerIdentity,
  createSecureContext,
  type PeerCertificate,
  rootCertificates,
  type SecureContext,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import { type AdmitUrl, AiaIssuerFetch } from './aia-issuer-fetch';

/** Chromium's limit on a response's headers (net::HttpStreamParser, and its HTTP/2 SETTINGS); Node's default is 16 KB. */
export const MAX_HEADER_BYTES = 256 * 1024;
/** Header fields per HTTP/2 response (Node's default, 128, is fewer than 20 KB of cookies). */
const MAX_HEADER_PAIRS = 8_192;
/** Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2); `host` travels as `:authority`. */
const NOT_IN_HTTP2 = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);
/** Verification failures that mean an issuer is missing: what a fetch from an AIA URL can complete. */
const MISSING_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);
/** What a fetched intermediate that does not lead to a trusted root makes OpenSSL say. */
const CHAIN_FAILURES = new Set([
  ...MISSING_ISSUER,
  'CERT_SIGNATURE_FAILURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA',
  'CERT_UNTRUSTED',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
]);
/** Intermediates fetched for one chain, each from the AIA URL of the certificate before it. */
const MAX_AIA_HOPS = 2;
const MAX_PEER_CHAIN = 10;

export interface UpstreamRequest {
  readonly url: URL;
  /** The host as the request named it (no brackets): SNI, `Host`/`:authority`, the certificate's name. */
  readonly host: string;
  readonly port: number;
  /** The address the destination policy allowed: the only one connected to. */
  readonly address: string;
  readonly method: string;
  /** HTTP/1.1 headers, `host` included. */
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer | null;
}

export interface UpstreamResponse {
  readonly protocol: 'http/1.1' | 'h2';
  readonly status: number;
  readonly statusMessage: string;
  /** name, value, name, value, … (HTTP/2's pseudo-headers left out). */
  readonly rawHeaders: readonly string[];
  readonly body: Readable;
}

export interface UpstreamExchange {
  /** Production's answer, or why it could not be had (a Node or TLS error with its `code`). */
  readonly response: Promise<UpstreamResponse>;
  /** The browser went away: the request upstream is cancelled. */
  abort(): void;
}

export interface UpstreamClientOptions {
  /** A CA (PEM) trusted besides Node's roots. */
  readonly extraCa?: string | undefined;
  /** The guard's destination policy, applied to a caIssuers URL as to any request. */
  readonly admitIssuerUrl: AdmitUrl;
  /** @default ISSUER_FETCH_TIMEOUT_MS */
  readonly issuerFetchTimeoutMs?: number;
}

interface TlsTarget {
  readonly host: string;
  readonly port: number;
  readonly address: string;
}

type Route =
  | { readonly protocol: 'h2'; readonly session: ClientHttp2Session }
  | { readonly protocol: 'http/1.1'; readonly socket: TLSSocket | null };

/** The request option that carries the verified target to the https agent's `createConnection`. */
interface TargetOption {
  readonly upstreamTarget?: TlsTarget;
}

export class UpstreamClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  private readonly httpsAgent: VerifyingAgent;
  /** What each origin and address speaks, learned from the first connection's ALPN. */
  private readonly protocols = new Map<string, Promise<Route['protocol']>>();
  private readonly sessions = new Map<string, ClientHttp2Session>();
  /** A first connection that chose HTTP/1.1, waiting for the request that opened it to claim it. */
  private readonly parked = new Map<string, TLSSocket>();
  private readonly openSockets = new Set<TLSSocket>();
  private readonly openSessions = new Set<ClientHttp2Session>();
  private readonly issuers: AiaIssuerFetch;
  /** Intermediates fetched from AIA URLs this seal: inputs to chain building, never trust anchors. */
  private readonly intermediates: string[] = [];
  private trust: SecureContext | undefined;
  private closed = false;

  constructor(private readonly options: UpstreamClientOptions) {
    this.issuers = new AiaIssuerFetch({
      admit: options.admitIssuerUrl,
      ...(options.issuerFetchTimeoutMs ? { timeoutMs: options.issuerFetchTimeoutMs } : {}),
    });
    this.httpsAgent = new VerifyingAgent((target) => {
      const key = keyOf(target);
      const parked = this.parked.get(key);
      if (parked) {
        this.parked.delete(key);
        if (!parked.destroyed) return parked;
      }
      return this.connectTls(target, ['http/1.1']);
    });
  }

  send(request: UpstreamRequest): UpstreamExchange {
    const controller = new AbortController();
    const response =
      request.url.protocol === 'https:'
        ? this.sendHttps(request, controller.signal)
        : this.sendHttp1(request, controller.signal, null);
    return { response, abort: () => controller.abort() };
  }

  close(): void {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const session of this.openSessions) session.destroy();
    for (const socket of this.openSockets) socket.destroy();
    this.issuers.close();
  }

  private async sendHttps(request: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    for (let attempt = 0; ; attempt++) {
      const route = await this.route(request, 0);
      if (signal.aborted) {
        if (route.protocol === 'http/1.1') route.socket?.destroy();
        throw abortError();
      }
      if (route.protocol === 'http/1.1') return this.sendHttp1(request, signal, route.socket);
      try {
        return await this.sendHttp2(route.session, request, signal);
      } catch (error) {
        // A stream the server refused (or a session going away) was never processed: once more, as Chromium does.
        if (attempt > 0 || !(error as { unprocessed?: boolean }).unprocessed) throw error;
      }
    }
  }

  /**
   * The first request to an origin and address connects offering `h2` and `http/1.1`, as Chromium does;
   * the server's choice holds for the seal. Requests that come meanwhile wait for that choice.
   */
  private async route(target: TlsTarget, depth: number): Promise<Route> {
    const key = keyOf(target);
    const known = this.protocols.get(key);
    if (known) {
      if ((await known) === 'http/1.1') return { protocol: 'http/1.1', socket: null };
      const session = this.sessions.get(key);
      if (session && usable(session)) return { protocol: 'h2', session };
      // The session ended (GOAWAY, idle close): connect again.
      if (this.protocols.get(key) === known) this.protocols.delete(key);
      if (depth >= 2) throw Object.assign(new Error('HTTP/2 session kept closing'), { code: 'ECONNRESET' });
      return this.route(target, depth + 1);
    }
    const opened = this.connectTls(target, ['h2', 'http/1.1']).then((socket): Route => {
      if (socket.alpnProtocol === 'h2')
        return { protocol: 'h2', session: this.openSession(key, target, socket) };
      return { protocol: 'http/1.1', socket };
    });
    const protocol = opened.then((route) => route.protocol);
    this.protocols.set(key, protocol);
    protocol.catch(() => {
      if (this.protocols.get(key) === protocol) this.protocols.delete(key);
    });
    return opened;
  }

  private openSession(key: string, target: TlsTarget, socket: TLSSocket): ClientHttp2Session {
    const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
    const session = http2Connect(`https://${host}:${target.port}`, {
      createConnection: () => socket,
      maxHeaderListPairs: MAX_HEADER_PAIRS,
      settings: { enablePush: false, maxHeaderListSize: MAX_HEADER_BYTES },
    });
    this.openSessions.add(session);
    this.sessions.set(key, session);
    const forget = () => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    };
    // A session's failure reaches its streams, which answer for it.
    session.on('error', () => undefined);
    session.once('goaway', forget);
    session.once('close', () => {
      forget();
      this.openSessions.delete(session);
    });
    return session;
  }

  private sendHttp2(
    session: ClientHttp2Session,
    request: UpstreamRequest,
    signal: AbortSignal,
  ): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders = {
        ':method': request.method,
        ':scheme': 'https',
        ':authority': String(request.headers.host ?? request.url.host),
        ':path': `${request.url.pathname}${request.url.search}`,
      };
      for (const [name, value] of Object.entries(request.headers)) {
        const lower = name.toLowerCase();
        if (value === undefined || NOT_IN_HTTP2.has(lower)) continue;
        // HTTP/2 allows `te` only as "trailers".
        if (lower === 'te' && String(value).trim().toLowerCase() !== 'trailers') continue;
        const existing = headers[lower];
        headers[lower] =
          existing === undefined ? value : [...[existing].flat().map(String), ...[value].flat().map(String)];
      }
      let answered = false;
      const stream = (() => {
        try {
          return session.request(headers, { endStream: request.body === null, signal });
        } catch (error) {
          // ERR_HTTP2_GOAWAY_SESSION, ERR_HTTP2_INVALID_SESSION: nothing was sent.
          reject(Object.assign(error as Error, { unprocessed: true }));
          return null;
        }
      })();
      if (!stream) return;
      stream.once('response', (incoming) => {
        answered = true;
        const status = Number(incoming[':status'] ?? 502);
        const raw: string[] = [];
        for (const [name, value] of Object.entries(incoming)) {
          if (name.startsWith(':') || value === undefined) continue;
          for (const one of [value].flat()) raw.push(name, String(one));
        }
        resolve({
          protocol: 'h2',
          status,
          statusMessage: STATUS_CODES[status] ?? '',
          rawHeaders: raw,
          body: stream,
        });
      });
      // After the answer, an error reaches the body's reader (the proxy ends the browser's response).
      const unprocessed = () => stream.rstCode === http2Constants.NGHTTP2_REFUSED_STREAM;
      stream.on('error', (error) => {
        if (!answered) reject(Object.assign(error, { unprocessed: unprocessed() }));
      });
      stream.once('close', () => {
        if (!answered) {
          reject(
            Object.assign(new Error(`HTTP/2 stream closed before an answer (code ${stream.rstCode})`), {
              code: 'ECONNRESET',
              unprocessed: unprocessed(),
            }),
          );
        }
      });
      if (request.body) stream.end(request.body);
    });
  }

  /** Plain http, or https over HTTP/1.1 (`fresh`: the connection that learned so, used first). */
  private sendHttp1(
    request: UpstreamRequest,
    signal: AbortSignal,
    fresh: TLSSocket | null,
  ): Promise<UpstreamResponse> {
    const secure = request.url.protocol === 'https:';
    const target: TlsTarget = { host: request.host, port: request.port, address: request.address };
    if (fresh) this.parked.set(keyOf(target), fresh);
    return new Promise((resolve, reject) => {
      const options: ClientRequestArgs & TargetOption = {
        // The address that was checked, never a second resolution (DNS rebinding); the name stays in Host.
        host: request.address,
        port: request.port,
        method: request.method,
        path: `${request.url.pathname}${request.url.search}`,
        headers: request.headers,
        signal,
        maxHeaderSize: MAX_HEADER_BYTES,
        // Read answers as Chromium reads them: bare LF line ends, folded header lines, chunked with a
        // Content-Length (chunked wins). Node's strict parser refuses each (HPE_CR_EXPECTED, …), which made
        // a page the browser shows a red seal; what reaches the browser is re-written by the proxy.
        insecureHTTPParser: true,
        agent: secure ? this.httpsAgent : this.httpAgent,
        ...(secure ? { servername: sniOf(request.host), upstreamTarget: target } : {}),
      };
      const upstream = (secure ? httpsRequest : httpRequest)(options);
      if (fresh) {
        upstream.once('socket', (socket) => {
          // Another connection served it, and no other request took the parked one: it is not left open.
          if (socket !== fresh && this.parked.get(keyOf(target)) === fresh) {
            this.parked.delete(keyOf(target));
            fresh.destroy();
          }
        });
      }
      let answer: IncomingMessage | null = null;
      upstream.on('response', (response) => {
        answer = response;
        resolve({
          protocol: 'http/1.1',
          status: response.statusCode ?? 502,
          statusMessage: response.statusMessage ?? '',
          rawHeaders: response.rawHeaders,
          body: response,
        });
      });
      upstream.on('error', (error) => {
        if (answer) answer.destroy(error);
        else reject(error);
      });
      upstream.end(request.body ?? undefined);
    });
  }

  /** A verified TLS connection; a missing issuer is looked for at the AIA URL, as Chromium does. */
  private async connectTls(target: TlsTarget, alpn: readonly string[]): Promise<TLSSocket> {
    try {
      return await this.handshake(target, alpn);
    } catch (error) {
      if (!MISSING_ISSUER.has(codeOf(error))) throw error;
      return this.completeChain(target, alpn, error);
    }
  }

  /**
   * Fetches the missing issuer from the AIA URL of the last certificate the server sent (and, once more,
   * from that issuer's), adds it to the trust input and verifies again. The fetched certificate is never
   * an anchor (OpenSSL's chain must still end at a trusted root). When nothing can be fetched, the first
   * error stands; when what was fetched does not chain, the error says so.
   */
  private async completeChain(
    target: TlsTarget,
    alpn: readonly string[],
    original: unknown,
  ): Promise<TLSSocket> {
    const sent = await this.peerChain(target).catch(() => [] as Buffer[]);
    let lacking = sent.at(-1);
    let failure: unknown = original;
    const added: string[] = [];
    for (let hop = 0; hop < MAX_AIA_HOPS && lacking; hop++) {
      const [url] = await this.issuers.caIssuersOf(lacking);
      if (!url) break;
      const issuer = await this.issuers.fetch(url).catch(() => null);
      if (!issuer) break;
      for (const pem of issuer.pems) {
        if (this.intermediates.includes(pem)) continue;
        this.intermediates.push(pem);
        added.push(pem);
        this.trust = undefined;
      }
      try {
        return await this.handshake(target, alpn);
      } catch (error) {
        failure = error;
        if (!MISSING_ISSUER.has(codeOf(error))) break;
        lacking = issuer.der;
      }
    }
    // What did not complete a chain leaves the trust input: the next connection fails (and says why) the same way.
    if (added.length > 0) {
      this.intermediates.splice(
        0,
        this.intermediates.length,
        ...this.intermediates.filter((pem) => !added.includes(pem)),
      );
      this.trust = undefined;
    }
    // Nothing fetched, or a failure of another kind once the chain was whole (an expired leaf, a reset): as it is.
    if (failure === original || !CHAIN_FAILURES.has(codeOf(failure))) throw failure;
    throw Object.assign(
      new Error(
        `the intermediate fetched from the certificate's AIA URL does not chain to a trusted root (${codeOf(failure) || 'unknown'})`,
        { cause: failure },
      ),
      { code: 'AIA_INTERMEDIATE_UNTRUSTED' },
    );
  }

  private handshake(target: TlsTarget, alpn: readonly string[]): Promise<TLSSocket> {
    const secureContext = this.trustContext();
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host: target.address,
        port: target.port,
        servername: sniOf(target.host),
        ALPNProtocols: [...alpn],
        rejectUnauthorized: true,
        ...(secureContext ? { secureContext } : {}),
        checkServerIdentity: (_name, cert) => checkServerIdentityAsChromium(target.host, cert),
      });
      this.track(socket);
      socket.once('secureConnect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.once('close', () => reject(closedBeforeHandshake()));
    });
  }

  /** The certificates the server sends, leaf first, read on a connection that carries nothing and closes at once. */
  private peerChain(target: TlsTarget): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host: target.address,
        port: target.port,
        servername: sniOf(target.host),
        // Read only: the chain is looked at here and verified on the next connection, which alone carries a request.
        rejectUnauthorized: false,
      });
      this.track(socket);
      socket.once('secureConnect', () => {
        const chain: Buffer[] = [];
        let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
        while (cert?.raw && chain.length < MAX_PEER_CHAIN) {
          chain.push(cert.raw);
          const next: PeerCertificate | undefined = (cert as { issuerCertificate?: PeerCertificate })
            .issuerCertificate;
          if (!next || next === cert || next.raw?.equals(cert.raw)) break;
          cert = next;
        }
        socket.destroy();
        resolve(chain);
      });
      socket.once('error', reject);
      socket.once('close', () => reject(closedBeforeHandshake()));
    });
  }

  /** Node's own roots unless something is added: then the roots, the extra CA and fetched intermediates. */
  private trustContext(): SecureContext | undefined {
    const extraCa = this.options.extraCa;
    if (!extraCa && this.intermediates.length === 0) return undefined;
    this.trust ??= createSecureContext({
      ca: [...rootCertificates, ...(extraCa ? [extraCa] : []), ...this.intermediates],
    });
    return this.trust;
  }

  private track(socket: TLSSocket): void {
    // A handshake that was under way when the seal ended (an AIA retry, say) does not outlive it.
    if (this.closed) socket.destroy();
    this.openSockets.add(socket);
    socket.once('close', () => this.openSockets.delete(socket));
    // Each user (agent, session, request) listens for itself; an idle socket's error must not crash the seal.
    socket.on('error', () => undefined);
  }
}

/** An https agent whose connections are ours: verified as Chromium would, offering only HTTP/1.1. */
class VerifyingAgent extends HttpsAgent {
  constructor(private readonly open: (target: TlsTarget) => TLSSocket | Promise<TLSSocket>) {
    super({ keepAlive: true, maxSockets: 32 });
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const target = (options as TargetOption).upstreamTarget;
    if (!target) throw new Error('the upstream client sends https through its own requests only');
    const opened = this.open(target);
    if (!(opened instanceof Promise)) return opened;
    opened.then(
      (socket) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/**
 * Node accepts a certificate that names its host only in the subject's CN; Chromium has refused those
 * since version 58 (a name must be in subjectAltName). The proxy judges as Chromium does.
 */
function checkServerIdentityAsChromium(host: string, cert: PeerCertificate): Error | undefined {
  if (!cert.subjectaltname) {
    const error = new Error(
      `certificate has no subjectAltName (Chromium refuses a name only in the CN) for ${host}`,
    ) as Error & { code: string };
    error.code = 'ERR_CERT_COMMON_NAME_INVALID';
    return error;
  }
  return checkServerIdentity(host, cert);
}

function usable(session: ClientHttp2Session): boolean {
  return !session.closed && !session.destroyed;
}

function keyOf(target: TlsTarget): string {
  return `${target.host.toLowerCase()}|${target.port}|${target.address}`;
}

/** No SNI for an IP literal (RFC 6066), as browsers do. */
function sniOf(host: string): string {
  return isIP(host) ? '' : host;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function closedBeforeHandshake(): Error {
  return Object.assign(new Error('connection closed before the TLS handshake completed'), {
    code: 'ECONNRESET',
  });
}

function abortError(): Error {
  return Object.assign(new Error('the browser went away'), { code: 'ABORT_ERR', name: 'AbortError' });
}
