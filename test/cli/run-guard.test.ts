// `smoke-seal run` as a user runs it, against a site whose /up redirects to a stand-in of Lambda's runtime API.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealSchema } from '../../functions/core/seal';
import { type HostileSite, startHostileSite } from '../fixtures/hostile-site';
import { type ScriptedServer, startScriptedServer } from '../fixtures/scripted-http-server';

const CLI = join(import.meta.dirname, '../../bin/smoke-seal');
let site: HostileSite;
let runtimeApi: ScriptedServer;
let cwd: string;

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      CLI,
      args,
      { cwd, timeout: 120_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  runtimeApi = await startScriptedServer([{ status: 200, body: 'next invocation' }]);
  site = await startHostileSite({ runtimeApi: runtimeApi.origin, stunPort: 9, upToRuntime: true });
  cwd = await mkdtemp(join(tmpdir(), 'smoke-seal-cli-guard-'));
});
afterAll(async () => {
  await site.close();
  await runtimeApi.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('smoke-seal run against a site that redirects /up to the runtime API', () => {
  const next = () => `${runtimeApi.origin}/2018-06-01/runtime/invocation/next`;

  it('is red, names the host, and the stand-in receives nothing', async () => {
    const result = await cli(['run', site.url]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain(`/up was redirected off the app's hosts to ${next()} (refused)`);
    expect(result.stdout).toMatch(new RegExp(`GET ${next().replace(/[.]/g, '\\.')} ×2 \\(loopback address`));
    expect(runtimeApi.requests).toEqual([]);
  });

  it('names the runtime API in the seal when AWS_LAMBDA_RUNTIME_API is set, as in Lambda', async () => {
    const result = await cli(['run', site.url, '--json'], {
      AWS_LAMBDA_RUNTIME_API: new URL(runtimeApi.origin).host,
    });
    expect(result.code, result.stderr).toBe(1);
    const seal = SealSchema.parse(JSON.parse(result.stdout));
    expect(seal.checks.find((check) => check.name === 'up')?.error).toBe(
      `/up was redirected off the app's hosts to ${next()} (refused)`,
    );
    expect(seal.refused.requests).toContainEqual({
      method: 'GET',
      url: next(),
      reason: 'the Lambda runtime API is never reachable from a seal',
      count: 2,
    });
    expect(runtimeApi.requests).toEqual([]);
  });
});
