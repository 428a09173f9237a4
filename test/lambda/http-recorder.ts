// Local stand-ins for Discord and the release API: an HTTP(S) server on 127.0.0.1 that records each request.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface HttpRecorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface TlsFiles {
  /** PEM certificate for 127.0.0.1, self-signed: give its path to NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
  readonly keyPath: string;
}

const run = promisify(execFile);
const MAX_BODY_BYTES = 1024 * 1024;

/** A throwaway self-signed certificate for IP 127.0.0.1, made with the system's openssl. */
export async function makeLoopbackCertificate(dir: string): Promise<TlsFiles> {
  const certPath = join(dir, 'loopback-cert.pem');
  const keyPath = join(dir, 'loopback-key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { certPath, keyPath };
}

/** Answers every request with `reply` (status and JSON body) and records it, body bounded. */
export async function startHttpRecorder(
  reply: (req: RecordedRequest) => { status: number; body: unknown },
  tls?: TlsFiles,
): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = reply(request);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: await readFile(tls.certPath), key: await readFile(tls.keyPath) }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
