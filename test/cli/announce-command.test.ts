// `smoke-seal announce` against a local stand-in for EventBridge (the SDK's endpoint override).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { announceMain } from '../../bin/cli/announce-command';
import { parseSealEvent } from '../../functions/core/seal-event';
import { triggerFromEvent } from '../../functions/core/trigger-from-event';
import {
  type ScriptedAnswer,
  type ScriptedServer,
  startScriptedServer,
} from '../fixtures/scripted-http-server';

const CLI = join(import.meta.dirname, '../../bin/smoke-seal');
const MATCH = { source: 'acme.release-tooling', detailType: 'Release Shipped' };
const OK: ScriptedAnswer = {
  status: 200,
  body: { Entries: [{ EventId: 'evt-11111111' }], FailedEntryCount: 0 },
  headers: { 'content-type': 'application/x-amz-json-1.1' },
};
const THROTTLED: ScriptedAnswer = {
  status: 400,
  body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
  headers: { 'content-type': 'application/x-amz-json-1.1' },
};
const DENIED: ScriptedAnswer = {
  status: 400,
  body: { __type: 'AccessDeniedException', message: 'not authorized to perform events:PutEvents' },
  headers: { 'content-type': 'application/x-amz-json-1.1' },
};
const FIVE_HUNDRED: ScriptedAnswer = { status: 500, body: { __type: 'InternalException', message: 'oops' } };

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const MERGE = '0123456789abcdef0123456789abcdef01234567';
const BASE = [
  '--app',
  'studio',
  '--release-id',
  'r-42',
  '--commit',
  SHA,
  '--merge-commit',
  MERGE,
  '--branch',
  'prod',
];

let dir: string;
let config: string;
let server: ScriptedServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-announce-'));
  config = join(dir, 'cdk.json');
  await writeFile(
    config,
    JSON.stringify({
      context: {
        smokeSeal: {
          apps: [
            { name: 'studio', url: 'https://studio.example.com', allowedHosts: ['staging.example.com'] },
          ],
          events: { busName: 'deploys', ...MATCH },
        },
      },
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-example');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
  vi.stubEnv('AWS_PROFILE', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

interface Run {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

async function announce(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await announceMain(args, {
    env,
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    now: () => new Date('2026-11-23T02:00:00Z'),
  });
  return { code, stdout, stderr };
}

/** The PutEvents entries the stand-in received. */
function entries(): Record<string, string>[] {
  return (server?.requests ?? []).flatMap((request) => JSON.parse(request.body).Entries);
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('smoke-seal announce', () => {
  it('puts exactly the event the seal function accepts on the configured bus and prints its id', async () => {
    server = await startScriptedServer([OK]);
    const result = await announce([
      ...BASE,
      '--version',
      'v1.4.0',
      '--release-url',
      'https://github.com/acme/studio/pull/7',
      '--notes-thread',
      '123456789012345678',
      '--config',
      config,
      '--endpoint',
      server.origin,
    ]);
    expect(result.stderr).toEqual([]);
    expect(result).toMatchObject({ code: 0, stdout: ['evt-11111111'] });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    const [entry] = entries();
    expect(entry).toMatchObject({
      EventBusName: 'deploys',
      Source: MATCH.source,
      DetailType: MATCH.detailType,
    });
    const detail = JSON.parse(entry!.Detail!);
    expect(detail).toEqual({
      schemaVersion: 1,
      app: 'studio',
      releaseId: 'r-42',
      version: 'v1.4.0',
      commit: SHA,
      mergeCommit: MERGE,
      branch: 'prod',
      links: { release: 'https://github.com/acme/studio/pull/7', notesThreadId: '123456789012345678' },
    });
    // The event as EventBridge delivers it to the seal function, through the function's own parser.
    const delivered = {
      version: '0',
      id: 'e1',
      'detail-type': entry!.DetailType,
      source: entry!.Source,
      account: '111122223333',
      time: '2026-11-23T02:00:01Z',
      region: 'eu-west-1',
      resources: [],
      detail,
    };
    const parsed = parseSealEvent(delivered, MATCH);
    const trigger = triggerFromEvent(parsed, { requestId: 'x', now: new Date(), timeZone: 'UTC' });
    expect(trigger).toEqual({
      trigger: 'release',
      smokeUrl: undefined,
      release: {
        releaseId: 'r-42',
        version: 'v1.4.0',
        commit: SHA,
        mergeCommit: MERGE,
        branch: 'prod',
        notesThreadId: '123456789012345678',
        releaseUrl: 'https://github.com/acme/studio/pull/7',
      },
    });
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_EVENTBRIDGE and prints JSON with --json', async () => {
    server = await startScriptedServer([OK]);
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', server.origin);
    const result = await announce([...BASE, '--config', config, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(JSON.parse(result.stdout[0]!)).toMatchObject({
      eventId: 'evt-11111111',
      attempts: 1,
      bus: 'deploys',
    });
    expect(entries()).toHaveLength(1);
  });

  it('fills from GitHub Actions with --from-github, and flags override it', async () => {
    server = await startScriptedServer([OK]);
    const github = {
      GITHUB_SHA: SHA,
      GITHUB_REF_NAME: 'prod',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/studio',
      GITHUB_RUN_ID: '9876543210',
      GITHUB_RUN_ATTEMPT: '2',
    };
    const result = await announce(
      [
        '--app',
        'studio',
        '--from-github',
        '--branch',
        'release/prod',
        '--config',
        config,
        '--endpoint',
        server.origin,
      ],
      github,
    );
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(JSON.parse(entries()[0]!.Detail!)).toEqual({
      schemaVersion: 1,
      app: 'studio',
      releaseId: 'gh-9876543210-2',
      version: 'gh-9876543210-2',
      commit: SHA,
      mergeCommit: SHA,
      branch: 'release/prod',
      links: { release: 'https://github.com/acme/studio/actions/runs/9876543210' },
    });
  });

  it('refuses what the seal function would refuse: exit 64 naming the field, nothing sent', async () => {
    server = await startScriptedServer([OK]);
    const cases: [string[], RegExp][] = [
      [[...BASE.slice(0, 4), '--commit', 'HEAD', ...BASE.slice(6)], /detail\.commit: expected 7-40 hex/],
      [[...BASE, '--smoke-url', 'ftp://studio.example.com'], /detail\.smokeUrl/],
      [
        [...BASE, '--smoke-url', 'https://evil.example.net/'],
        /detail\.smokeUrl: host "evil\.example\.net" is not allowed/,
      ],
      [[...BASE, '--notes-thread', 'general'], /detail\.links\.notesThreadId: expected a Discord snowflake/],
      [['--app', 'shop', ...BASE.slice(2)], /unknown app "shop"; configured apps: studio/],
      [BASE.filter((_, i) => i !== 8 && i !== 9), /detail\.branch: missing; pass --branch/],
      [[...BASE, '--no-such-flag'], /Unknown option '--no-such-flag'/],
    ];
    for (const [args, message] of cases) {
      const result = await announce([...args, '--config', config, '--endpoint', server.origin]);
      expect(result.code, args.join(' ')).toBe(64);
      expect(result.stderr.join('\n')).toMatch(message);
      expect(result.stderr.join('\n')).toMatch(/nothing sent/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('names the missing GitHub variable with --from-github outside Actions', async () => {
    const result = await announce(['--app', 'studio', '--from-github', '--config', config]);
    expect(result.code).toBe(64);
    expect(result.stderr[0]).toMatch(
      /--from-github: GITHUB_SHA is not set; run inside GitHub Actions or pass --commit/,
    );
  });

  it('retries throttling, 5xx and retryable failed entries, then sends once', async () => {
    server = await startScriptedServer([
      THROTTLED,
      FIVE_HUNDRED,
      {
        ...OK,
        body: {
          Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
          FailedEntryCount: 1,
        },
      },
      OK,
    ]);
    const result = await announce([...BASE, '--config', config, '--endpoint', server.origin, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(JSON.parse(result.stdout[0]!)).toMatchObject({ eventId: 'evt-11111111', attempts: 4 });
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry a refusal: access denied, or a failed entry that will not pass', async () => {
    for (const answer of [
      DENIED,
      {
        ...OK,
        body: {
          Entries: [{ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'no' }],
          FailedEntryCount: 1,
        },
      },
    ]) {
      server = await startScriptedServer([answer, OK]);
      const result = await announce([...BASE, '--config', config, '--endpoint', server.origin]);
      expect(result.code).toBe(1);
      expect(result.stderr[0]).toMatch(/AccessDenied|NotAuthorizedForSource/);
      expect(server.requests).toHaveLength(1);
      await server.close();
      server = undefined;
    }
  });

  it('prints what the endpoint said on one bounded line, without control characters', async () => {
    server = await startScriptedServer([
      {
        ...DENIED,
        body: { __type: 'AccessDeniedException', message: `no\u001b[31m\nFORGED LINE ${'x'.repeat(5_000)}` },
      },
    ]);
    const result = await announce([...BASE, '--config', config, '--endpoint', server.origin]);
    expect(result.code).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).not.toContain('\u001b');
    expect(result.stderr[0]).not.toContain('\n');
    expect(result.stderr[0]!.length).toBeLessThan(600);
  });

  it('gives up on throttling at --timeout: exit 1, or 0 with --soft', async () => {
    server = await startScriptedServer([THROTTLED]);
    const args = [...BASE, '--config', config, '--endpoint', server.origin, '--timeout', '600'];
    const hard = await announce(args);
    expect(hard.code).toBe(1);
    expect(hard.stderr[0]).toMatch(/gave up after \d+ attempts within 600 ms .*ThrottlingException/);
    expect(server.requests.length).toBeGreaterThan(1);
    const soft = await announce([...args, '--soft']);
    expect(soft.code).toBe(0);
    expect(soft.stderr[0]).toMatch(/warning: .*ThrottlingException.*--soft, exit 0/);
  });

  it('--soft exits 0 on every failure: bad input, missing credentials, an unreachable bus', async () => {
    const port = await closedPort();
    const unreachable = [
      ...BASE,
      '--config',
      config,
      '--endpoint',
      `http://127.0.0.1:${port}`,
      '--timeout',
      '500',
    ];
    const bad = await announce(['--app', 'Studio!', ...BASE.slice(2), '--soft', '--config', config]);
    expect(bad.code).toBe(0);
    expect(bad.stderr[0]).toMatch(/warning: detail\.app: expected an app name/);
    const garbage = await announce(['--soft', '--what']);
    expect(garbage.code).toBe(0);

    const down = await announce(unreachable);
    expect(down.code).toBe(1);
    expect(down.stderr[0]).toMatch(/ECONNREFUSED/);
    expect((await announce([...unreachable, '--soft'])).code).toBe(0);

    server = await startScriptedServer([OK]);
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const args = [...BASE, '--config', config, '--endpoint', server.origin];
    const noCredentials = await announce(args);
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr[0]).toMatch(/credential/i);
    expect((await announce([...args, '--soft'])).code).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('works as a child process: the event id on stdout, exit 0; garbage with --soft exits 0', async () => {
    server = await startScriptedServer([OK]);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-example',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(CLI, args, { cwd: dir, env, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    const ok = await run(['announce', ...BASE, '--endpoint', server.origin]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('evt-11111111');
    // ./cdk.json in the working directory is the configuration when no --config is given.
    expect(entries()[0]?.EventBusName).toBe('deploys');
    const soft = await run(['announce', '--soft', '--commit']);
    expect(soft.code).toBe(0);
    expect(soft.stderr).toMatch(/warning/);
  });
});
