// The GitHub commit status channel against a local stand-in of the statuses API, alone and through the relay.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubCommitStatus, githubApiUrl } from '../../functions/adapters/github-commit-status';
import { ConfigError, DeliveryError } from '../../functions/core/errors';
import type { CommitStatus } from '../../functions/core/messages/render-commit-status';
import { type RelayPorts, relaySeal } from '../../functions/core/relay-seal';
import type { Seal } from '../../functions/core/seal';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { greenSeal, inconclusiveSeal, redSeal } from '../fixtures/sample-seals';
import { type Script, type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const TOKEN = 'ghp_do-not-leak-this-token-0123456789';
const MERGE = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const STATUS: CommitStatus = {
  state: 'failure',
  context: 'smoke-seal/studio',
  description: 'RED: 1 of 6 checks failed.',
  target_url: 'https://evidence.example.com/r.html',
};
const CREATED = { status: 201, body: { id: 1, state: 'failure' } };

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function stand(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  servers.push(server);
  return server;
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('GitHubCommitStatus', () => {
  it('POSTs the status to /repos/{owner}/{repo}/statuses/{sha} with the token as a bearer', async () => {
    const server = await stand([CREATED]);
    await new GitHubCommitStatus({ token: async () => TOKEN, apiUrl: `${server.origin}/api/v3/` }).setStatus(
      'acme/studio',
      MERGE,
      STATUS,
    );
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request).toMatchObject({ method: 'POST', url: `/api/v3/repos/acme/studio/statuses/${MERGE}` });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers.accept).toBe('application/vnd.github+json');
    expect(JSON.parse(request.body)).toEqual(STATUS);
  });

  it('is terminal on 403 and 404 without a rate limit, and never quotes the token', async () => {
    for (const status of [403, 404, 422]) {
      const server = await stand([{ status, body: { message: `Bad credentials for ${TOKEN}` } }]);
      const error = await failure(
        new GitHubCommitStatus({ token: TOKEN, apiUrl: server.origin }).setStatus(
          'acme/studio',
          MERGE,
          STATUS,
        ),
      );
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`answered ${status}`);
      expect(error.message).not.toContain(TOKEN);
    }
  });

  it('retries 5xx and 429, honouring Retry-After', async () => {
    const server = await stand([{ status: 502 }, { status: 429, headers: { 'retry-after': '7' } }]);
    const github = new GitHubCommitStatus({ token: TOKEN, apiUrl: server.origin });
    expect((await failure(github.setStatus('acme/studio', MERGE, STATUS))).retryable).toBe(true);
    const limited = await failure(github.setStatus('acme/studio', MERGE, STATUS));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
  });

  it('treats a 403 with no rate left as a rate limit and waits until x-ratelimit-reset', async () => {
    const now = 1_800_000_000_000;
    const server = await stand([
      {
        status: 403,
        body: { message: 'API rate limit exceeded' },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) },
      },
      { status: 403, body: { message: 'You have exceeded a secondary rate limit' } },
    ]);
    const github = new GitHubCommitStatus({ token: TOKEN, apiUrl: server.origin, now: () => now });
    expect(await failure(github.setStatus('acme/studio', MERGE, STATUS))).toMatchObject({
      retryable: true,
      retryAfterMs: 42_000,
    });
    expect((await failure(github.setStatus('acme/studio', MERGE, STATUS))).retryable).toBe(true);
  });

  it('refuses a repository or SHA that is not one, and an API URL that is not https', async () => {
    const github = new GitHubCommitStatus({ token: TOKEN });
    await expect(github.setStatus('acme/studio/../x', MERGE, STATUS)).rejects.toBeInstanceOf(ConfigError);
    await expect(github.setStatus('acme/studio', 'HEAD~1', STATUS)).rejects.toThrow(/not a hex SHA/);
    expect(() => githubApiUrl('http://github.example.com/api/v3')).toThrow(/github.apiUrl: expected https/);
    expect(githubApiUrl('https://github.example.com/api/v3/')).toBe('https://github.example.com/api/v3');
  });
});

describe('the github relay channel', () => {
  async function relay(seal: Seal, script: Script, repo: string | null = 'acme/studio') {
    const store = new MemorySealStore();
    await store.put(seal);
    const server = await stand(script);
    const waits: number[] = [];
    const ports: RelayPorts = {
      store,
      clock: { now: () => new Date('2026-06-26T14:05:00.000Z') },
      sleep: async (ms) => {
        waits.push(ms);
      },
      github: new GitHubCommitStatus({ token: async () => TOKEN, apiUrl: server.origin, timeoutMs: 30_000 }),
      destinations: () => (repo ? { github: { repo } } : {}),
    };
    return { store, server, ports, waits };
  }

  it('sets one failing smoke-seal/<app> status on the merge commit of a red seal, linking the report', async () => {
    const seal = redSeal();
    const { store, server, ports } = await relay(seal, [CREATED]);
    const outcome = await relaySeal(seal.id, ports);
    expect(outcome.channels.github).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe(`/repos/acme/studio/statuses/${seal.release?.mergeCommit}`);
    const body = JSON.parse(server.requests[0]!.body);
    expect(body).toMatchObject({
      state: 'failure',
      context: `smoke-seal/${seal.app}`,
      target_url: seal.evidence.reportUrl,
    });
    expect(body.description.length).toBeLessThanOrEqual(140);
    expect((await store.get(seal.id))?.deliveries.github?.state).toBe('delivered');

    // Relayed again (SQS delivers at least once): nothing more is sent.
    await relaySeal(seal.id, ports);
    expect(server.requests).toHaveLength(1);
  });

  it('maps green to success and inconclusive to error, with a description of at most 140 characters', async () => {
    for (const [seal, state] of [
      [greenSeal(), 'success'],
      [inconclusiveSeal({ summary: 'x'.repeat(600) }), 'error'],
    ] as const) {
      const { server, ports } = await relay(seal, [CREATED]);
      await relaySeal(seal.id, ports);
      const body = JSON.parse(server.requests[0]!.body);
      expect(body.state).toBe(state);
      expect(body.description.length).toBeLessThanOrEqual(140);
    }
  });

  it('retries a 5xx, then records a 404 as a terminal failure without the token', async () => {
    const seal = redSeal();
    const { store, server, ports, waits } = await relay(seal, [
      { status: 500 },
      { status: 404, body: { message: `Not Found ${TOKEN}` } },
    ]);
    const outcome = await relaySeal(seal.id, ports);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(outcome.channels.github).toMatchObject({ state: 'failed', attempts: 2, retryable: false });
    const stored = await store.get(seal.id);
    expect(stored?.deliveries.github?.detail).toContain('answered 404');
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
  });

  it('leaves a rate limit longer than it may wait to the queue: thrown for redelivery', async () => {
    const seal = redSeal();
    const { server, ports } = await relay(seal, [{ status: 429, headers: { 'retry-after': '600' } }]);
    await expect(relaySeal(seal.id, ports)).rejects.toThrow(/github: .*left to redelivery/);
    expect(server.requests).toHaveLength(1);
  });

  it('skips an app without github.repo', async () => {
    const seal = redSeal();
    const { server, ports } = await relay(seal, [CREATED], null);
    const outcome = await relaySeal(seal.id, ports);
    expect(outcome.channels.github).toMatchObject({ state: 'skipped' });
    expect(outcome.channels.github.detail).toMatch(/no github.repo/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('run --github-status (DirectSealPublisher with GITHUB_TOKEN, GITHUB_API_URL)', () => {
  it('sets the status from a laptop with the repository from the app, else GITHUB_REPOSITORY', async () => {
    const { DirectSealPublisher } = await import('../../functions/adapters/direct-seal-publisher');
    const { githubFromEnv } = await import('../../bin/cli/github-from-env');
    const server = await stand([CREATED]);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.origin, GITHUB_REPOSITORY: 'acme/other' };
    expect(githubFromEnv({}, env).repo).toBe('acme/other');
    const github = githubFromEnv({ github: { repo: 'acme/studio' } }, env);
    expect(github).toEqual({ token: TOKEN, apiUrl: server.origin, repo: 'acme/studio' });
    const seal = redSeal();
    const publisher = new DirectSealPublisher({ github, sleep: async () => {} });
    await publisher.publish(seal);
    expect(publisher.lastOutcome?.channels.github.state).toBe('delivered');
    expect(server.requests[0]?.url).toBe(`/repos/acme/studio/statuses/${seal.release?.mergeCommit}`);
  });

  it('names the variable that is missing, never a token', async () => {
    const { githubFromEnv } = await import('../../bin/cli/github-from-env');
    expect(() => githubFromEnv({ github: { repo: 'acme/studio' } }, {})).toThrow(/set GITHUB_TOKEN/);
    expect(() => githubFromEnv({}, { GITHUB_TOKEN: TOKEN })).toThrow(/GITHUB_REPOSITORY="owner\/name"/);
    expect(() =>
      githubFromEnv({}, { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'a/b', GITHUB_API_URL: 'ftp://x' }),
    ).toThrow(/github.apiUrl/);
  });
});
