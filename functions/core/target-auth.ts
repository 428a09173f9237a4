// Sign-in material for an app (HTTP basic, extra headers, a Playwright storage state), validated without ever echoing it.
import { z } from 'zod';
import { describeZodError } from './describe-zod-error';
import { ConfigError } from './errors';
import type { StorageState, TargetAuth } from './ports';

const BasicSchema = z.object({
  username: z.string({ error: 'expected a string' }).min(1, 'must not be empty').max(1_000, 'too long'),
  password: z.string({ error: 'expected a string' }).max(4_000, 'too long'),
});

/** Headers the browser must own: a seal cannot override them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade']);

const HeadersSchema = z
  .record(
    z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'expected header names (letters, digits, "-")')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'a header the browser sets itself'),
    z
      .string({ error: 'expected a string value' })
      .max(8_000, 'value too long')
      .refine((value) => !/[\r\n\0]/.test(value), 'a value may not contain line breaks'),
  )
  .refine((headers) => Object.keys(headers).length <= 50, 'at most 50 headers');

const StorageStateSchema = z.object({
  cookies: z
    .array(
      z.object({
        name: z.string({ error: 'expected a string' }),
        value: z.string({ error: 'expected a string' }),
        domain: z.string({ error: 'expected a string' }),
        path: z.string({ error: 'expected a string' }).default('/'),
        expires: z
          .number({ error: 'expected a number (epoch seconds, -1 for a session cookie)' })
          .default(-1),
        httpOnly: z.boolean({ error: 'expected true or false' }).default(false),
        secure: z.boolean({ error: 'expected true or false' }).default(false),
        sameSite: z
          .enum(['Strict', 'Lax', 'None'], { error: 'expected "Strict", "Lax" or "None"' })
          .default('Lax'),
      }),
      { error: 'expected an array of cookies' },
    )
    .max(500, 'at most 500 cookies')
    .default([]),
  origins: z
    .array(
      z.object({
        origin: z.string({ error: 'expected a string' }),
        localStorage: z
          .array(
            z.object({
              name: z.string({ error: 'expected a string' }),
              value: z.string({ error: 'expected a string' }),
            }),
          )
          .max(1_000, 'at most 1000 entries')
          .default([]),
      }),
      { error: 'expected an array of origins' },
    )
    .max(100, 'at most 100 origins')
    .default([]),
});

export type TargetAuthPart = 'basic' | 'headers' | 'storageState';

/** Longest secret read: a storage state of a real app is tens of KB. */
const MAX_BYTES = 1024 * 1024;

/**
 * Parses one part of the sign-in material from JSON text: `basic` is {"username","password"},
 * `headers` is {"Header-Name":"value"}, `storageState` is a Playwright storage state. A ConfigError
 * names `source` (the secret, variable or file) and the field, never the value: not even JSON's own
 * error message, which quotes the text.
 */
export function parseTargetAuthPart(
  part: 'basic',
  text: string,
  source: string,
): NonNullable<TargetAuth['basic']>;
export function parseTargetAuthPart(
  part: 'headers',
  text: string,
  source: string,
): Readonly<Record<string, string>>;
export function parseTargetAuthPart(part: 'storageState', text: string, source: string): StorageState;
export function parseTargetAuthPart(part: TargetAuthPart, text: string, source: string): unknown {
  if (text.length > MAX_BYTES) throw new ConfigError(`${source}: larger than ${MAX_BYTES / 1024} KB`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source}: not valid JSON; expected ${EXPECTED[part]}`);
  }
  return validateTargetAuthPart(part, raw, source);
}

/** The same check on a value already parsed (an --auth-file's fields). */
export function validateTargetAuthPart(part: TargetAuthPart, raw: unknown, source: string): unknown {
  const schema = part === 'basic' ? BasicSchema : part === 'headers' ? HeadersSchema : StorageStateSchema;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source}: expected ${EXPECTED[part]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Paths of header names are the caller's own keys, not secrets; values never appear in zod's messages here.
    throw new ConfigError(describeZodError(parsed.error, source).split('\n')[0]!);
  }
  return parsed.data;
}

const EXPECTED: Readonly<Record<TargetAuthPart, string>> = {
  basic: 'a JSON object {"username": "...", "password": "..."}',
  headers: 'a JSON object of header names to values, e.g. {"Authorization": "Bearer ..."}',
  storageState: 'a Playwright storage state: {"cookies": [...], "origins": [...]}',
};

/** Every secret string in sign-in material: what redaction tests look for, and what logs must never hold. */
export function authSecrets(auth: TargetAuth | undefined): string[] {
  if (!auth) return [];
  return [
    ...(auth.basic ? [auth.basic.password, `${auth.basic.username}:${auth.basic.password}`] : []),
    ...Object.values(auth.headers ?? {}),
    ...(auth.storageState?.cookies.map((cookie) => cookie.value) ?? []),
    ...(auth.storageState?.origins.flatMap((origin) => origin.localStorage.map((item) => item.value)) ?? []),
  ].filter((secret) => secret.length >= 4);
}
