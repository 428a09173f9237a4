// A page that echoes the seal's own sign-in token (storage state) back, in every form round one covered:
// the token is in nothing the seal writes (issue 19). Real Chromium, a real app on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSealTable } from '../../bin/cli/render-seal';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { renderCommitStatus } from '../../functions/core/messages/render-commit-status';
import { renderDiscord } from '../../functions/core/messages/render-discord';
import { renderEmail } from '../../functions/core/messages/render-email';
import { renderReleaseRecord } from '../../functions/core/messages/render-release-record';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import type { CheckProgress } from '../../functions/core/ports';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import { sealApp } from '../../functions/core/seal-app';
import { SpecSchema } from '../../functions/core/spec';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';

/** A token with characters every encoding changes: quotes, slash, <, &, non-ASCII, a space. */
const TOKEN = 'jwt "Secret"/é<&> 7731';
const FORMS = {
  raw: TOKEN,
  url: encodeURIComponent(TOKEN),
  base64: Buffer.from(TOKEN).toString('base64'),
  json: JSON.stringify(TOKEN).slice(1, -1),
  html: TOKEN.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
};

const ECHO_PAGE = `<!doctype html><title>Account</title><h1>Account</h1><script>
const token = localStorage.getItem('jwt');
const html = token.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
console.error('url ' + encodeURIComponent(token));
console.error('b64 ' + btoa(unescape(encodeURIComponent(token))));
console.error('json ' + JSON.stringify({ token }));
console.error('html ' + html);
fetch('/api/session?t=' + encodeURIComponent(token), { method: 'POST', body: token });
throw new Error('session rejected: ' + token);
</script>`;

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(ECHO_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function expectNoToken(text: string, where: string): void {
  for (const [name, form] of Object.entries(FORMS)) {
    expect(text.includes(form), `${where} holds the token ${name}: ${form}`).toBe(false);
  }
}

describe('a page that echoes the sign-in token', () => {
  it('finds the token in nothing the seal writes: seal, report, CLI, messages', async () => {
    const store = new MemorySealStore();
    const evidence = new MemoryEvidenceStore();
    const progress: CheckProgress[] = [];
    const outcome = await sealApp(
      {
        sealId: 'studio:manual:echo',
        app: 'studio',
        trigger: 'manual',
        baseUrl: base,
        appHosts: [new URL(base).host],
        auth: {
          storageState: {
            cookies: [],
            origins: [{ origin: new URL(base).origin, localStorage: [{ name: 'jwt', value: TOKEN }] }],
          },
        },
        spec: SpecSchema.parse({
          checks: [{ kind: 'page', name: 'account', path: '/', landmark: { role: 'heading' } }],
          retries: 0,
        }),
        rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
        release: null,
        deadlineMs: 120_000,
      },
      {
        launcher: new ChromiumLauncher({ notFoundProbe: false }),
        store,
        evidence,
        clock: { now: () => new Date('2026-12-03T10:00:00Z') },
        onCheckFinished: (finished) => progress.push(finished),
      },
    );
    const seal = outcome.seal;
    // The page did echo it: the check failed on the thrown error, the console lines and the POST were seen.
    expect(seal.status).toBe('red');
    expect(seal.checks[0]!.error).toBe('uncaught Error: session rejected: [redacted]');
    expect(seal.refused.count).toBe(1);
    expect(JSON.stringify(seal)).toContain('[redacted]');

    expectNoToken(JSON.stringify(seal), 'the seal');
    expectNoToken(JSON.stringify(await store.get(seal.id)), 'the stored seal');
    for (const [key, body] of evidence.files) {
      if (typeof body === 'string' || key.endsWith('.html')) expectNoToken(String(body), `evidence ${key}`);
    }
    expectNoToken(renderSealTable(seal), 'the CLI table');
    expectNoToken(JSON.stringify(progress), 'the CLI progress');
    const message = buildSealMessage(seal);
    expectNoToken(JSON.stringify(renderDiscord(message)), 'the Discord post');
    expectNoToken(JSON.stringify(renderEmail(message)), 'the email');
    expectNoToken(JSON.stringify(renderReleaseRecord(message)), 'the Release record');
    expectNoToken(JSON.stringify(renderCommitStatus(message)), 'the commit status');
  });
});
