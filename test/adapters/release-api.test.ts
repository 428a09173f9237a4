import { afterEach, describe, expect, it } from 'vitest';
import { ReleaseApi, releaseUrl } from '../../functions/adapters/release-api';
import { ConfigError, type DeliveryError } from '../../functions/core/errors';
import { renderReleaseRecord } from '../../functions/core/messages/render-release-record';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import { redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const TOKEN = 'tok-9f8e7d';
const record = renderReleaseRecord(buildSealMessage(redSeal()));
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function api(script: Script) {
  const server = await startScriptedServer(script);
  servers.push(server);
  return {
    server,
    template: `${server.origin}/api/releases/{releaseId}/smoke_seal`,
    api: new ReleaseApi({ token: TOKEN }),
  };
}

describe('ReleaseApi', () => {
  it('PATCHes the record as JSON to the filled template with the bearer token', async () => {
    const { server, template, api: releaseApi } = await api([{ status: 204 }]);
    await releaseApi.write(template, '2026.06.26.1', record);
    const request = server.requests[0]!;
    expect(request.method).toBe('PATCH');
    expect(request.url).toBe('/api/releases/2026.06.26.1/smoke_seal');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(request.body)).toEqual(record);
  });

  it('refuses a release id that does not match its pattern, before any request', async () => {
    const { server, template, api: releaseApi } = await api([{ status: 200 }]);
    for (const id of ['../admin', '2026 06', 'a/b', '']) {
      const error = await releaseApi.write(template, id, record).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'DeliveryError', retryable: false });
    }
    expect(server.requests).toHaveLength(0);
  });

  it('honours Retry-After on a 429 and 503, retries 5xx, and stops on other 4xx without quoting the token', async () => {
    const { template, api: releaseApi } = await api(
      (_request, index) =>
        [
          { status: 429, headers: { 'retry-after': '2' } },
          { status: 503, headers: { 'retry-after': '1' } },
          { status: 500 },
          { status: 403, body: { message: `token ${TOKEN} lacks scope` } },
        ][index]!,
    );
    const errors: DeliveryError[] = [];
    for (let i = 0; i < 4; i++) {
      errors.push(
        (await releaseApi.write(template, 'r1', record).catch((caught: unknown) => caught)) as DeliveryError,
      );
    }
    expect(errors.map((error) => [error.retryable, error.retryAfterMs])).toEqual([
      [true, 2000],
      [true, 1000],
      [true, undefined],
      [false, undefined],
    ]);
    expect(errors[3]!.message).toContain('answered 403');
    expect(errors[3]!.message).not.toContain(TOKEN);
  });

  it('checks the template: https only (http on loopback), {releaseId} present, no credentials', () => {
    expect(releaseUrl('https://ops.example.com/api/releases/{releaseId}/smoke_seal', 'v1.2_3')).toBe(
      'https://ops.example.com/api/releases/v1.2_3/smoke_seal',
    );
    expect(() => releaseUrl('http://ops.example.com/{releaseId}', 'r1')).toThrow(ConfigError);
    expect(() => releaseUrl('https://ops.example.com/releases', 'r1')).toThrow(ConfigError);
    expect(() => releaseUrl('https://u:p@ops.example.com/{releaseId}', 'r1')).toThrow(ConfigError);
  });
});
