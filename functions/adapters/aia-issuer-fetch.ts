// Fetches a certificate's missing issuer from its Authority Information Access (caIssuers) URL, as Chromium
// does for a server that leaves its intermediate out: http only, one plain GET, bounded in size and time,
// to a destination the guard's own policy allows. What is fetched is only ever an input to verification.
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { type ClientRequest, request as httpRequest } from 'node:http';
import type * as X509 from '@peculiar/x509';

/** The most of a caIssuers answer read: a certificate is 1 to 2 KB. */
export const MAX_ISSUER_BYTES = 64 * 1024;
/** One fetch's whole budget: connect, answer and body. */
export const ISSUER_FETCH_TIMEOUT_MS = 5_000;
/** caIssuers URLs looked at per certificate. */
const MAX_URLS = 4;

/** Where a URL may be fetched: the address to connect to, or why not (the guard's destination policy). */
export type AdmitUrl = (url: URL) => Promise<{ readonly address: string } | { readonly refused: string }>;

/** Certificates taken from one PKCS#7 answer (a CA's `.p7c`: the intermediate, often its root too). */
const MAX_BUNDLE_CERTIFICATES = 8;

export interface IssuerCertificate {
  /** The issuer to follow on (the answer's first certificate that is not a root), DER and PEM. */
  readonly der: Buffer;
  readonly pem: string;
  /** Every certificate of the answer but roots, `pem` first: a PKCS#7 answer may hold several, all candidate issuers. */
  readonly pems: readonly string[];
  readonly url: string;
}

export interface AiaIssuerFetchOptions {
  readonly admit: AdmitUrl;
  /** @default ISSUER_FETCH_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

export class IssuerFetchError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IssuerFetchError';
  }
}

let x509Loaded: Promise<typeof X509> | undefined;
/** @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API first. */
function loadX509(): Promise<typeof X509> {
  x509Loaded ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Loaded;
}

export class AiaIssuerFetch {
  /** One fetch per URL per seal, its failure remembered too: a refused or dead URL is not tried per connection. */
  private readonly fetched = new Map<string, Promise<IssuerCertificate>>();
  private readonly inFlight = new Set<ClientRequest>();
  private closed = false;

  constructor(private readonly options: AiaIssuerFetchOptions) {}

  /** The http caIssuers URLs a certificate (DER) names, in order; none when it names none or cannot be read. */
  async caIssuersOf(der: Buffer): Promise<string[]> {
    const x509 = await loadX509();
    try {
      const cert = new x509.X509Certificate(new Uint8Array(der));
      const access = cert.getExtension(x509.AuthorityInfoAccessExtension);
      return (access?.caIssuers ?? [])
        .filter((name) => name.type === 'url' && /^http:\/\//i.test(name.value))
        .map((name) => name.value)
        .slice(0, MAX_URLS);
    } catch {
      return [];
    }
  }

  /** The certificate at `url` (DER or PEM there), fetched once per seal. Rejects with an IssuerFetchError. */
  fetch(url: string): Promise<IssuerCertificate> {
    let fetched = this.fetched.get(url);
    if (!fetched) {
      fetched = this.download(url);
      fetched.catch(() => undefined);
      this.fetched.set(url, fetched);
    }
    return fetched;
  }

  /** Ends every fetch in flight; later ones fail at once. */
  close(): void {
    this.closed = true;
    for (const request of this.inFlight) request.destroy();
  }

  private async download(text: string): Promise<IssuerCertificate> {
    const fail = (message: string, cause?: unknown) =>
      new IssuerFetchError(text, message, cause === undefined ? undefined : { cause });
    let url: URL;
    try {
      url = new URL(text);
    } catch (error) {
      throw fail('not a URL', error);
    }
    // As Chromium: an https caIssuers URL would need a verified chain to fetch the chain.
    if (url.protocol !== 'http:') throw fail('not an http URL');
    if (this.closed) throw fail('the guard is closed');
    const admitted = await this.options.admit(url);
    if ('refused' in admitted) throw fail(`refused: ${admitted.refused}`);
    const body = await this.get(url, admitted.address).catch((error: unknown) => {
      throw fail(error instanceof Error ? error.message : String(error), error);
    });
    const parsed = parseIssuerAnswer(await loadX509(), body);
    if ('error' in parsed) throw fail('not a certificate (DER, PEM or PKCS#7)', parsed.error);
    // A root (self-issued) is never taken from the network, as Chromium never takes one: what is fetched goes
    // into the verifier's CA list, where a self-signed certificate would be a trust anchor, and a hostile
    // server naming its own root in its AIA would pass the guard where the browser refuses it.
    const certs = parsed.filter((cert) => !selfIssued(cert));
    if (certs.length === 0)
      throw fail('holds only a root (self-signed), which is never trusted from the network');
    const pems = certs.map((cert) => cert.toString('pem'));
    return { der: Buffer.from(certs[0]!.rawData), pem: pems[0]!, pems, url: text };
  }

  /** One plain GET to the admitted address, no credentials, no redirects followed; the body or a reason. */
  private get(url: URL, address: string): Promise<Buffer> {
    const timeoutMs = this.options.timeoutMs ?? ISSUER_FETCH_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const request = httpRequest({
        host: address,
        port: Number(url.port || 80),
        method: 'GET',
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, accept: '*/*' },
        agent: false,
      });
      this.inFlight.add(request);
      const timer = setTimeout(
        () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref?.();
      const done = () => {
        clearTimeout(timer);
        this.inFlight.delete(request);
      };
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          done();
          request.destroy();
          reject(new Error(`answered HTTP ${response.statusCode ?? 0}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ISSUER_BYTES) {
            request.destroy(new Error(`larger than ${MAX_ISSUER_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          done();
          resolve(Buffer.concat(chunks));
        });
        response.on('error', (error) => {
          done();
          reject(error);
        });
      });
      request.on('error', (error) => {
        done();
        reject(error);
      });
      request.end();
    });
  }
}

/**
 * A caIssuers answer as Chromium reads one: a certificate (DER; PEM too), or a "certs-only" PKCS#7
 * (`application/pkcs7-mime`, a CA's `.p7c`), whose certificates are all candidate issuers.
 */
function parseIssuerAnswer(
  x509: typeof X509,
  body: Buffer,
): X509.X509Certificate[] | { readonly error: unknown } {
  const pem = body.subarray(0, 64).toString('latin1').includes('-----BEGIN');
  try {
    return [
      pem
        ? new x509.X509Certificate(body.toString('latin1'))
        : new x509.X509Certificate(new Uint8Array(body)),
    ];
  } catch (error) {
    try {
      const bundle = pem
        ? new x509.X509Certificates(body.toString('latin1'))
        : new x509.X509Certificates(new Uint8Array(body));
      if (bundle.length === 0) return { error };
      return [...bundle].slice(0, MAX_BUNDLE_CERTIFICATES);
    } catch {
      return { error };
    }
  }
}

/** Self-issued as OpenSSL judges it (X509_check_issued with itself: names and key identifiers), or by name. */
function selfIssued(cert: X509.X509Certificate): boolean {
  if (cert.subject === cert.issuer) return true;
  try {
    const native = new NodeX509Certificate(Buffer.from(cert.rawData));
    return native.checkIssued(native);
  } catch {
    return true; // unreadable to OpenSSL: not something to hand it as a CA
  }
}
