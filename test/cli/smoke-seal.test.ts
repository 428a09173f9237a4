// The CLI as a user runs it: a child process, real Chromium, the demo site, the embedded store.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { startLocalDynamo } from '../../functions/adapters/local-dynamo';
import { SealSchema } from '../../functions/core/seal';
import { startScriptedServer } from '../fixtures/scripted-http-server';
import { makeSeal } from '../fixtures/seal-factory';

const CLI = join(import.meta.dirname, '../../bin/smoke-seal');
/** Each CLI process loads TypeScript, opens the store and may launch Chromium: on a busy machine, tens of seconds. */
const CLI_TEST_MS = 240_000;
let site: DemoSite;
let cwd: string;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], options: { cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(CLI, args, { cwd: options.cwd ?? cwd, timeout: 230_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  site = await startDemoSite({ slowMs: 30_000 });
  cwd = await mkdtemp(join(tmpdir(), 'smoke-seal-cli-'));
});
afterAll(async () => {
  await site.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('smoke-seal run <url>', { timeout: CLI_TEST_MS }, () => {
  it('exits 0 on a green seal and prints the seal as JSON', async () => {
    site.setFaults([]);
    const result = await cli(['run', site.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const seal = SealSchema.parse(JSON.parse(result.stdout));
    expect(seal).toMatchObject({ status: 'green', trigger: 'manual', app: new URL(site.url).host });
    expect(seal.checks.map((check) => check.name)).toEqual([
      'home',
      'sign-in',
      'tasks',
      'up',
      'devops',
      'devops-cycle',
    ]);
    expect(seal.checks[0]).toMatchObject({ outcome: 'passed', httpStatus: 200, error: null });
    expect(seal.checks[0]?.attempts[0]?.screenshot).toMatch(/\.png$/);
    expect(seal.refused).toEqual({ count: 0, requests: [] });
    expect(seal.timings.launchMs).toBeGreaterThan(0);
    // The report is on disk with the screenshots it links.
    const report = await readFile(seal.evidence.reportUrl!, 'utf8');
    expect(report).toContain('GREEN');
    const firstShot = seal.checks[0]!.attempts[0]!.screenshot!;
    expect(report).toContain(`src="${firstShot}"`);
    expect((await stat(join(seal.evidence.reportUrl!, '..', firstShot))).size).toBeGreaterThan(1000);
  });

  it('exits 1 on a red seal and prints a table with the failing check and the summary', async () => {
    site.setFaults(['up-500']);
    const result = await cli(['run', site.url]);
    site.setFaults([]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/✗ +up +\/up +500/);
    expect(result.stdout).toMatch(/✓ +home/);
    expect(result.stdout).toContain('red: 1 of 6 checks failed: /up answered 500, expected 200');
    expect(result.stdout).toMatch(/report: .*index\.html/);
  });

  it('exits 2 when the seal is inconclusive: nothing answered before the deadline', async () => {
    const silent = await silentServer();
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const result = await cli(['run', url, '--deadline', '3000', '--json']);
      expect(result.code, result.stderr).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'inconclusive' });
    } finally {
      silent.close();
    }
  });

  it.each([
    [['run', 'not a url'], /run: "not a url" is not a URL/],
    [['run', 'ftp://example.com'], /expected an http or https URL, got scheme "ftp"/],
    [['run', 'http://127.0.0.1:1', '--deadline', 'soon'], /--deadline: expected a whole number/],
    [['run', 'http://127.0.0.1:1', '--bogus'], /Unknown option '--bogus'/],
    [['run'], /run: missing the URL to seal/],
    [['launch'], /unknown command "launch"/],
  ])('exits 64 with usage for %j', async (args, message) => {
    const result = await cli(args);
    expect(result.code, result.stderr).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: smoke-seal');
  });
});

describe('smoke-seal run --app', { timeout: CLI_TEST_MS }, () => {
  async function withConfig(smokeSeal: unknown): Promise<string> {
    const dir = await mkdtemp(join(cwd, 'config-'));
    await writeFile(join(dir, 'cdk.json'), JSON.stringify({ app: 'x', context: { smokeSeal } }));
    return dir;
  }

  it('takes the URL and spec overrides of the app from cdk.json', async () => {
    const dir = await withConfig({
      apps: [
        {
          name: 'demo',
          url: site.url,
          spec: { remove: ['devops-cycle'], override: { up: { path: '/up' } } },
        },
      ],
    });
    site.setFaults([]);
    const result = await cli(['run', '--app', 'demo', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const seal = JSON.parse(result.stdout);
    expect(seal.app).toBe('demo');
    expect(seal.checks.map((check: { name: string }) => check.name)).not.toContain('devops-cycle');
  });

  it('exits 64 naming the app when it is not configured', async () => {
    const dir = await withConfig({ apps: [{ name: 'demo', url: site.url }] });
    const result = await cli(['run', '--app', 'studio'], { cwd: dir });
    expect(result.code, result.stderr).toBe(64);
    expect(result.stderr).toContain('unknown app "studio"; configured apps: demo');
  });

  it('exits 64 naming the field of an invalid spec', async () => {
    const dir = await withConfig({
      apps: [{ name: 'demo', url: site.url, spec: { override: { up: { path: 'up' } } } }],
    });
    const result = await cli(['run', '--app', 'demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(64);
    expect(result.stderr).toContain(
      'context.smokeSeal.apps[0].spec.override.up.path: expected a path that starts with "/"',
    );
  });
});

describe('smoke-seal run with delivery flags', { timeout: CLI_TEST_MS }, () => {
  it('posts the seal to the Discord webhook from the laptop, with the same message code as the relay', async () => {
    const discord = await startScriptedServer([{ status: 200, body: { id: '1300000000000000001' } }]);
    try {
      site.setFaults(['up-500']);
      const dir = await mkdtemp(join(cwd, 'discord-'));
      const webhook = `${discord.origin}/api/webhooks/123/secret-token`;
      const result = await cli(['run', site.url, '--json', '--discord-webhook', webhook], { cwd: dir });
      site.setFaults([]);
      expect(result.code, result.stderr).toBe(1);
      expect(discord.requests).toHaveLength(1);
      const [request] = discord.requests;
      expect(request?.method).toBe('POST');
      expect(new URL(request!.url, discord.origin).searchParams.get('wait')).toBe('true');
      const body = JSON.parse(request!.body);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(JSON.stringify(body.embeds)).toContain('/up answered 500');
      expect(result.stderr).toMatch(/discord: delivered/);
      expect(result.stderr).not.toContain('secret-token');
      const seal = JSON.parse(
        (await cli(['show', JSON.parse(result.stdout).id, '--json'], { cwd: dir })).stdout,
      );
      expect(seal.deliveries.discord.state).toBe('delivered');
    } finally {
      await discord.close();
    }
  });

  it('exits 64 when --release-api is given without a token to send', async () => {
    const result = await cli([
      'run',
      site.url,
      '--release-api',
      'https://ops.example.com/api/releases/{releaseId}/smoke_seal',
    ]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('SMOKE_SEAL_RELEASE_API_TOKEN');
  });
});

describe('smoke-seal history and show', { timeout: CLI_TEST_MS }, () => {
  // Seven CLI processes, one after another (the local store is one process at a time): room for a busy machine.
  it('lists seals recorded by earlier processes, newest first, and shows one in full', {
    timeout: 240_000,
  }, async () => {
    const dir = await mkdtemp(join(cwd, 'history-'));
    const app = new URL(site.url).host;
    // Recorded by another process (this one) in the state folder the CLI opens; `run` itself is tested above.
    const local = await startLocalDynamo({ dir: join(dir, '.smoke-seal', 'db') });
    try {
      const store = new DynamoSealStore({ client: local.client, tableName: local.tableName });
      await store.put(makeSeal({ app, id: `${app}:manual:a`, trigger: 'manual', release: null }));
      await store.put(
        makeSeal({
          app,
          id: `${app}:manual:b`,
          trigger: 'manual',
          release: null,
          status: 'red',
          checkedAt: '2026-11-22T11:00:00.000Z',
        }),
      );
    } finally {
      await local.close();
    }
    const history = await cli(['history', app, '--json'], { cwd: dir });
    expect(history.code).toBe(0);
    const page = JSON.parse(history.stdout);
    expect(page.seals.map((seal: { status: string }) => seal.status)).toEqual(['red', 'green']);

    const table = await cli(['history', app], { cwd: dir });
    expect(table.stdout.split('\n')[1]).toMatch(/^red +- +manual/);

    const first = await cli(['history', app, '--limit', '1'], { cwd: dir });
    const next = /--cursor (\S+)/.exec(first.stdout)?.[1];
    expect(next).toBeDefined();
    const second = await cli(['history', app, '--limit', '1', '--cursor', next!, '--json'], { cwd: dir });
    expect(JSON.parse(second.stdout).seals.map((seal: { id: string }) => seal.id)).toEqual([
      page.seals[1].id,
    ]);

    const shown = await cli(['show', page.seals[1].id, '--json'], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(page.seals[1]);

    const overview = await cli(['overview', '--json'], { cwd: dir });
    expect(JSON.parse(overview.stdout).seals.map((seal: { id: string }) => seal.id)).toEqual([
      page.seals[0].id,
    ]);
    expect((await cli(['overview'], { cwd: dir })).stdout).toMatch(
      new RegExp(`^${app.replace(/\./g, '\\.')} +red`, 'm'),
    );

    const html = await cli(['history', app, '--html'], { cwd: dir });
    expect(html.code).toBe(0);
    const timeline = await readFile(html.stdout.trim(), 'utf8');
    expect(timeline.match(/data-status="(red|green)"/g)).toEqual([
      'data-status="green"',
      'data-status="red"',
    ]);

    const missing = await cli(['show', 'nope:manual:x'], { cwd: dir });
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('no seal "nope:manual:x"');
  });
});

function silentServer(): Promise<Server> {
  // Accepts connections and never answers: every check hangs until the seal's deadline.
  const server = createServer(() => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
