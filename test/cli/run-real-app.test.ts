// `smoke-seal run --app` as a user runs it against a Rails-like app: a plain config file, progress on stderr.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealSchema } from '../../functions/core/seal';
import { type LocalSite, startRailsLikeApp } from '../fixtures/real-app-sites';

const CLI = join(import.meta.dirname, '../../bin/smoke-seal');
let app: LocalSite;
let cwd: string;

beforeAll(async () => {
  app = await startRailsLikeApp({ basePath: '/redmine' });
  cwd = await mkdtemp(join(tmpdir(), 'smoke-seal-real-app-'));
});
afterAll(async () => {
  await app.close();
  await rm(cwd, { recursive: true, force: true });
});

/** Runs the CLI, keeping stderr's chunks in arrival order. */
function run(args: string[]): Promise<{ code: number; stdout: string; stderrChunks: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(CLI, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    const stderrChunks: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderrChunks }));
  });
}

describe('smoke-seal run --app with a plain configuration file', () => {
  it('seals the app green and prints progress on stderr, the start line first', async () => {
    const config = join(cwd, 'apps.json');
    await writeFile(
      config,
      JSON.stringify({
        apps: [
          {
            name: 'tracker',
            url: app.url,
            spec: {
              override: {
                'sign-in': { path: '/login' },
                tasks: { name: 'issues', path: '/issues' },
                devops: { path: '/admin', redirectsTo: '/login' },
                'devops-cycle': { path: '/admin/projects', redirectsTo: '/login' },
              },
            },
          },
        ],
      }),
    );
    const result = await run(['run', '--app', 'tracker', '--config', config, '--json']);
    const stderr = result.stderrChunks.join('');
    expect(result.code, stderr).toBe(0);
    const seal = SealSchema.parse(JSON.parse(result.stdout));
    expect(seal.checks.map((check) => check.name)).toContain('issues');
    // The start line comes before anything else, then one line per check as it finishes; no escape codes off a TTY.
    expect(result.stderrChunks[0]).toBe(`sealing ${app.url}: launching browser…\n`);
    const lines = stderr.trim().split('\n').slice(1);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^✓ [a-z-]+ {2}\/\S* {2}\d+ ms$/);
    expect(stderr).not.toContain('\x1b');
  });
});
