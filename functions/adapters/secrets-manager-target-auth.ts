// Loads an app's sign-in material from Secrets Manager by name (Powertools parameters, cached per container).
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../core/errors';
import type { TargetAuth } from '../core/ports';
import { parseTargetAuthPart } from '../core/target-auth';

/** The secret names of one app (apps[].auth in the configuration). */
export interface AuthSecretNames {
  readonly basicSecret?: string;
  readonly headersSecret?: string;
  readonly storageStateSecret?: string;
}

/** Re-read at most this often, so a rotated password or session is picked up without a deploy. */
const MAX_AGE_SECONDS = 300;

/**
 * Returns the app's TargetAuth, or undefined when it names no secret. A secret that will not load or
 * parse is a ConfigError naming the secret and the field, never its value.
 */
export async function loadTargetAuth(
  secrets: Pick<SecretsProvider, 'get'>,
  names: AuthSecretNames | undefined,
  where: string,
): Promise<TargetAuth | undefined> {
  if (!names || (!names.basicSecret && !names.headersSecret && !names.storageStateSecret)) return undefined;
  const read = async (name: string, field: string): Promise<string> => {
    let value: unknown;
    try {
      value = await secrets.get(name, { maxAge: MAX_AGE_SECONDS });
    } catch (error) {
      // The SDK's message names the secret and the reason (not found, access denied), never the value.
      // Powertools wraps the SDK's error (GetParameterError): its cause names what went wrong.
      const cause = (error as Error).cause;
      const reason = cause instanceof Error ? cause.name : (error as Error).name;
      throw new ConfigError(`${where}.${field} "${name}": cannot be read (${reason})`, {
        cause: error,
      });
    }
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError(
        `${where}.${field} "${name}": empty or binary; store the JSON as the secret string`,
      );
    }
    return value;
  };
  const [basic, headers, storageState] = await Promise.all([
    names.basicSecret
      ? read(names.basicSecret, 'basicSecret').then((text) =>
          parseTargetAuthPart('basic', text, `${where}.basicSecret "${names.basicSecret}"`),
        )
      : undefined,
    names.headersSecret
      ? read(names.headersSecret, 'headersSecret').then((text) =>
          parseTargetAuthPart('headers', text, `${where}.headersSecret "${names.headersSecret}"`),
        )
      : undefined,
    names.storageStateSecret
      ? read(names.storageStateSecret, 'storageStateSecret').then((text) =>
          parseTargetAuthPart(
            'storageState',
            text,
            `${where}.storageStateSecret "${names.storageStateSecret}"`,
          ),
        )
      : undefined,
  ]);
  return {
    ...(basic ? { basic } : {}),
    ...(headers ? { headers } : {}),
    ...(storageState ? { storageState } : {}),
  };
}
