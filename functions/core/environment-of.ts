// Which environment a seal checked: production, or the environment the configuration names for the target's host.
import { hostMatches } from './resolve-target';

/** The environment of every seal of an app's production URL, and of seals stored before environments existed. */
export const PRODUCTION = 'production';

/** The environment a stored seal speaks for: seals without the field predate environments and were production. */
export function sealEnvironment(seal: { readonly environment?: string }): string {
  return seal.environment ?? PRODUCTION;
}

/**
 * `environments` maps a name to a host pattern ("staging.example.com", "*.preview.example.com",
 * "host:port"); the first whose pattern matches the base URL names the environment, else production.
 */
export function environmentOf(
  app: { readonly environments?: Readonly<Record<string, string>> },
  baseUrl: string,
): string {
  const url = new URL(baseUrl);
  for (const [name, pattern] of Object.entries(app.environments ?? {})) {
    if (hostMatches(pattern, url)) return name;
  }
  return PRODUCTION;
}
