import { ConfigError } from './errors';

/** Reads required environment variables once, failing fast with the names of the missing ones. */
export function readEnv<const K extends string>(names: readonly K[]): Record<K, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `missing environment variable(s) ${missing.join(', ')}: the stack sets them; check the function's configuration`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name]!])) as Record<K, string>;
}
