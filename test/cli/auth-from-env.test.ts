// `run` sign-in from the environment or --auth-file: validated, and no error ever echoes a secret.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromEnvironment } from '../../bin/cli/auth-from-env';
import { parseTargetAuthPart } from '../../functions/core/target-auth';

const PASSWORD = 'pw-Secret-3141';
const STATE = {
  cookies: [
    {
      name: 'sid',
      value: 'cookie-Secret-2718',
      domain: 'studio.example.com',
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    },
  ],
  origins: [],
};
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-auth-'));
  await writeFile(join(dir, 'state.json'), JSON.stringify(STATE));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: Error) => caught,
  );
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('authFromEnvironment', () => {
  it('reads SMOKE_SEAL_HTTP_CREDENTIALS, SMOKE_SEAL_EXTRA_HEADERS and SMOKE_SEAL_STORAGE_STATE', async () => {
    const auth = await authFromEnvironment({
      SMOKE_SEAL_HTTP_CREDENTIALS: `seal-bot:${PASSWORD}:with-colon`,
      SMOKE_SEAL_EXTRA_HEADERS: '{"Authorization": "Bearer tok-Secret-1"}',
      SMOKE_SEAL_STORAGE_STATE: join(dir, 'state.json'),
    });
    expect(auth).toEqual({
      basic: { username: 'seal-bot', password: `${PASSWORD}:with-colon` },
      headers: { Authorization: 'Bearer tok-Secret-1' },
      storageState: STATE,
    });
    expect(await authFromEnvironment({})).toBeUndefined();
  });

  it('takes --auth-file, with storageState as a path relative to it, winning over the environment', async () => {
    const file = join(dir, 'auth.json');
    await writeFile(
      file,
      JSON.stringify({ basic: { username: 'file-bot', password: PASSWORD }, storageState: 'state.json' }),
    );
    const auth = await authFromEnvironment({ SMOKE_SEAL_HTTP_CREDENTIALS: 'env-bot:x' }, file);
    expect(auth).toEqual({ basic: { username: 'file-bot', password: PASSWORD }, storageState: STATE });
  });

  it('names the variable or file and the field, never the value', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SMOKE_SEAL_HTTP_CREDENTIALS: PASSWORD }, /SMOKE_SEAL_HTTP_CREDENTIALS: expected "user:password"/],
      [
        { SMOKE_SEAL_EXTRA_HEADERS: `{"Authorization": ${PASSWORD}}` },
        /SMOKE_SEAL_EXTRA_HEADERS: not valid JSON/,
      ],
      [{ SMOKE_SEAL_EXTRA_HEADERS: `{"Bad Header": "${PASSWORD}"}` }, /SMOKE_SEAL_EXTRA_HEADERS/],
      [{ SMOKE_SEAL_EXTRA_HEADERS: `{"X-Token": "${PASSWORD}\\r\\nHost: evil"}` }, /line breaks/],
      [
        { SMOKE_SEAL_EXTRA_HEADERS: `{"X-Token": 42}` },
        /SMOKE_SEAL_EXTRA_HEADERS.X-Token: expected a string value/,
      ],
      [
        { SMOKE_SEAL_STORAGE_STATE: join(dir, 'missing.json') },
        /SMOKE_SEAL_STORAGE_STATE .*cannot read the file \(ENOENT\)/,
      ],
    ];
    for (const [env, message] of cases) {
      const text = await failure(authFromEnvironment(env));
      expect(text).toMatch(message);
      expect(text).not.toContain(PASSWORD);
    }
    const file = join(dir, 'bad-auth.json');
    await writeFile(file, JSON.stringify({ basic: { username: '', password: PASSWORD } }));
    const text = await failure(authFromEnvironment({}, file));
    expect(text).toMatch(/--auth-file .*bad-auth\.json: basic\.username: must not be empty/);
    expect(text).not.toContain(PASSWORD);
  });

  it('refuses a storage state cookie with a bad field, naming the path', () => {
    const bad = JSON.stringify({ cookies: [{ ...STATE.cookies[0], sameSite: `Lax ${PASSWORD}` }] });
    expect(() => parseTargetAuthPart('storageState', bad, 'studio/state')).toThrow(
      /studio\/state\.cookies\[0\]\.sameSite: expected "Strict", "Lax" or "None"/,
    );
    try {
      parseTargetAuthPart('storageState', bad, 'studio/state');
    } catch (error) {
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });
});
