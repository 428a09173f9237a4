// What an AIA answer may add to the verifier's CA list: intermediates, never a root (a trust anchor there).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import { afterEach, describe, expect, it } from 'vitest';
import { AiaIssuerFetch } from '../../functions/adapters/aia-issuer-fetch';
import { createTestCertificates } from '../fixtures/test-certificates';

const crypto = webcrypto as unknown as Crypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Serves `body` at every path on 127.0.0.1; the URL to fetch. */
async function serving(body: Buffer): Promise<string> {
  const server = createServer((_request, response) => response.end(body));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://ca-issuers.test:${(server.address() as AddressInfo).port}/issuer`;
}

const fetcher = () => new AiaIssuerFetch({ admit: async () => ({ address: '127.0.0.1' }) });

/** A root whose issuer name differs from its subject only in case: self-issued to OpenSSL, not as strings. */
async function caseVariantRoot(): Promise<Buffer> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=Hostile Root',
      issuer: 'CN=hostile root',
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: EC,
      extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
    },
    crypto,
  );
  return Buffer.from(cert.rawData);
}

describe('AiaIssuerFetch', () => {
  it('reads a PKCS#7 bundle and keeps its intermediate, leaving its root out', async () => {
    const certs = await createTestCertificates('Bundle CA');
    const chain = await certs.leafViaIntermediate('app.example', 'http://unused.test/');
    const issuer = await fetcher().fetch(await serving(chain.bundleP7c));
    // The bundle held the intermediate and its root: only the intermediate is kept.
    expect(issuer.pems).toHaveLength(1);
    expect(Buffer.compare(issuer.der, chain.intermediateDer)).toBe(0);
  });

  it.each([
    ['a self-signed root', async () => (await createTestCertificates('Hostile CA')).caDer],
    ['a root whose issuer differs from its subject only in case', caseVariantRoot],
  ])('refuses an answer that holds only %s', async (_, root) => {
    await expect(fetcher().fetch(await serving(await root()))).rejects.toThrow(
      'holds only a root (self-signed), which is never trusted from the network',
    );
  });
});
