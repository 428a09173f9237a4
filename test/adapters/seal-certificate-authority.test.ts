import { createHash, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { SealCertificateAuthority } from '../../functions/adapters/seal-certificate-authority';

async function handshake(ca: SealCertificateAuthority, host: string, servername: string) {
  const secureContext = await ca.contextFor(host);
  const server = createServer({ SNICallback: (_name, done) => done(null, secureContext) }, (socket) =>
    socket.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<{ authorized: boolean; error: string | null; spki: string }>((resolve) => {
      void ca.caPem().then((pem) => {
        const socket = connect({
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          ca: pem,
          servername,
          rejectUnauthorized: false,
        });
        socket.once('secureConnect', () => {
          const cert = new X509Certificate(socket.getPeerCertificate().raw);
          const spki = createHash('sha256')
            .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
            .digest('base64');
          const error = socket.authorized ? null : String(socket.authorizationError);
          resolve({ authorized: socket.authorized, error, spki });
          socket.destroy();
        });
      });
    });
  } finally {
    server.close();
  }
}

describe('SealCertificateAuthority', () => {
  it('issues leaves that chain to its CA, all on the one hashed key', async () => {
    const ca = await SealCertificateAuthority.create();
    const named = await handshake(ca, 'app.example.com', 'app.example.com');
    expect(named).toMatchObject({ authorized: true, error: null, spki: ca.leafSpkiSha256 });
    const other = await handshake(ca, 'cdn.example.net', 'cdn.example.net');
    expect(other.spki).toBe(ca.leafSpkiSha256);
  });

  it('caches one context per host for the seal', async () => {
    const ca = await SealCertificateAuthority.create();
    expect(ca.contextFor('a.example.com')).toBe(ca.contextFor('A.example.com'));
  });

  it("gives each seal its own leaf key, so one seal's trust never covers another", async () => {
    const first = await SealCertificateAuthority.create();
    const second = await SealCertificateAuthority.create();
    expect(first.leafSpkiSha256).not.toBe(second.leafSpkiSha256);
  });
});
