// Sign-in for `run` on a laptop: SMOKE_SEAL_HTTP_CREDENTIALS, SMOKE_SEAL_EXTRA_HEADERS, SMOKE_SEAL_STORAGE_STATE, or --auth-file.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../functions/core/errors';
import type { StorageState, TargetAuth } from '../../functions/core/ports';
import { parseTargetAuthPart, validateTargetAuthPart } from '../../functions/core/target-auth';

export const AUTH_ENV = {
  basic: 'SMOKE_SEAL_HTTP_CREDENTIALS',
  headers: 'SMOKE_SEAL_EXTRA_HEADERS',
  storageState: 'SMOKE_SEAL_STORAGE_STATE',
} as const;

/**
 * The environment's sign-in, with `--auth-file` ({ basic, headers, storageState }) winning field by
 * field. `storageState` is a path (relative to the auth file) or the state itself. Errors name the
 * variable or file and the field, never a value. Undefined when nothing is given.
 */
export async function authFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  authFile?: string,
): Promise<TargetAuth | undefined> {
  const auth: { basic?: TargetAuth['basic']; headers?: TargetAuth['headers']; storageState?: StorageState } =
    {};
  const credentials = env[AUTH_ENV.basic];
  if (credentials) {
    const colon = credentials.indexOf(':');
    if (colon < 1) throw new ConfigError(`${AUTH_ENV.basic}: expected "user:password"`);
    auth.basic = validateTargetAuthPart(
      'basic',
      { username: credentials.slice(0, colon), password: credentials.slice(colon + 1) },
      AUTH_ENV.basic,
    ) as TargetAuth['basic'];
  }
  const headers = env[AUTH_ENV.headers];
  if (headers) auth.headers = parseTargetAuthPart('headers', headers, AUTH_ENV.headers);
  const statePath = env[AUTH_ENV.storageState];
  if (statePath) auth.storageState = await readStorageState(statePath, AUTH_ENV.storageState);

  if (authFile !== undefined) {
    const text = await readText(authFile, `--auth-file ${authFile}`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ConfigError(
        `--auth-file ${authFile}: not valid JSON; expected {"basic", "headers", "storageState"}`,
      );
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError(
        `--auth-file ${authFile}: expected a JSON object {"basic", "headers", "storageState"}`,
      );
    }
    const file = raw as Record<string, unknown>;
    const unknown = Object.keys(file).filter((key) => !['basic', 'headers', 'storageState'].includes(key));
    if (unknown.length > 0) {
      throw new ConfigError(
        `--auth-file ${authFile}: unknown field "${unknown[0]!.slice(0, 40)}"; expected basic, headers, storageState`,
      );
    }
    if (file.basic !== undefined) {
      auth.basic = validateTargetAuthPart(
        'basic',
        file.basic,
        `--auth-file ${authFile}: basic`,
      ) as TargetAuth['basic'];
    }
    if (file.headers !== undefined) {
      auth.headers = validateTargetAuthPart(
        'headers',
        file.headers,
        `--auth-file ${authFile}: headers`,
      ) as Record<string, string>;
    }
    if (typeof file.storageState === 'string') {
      auth.storageState = await readStorageState(
        resolve(dirname(authFile), file.storageState),
        `--auth-file ${authFile}: storageState`,
      );
    } else if (file.storageState !== undefined) {
      auth.storageState = validateTargetAuthPart(
        'storageState',
        file.storageState,
        `--auth-file ${authFile}: storageState`,
      ) as StorageState;
    }
  }
  return Object.keys(auth).length > 0 ? auth : undefined;
}

async function readStorageState(path: string, source: string): Promise<StorageState> {
  return parseTargetAuthPart(
    'storageState',
    await readText(path, `${source} (${path})`),
    `${source} (${path})`,
  );
}

async function readText(path: string, source: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${source}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: error,
      },
    );
  }
}
