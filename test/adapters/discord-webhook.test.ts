import { afterEach, describe, expect, it } from 'vitest';
import { DiscordWebhook } from '../../functions/adapters/discord-webhook';
import { ConfigError, DeliveryError } from '../../functions/core/errors';
import { renderDiscord } from '../../functions/core/messages/render-discord';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import { redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const PATH = '/api/webhooks/42/very-secret-token';
const message = renderDiscord(buildSealMessage(redSeal()));
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// A generous budget (a busy machine delays the first request); the timeout test passes its own short one.
async function webhook(script: Script, timeoutMs = 30_000) {
  const server = await startScriptedServer(script);
  servers.push(server);
  return { server, discord: new DiscordWebhook({ webhookUrl: `${server.origin}${PATH}`, timeoutMs }) };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  expect(String((error as Error).message)).not.toContain('very-secret-token');
  return error as DeliveryError;
}

describe('DiscordWebhook', () => {
  it('posts JSON with wait=true and the thread id, and returns the saved message id', async () => {
    const { server, discord } = await webhook([{ status: 200, body: { id: '111122223333444455' } }]);
    expect(await discord.post(message, '112233445566778899')).toEqual({ messageId: '111122223333444455' });
    expect(server.requests[0]!.url).toBe(`${PATH}?wait=true&thread_id=112233445566778899`);
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]!.body)).toEqual(JSON.parse(JSON.stringify(message)));
  });

  it('accepts a 204 as delivered, without a message id', async () => {
    const { server, discord } = await webhook([{ status: 204 }]);
    expect(await discord.post(message, null)).toEqual({ messageId: null });
    expect(server.requests[0]!.url).toBe(`${PATH}?wait=true`);
  });

  it('classifies a 429 as retryable, with retry_after in milliseconds', async () => {
    const { discord } = await webhook([{ status: 429, body: { message: 'rate limited', retry_after: 1.5 } }]);
    const error = await failure(discord.post(message, null));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1500 });
  });

  it('falls back to the Retry-After header when the body has no retry_after', async () => {
    const { discord } = await webhook([{ status: 429, body: 'busy', headers: { 'retry-after': '3' } }]);
    expect(await failure(discord.post(message, null))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it.each<[string, Script]>([
    ['no retry_after and no Retry-After', [{ status: 429, body: { message: 'slow down' } }]],
    ['a negative retry_after', [{ status: 429, body: { message: 'slow down', retry_after: -3 } }]],
    ['a zero Retry-After', [{ status: 429, body: 'busy', headers: { 'retry-after': '0' } }]],
    ['a negative Retry-After', [{ status: 429, body: 'busy', headers: { 'retry-after': '-5' } }]],
  ])('gives no retry advice on a 429 with %s, so the relay backs off on its own', async (_case, script) => {
    const { discord } = await webhook(script);
    const error = await failure(discord.post(message, null));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('redacts its token from a 401 that echoes it, URL-encoded or in base64', async () => {
    const token = 'very-secret-token';
    const url = `http://127.0.0.1/api/webhooks/42/${token}`;
    const echoes = [
      `bad webhook ${url}`,
      `bad token ${encodeURIComponent(url)}`,
      `bad ${Buffer.from(token).toString('base64')} and ${Buffer.from(url).toString('base64url')}`,
    ];
    for (const echo of echoes) {
      const { discord } = await webhook([{ status: 401, body: { message: echo } }]);
      const error = await failure(discord.post(message, null));
      expect(error.message).toContain('[redacted]');
      expect(error.message).not.toContain(Buffer.from(token).toString('base64'));
      expect(error.message).not.toContain(encodeURIComponent(url));
    }
  });

  it('classifies a 5xx as retryable and a 400 or 401 as terminal, quoting what Discord said', async () => {
    const { discord } = await webhook((_request, index) =>
      index === 0
        ? { status: 502 }
        : index === 1
          ? { status: 400, body: { message: 'Invalid Form Body', code: 50035 } }
          : { status: 401, body: { message: '401: Unauthorized', code: 0 } },
    );
    expect(await failure(discord.post(message, null))).toMatchObject({ retryable: true });
    const invalid = await failure(discord.post(message, null));
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toBe('Discord webhook answered 400: Invalid Form Body (code 50035)');
    expect(await failure(discord.post(message, null))).toMatchObject({ retryable: false });
  });

  it('classifies a timeout and a refused connection as retryable, without naming the URL', async () => {
    const { discord } = await webhook([{ status: 200, body: { id: '1' }, delayMs: 1_000 }], 100);
    const slow = await failure(discord.post(message, null));
    expect(slow).toMatchObject({ retryable: true, message: 'Discord webhook: no answer within 100 ms' });

    const closed = await startScriptedServer([{ status: 200 }]);
    await closed.close();
    const refused = new DiscordWebhook({ webhookUrl: `${closed.origin}${PATH}`, timeoutMs: 30_000 });
    const error = await failure(refused.post(message, null));
    expect(error).toMatchObject({
      retryable: true,
      message: 'Discord webhook: request failed (ECONNREFUSED)',
    });
  });

  it('refuses a thread id that is not a snowflake without sending anything', async () => {
    const { server, discord } = await webhook([{ status: 200 }]);
    expect(await failure(discord.post(message, '123&wait=false'))).toMatchObject({ retryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a non-https webhook URL without echoing it', () => {
    const attempt = () =>
      new DiscordWebhook({ webhookUrl: 'http://discord.example/api/webhooks/1/leaky-token' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).not.toThrow(/leaky-token/);
  });
});
