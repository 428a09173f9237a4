// A certificate authority that lives for one seal: the read-only proxy terminates the browser's TLS with
// leaves it signs. Its keys never touch disk and die with the seal; only this seal's Chromium trusts it.
import { createHash, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type * as X509 from '@peculiar/x509';

let x509Loaded: Promise<typeof X509> | undefined;
/**
 * Loaded on the first seal, not when the CLI starts (`history` never needs it). @peculiar/x509 resolves
 * its parsers through tsyringe, which needs the Reflect metadata API first.
 */
function loadX509(): Promise<typeof X509> {
  x509Loaded ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Loaded;
}

const crypto = webcrypto as unknown as Crypto;
const EC: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
/** A leaf needs to outlive one seal only; a day absorbs clock skew either way. */
const LEAF_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface Issuer {
  readonly x509: typeof X509;
  readonly cert: X509.X509Certificate;
  readonly pem: string;
}

export class SealCertificateAuthority {
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  private constructor(
    private readonly caKeys: CryptoKeyPair,
    /** The CA certificate is made while Chromium starts: only the leaf key's hash is needed to launch it. */
    private readonly issuer: Promise<Issuer>,
    private readonly leafKeyPem: string,
    private readonly leafPublicKey: CryptoKey,
    /** base64 SHA-256 of the leaves' SubjectPublicKeyInfo: what `--ignore-certificate-errors-spki-list` takes. */
    readonly leafSpkiSha256: string,
  ) {
    // A failure surfaces on the first TLS connection that needs a leaf, not as an unhandled rejection.
    issuer.catch(() => undefined);
  }

  static async create(): Promise<SealCertificateAuthority> {
    const [caKeys, leafKeys] = await Promise.all([
      crypto.subtle.generateKey(EC, false, ['sign', 'verify']),
      crypto.subtle.generateKey(EC, true, ['sign', 'verify']),
    ]);
    const issuer = loadX509().then(async (x509) => {
      const now = Date.now();
      const cert = await x509.X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: randomSerial(),
          name: 'CN=Smoke Seal per-seal guard CA',
          notBefore: new Date(now - LEAF_LIFETIME_MS),
          notAfter: new Date(now + LEAF_LIFETIME_MS),
          keys: caKeys,
          signingAlgorithm: EC,
          extensions: [
            new x509.BasicConstraintsExtension(true, 0, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          ],
        },
        crypto,
      );
      return { x509, cert, pem: cert.toString('pem') };
    });
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', leafKeys.publicKey));
    const leafKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    const spkiHash = createHash('sha256').update(spki).digest('base64');
    return new SealCertificateAuthority(caKeys, issuer, leafKeyPem, leafKeys.publicKey, spkiHash);
  }

  /** The CA certificate, PEM (a Node client trusts it with `ca`). */
  async caPem(): Promise<string> {
    return (await this.issuer).pem;
  }

  /** A TLS context for `host` (a name or an IP literal), made once per seal and cached. */
  contextFor(host: string): Promise<SecureContext> {
    const key = host.toLowerCase();
    let context = this.contexts.get(key);
    if (!context) {
      context = this.issue(key);
      this.contexts.set(key, context);
    }
    return context;
  }

  private async issue(host: string): Promise<SecureContext> {
    const { x509, cert: caCert, pem: caPem } = await this.issuer;
    const now = Date.now();
    const name = isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host };
    const leaf = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: `CN=${isIP(host) ? 'smoke-seal-guard' : host.replace(/[,=+<>#;"\\]/g, '')}`,
        issuer: caCert.subject,
        notBefore: new Date(now - LEAF_LIFETIME_MS),
        notAfter: new Date(now + LEAF_LIFETIME_MS),
        publicKey: this.leafPublicKey,
        signingKey: this.caKeys.privateKey,
        signingAlgorithm: EC,
        extensions: [
          new x509.SubjectAlternativeNameExtension([name]),
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        ],
      },
      crypto,
    );
    return createSecureContext({ key: this.leafKeyPem, cert: `${leaf.toString('pem')}\n${caPem}` });
  }
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}
