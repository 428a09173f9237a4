// What the schema allows but the stack cannot do: refused (or warned about) at synth, naming the field.
import { isIP } from 'node:net';
import { ConfigError } from '../functions/core/errors';
import { CONTEXT_KEY, type DeployConfig } from './config';
import { appAuthSecretNames } from './grant-secret-read';

/** Past this many sign-in secrets, a grant each would crowd IAM's 10,240-character role policy limit. */
export const MAX_SECRETS_WITHOUT_PREFIX = 20;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Throws ConfigError for what the Lambda cannot seal: an app on a private network or on plain http
 * (the functions run outside any VPC; such an app is for the CLI on a machine inside that network),
 * and sign-in secrets too many to grant one by one. Returns warnings: a nightly cron in an hour
 * that daylight saving skips in its time zone.
 */
export function checkForLambda(config: DeployConfig, where = CONTEXT_KEY): string[] {
  config.apps.forEach((app, index) => {
    const url = new URL(app.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (LOOPBACK.has(url.hostname) || LOOPBACK.has(host)) return;
    if (url.protocol === 'http:' || isPrivateAddress(host)) {
      throw new ConfigError(
        `${where}.apps[${index}].url: ${JSON.stringify(app.url)} is ${url.protocol === 'http:' ? 'plain http' : 'a private address'}; the seal function runs in Lambda outside any VPC and cannot reach an app on a private network. Seal it with the CLI from inside that network (smoke-seal run ${app.name} --config <file>), and keep it out of this stack's apps`,
      );
    }
  });

  const secrets = appAuthSecretNames(config);
  const prefix = config.secrets.authSecretPrefix;
  if (prefix) {
    config.apps.forEach((app, index) => {
      for (const [field, name] of Object.entries(app.auth ?? {})) {
        if (typeof name === 'string' && !name.startsWith(prefix)) {
          throw new ConfigError(
            `${where}.apps[${index}].auth.${field}: "${name}" is not under secrets.authSecretPrefix "${prefix}"; the seal function may read only secrets under it`,
          );
        }
      }
    });
  } else if (secrets.length > MAX_SECRETS_WITHOUT_PREFIX) {
    throw new ConfigError(
      `${where}.secrets.authSecretPrefix: ${secrets.length} sign-in secrets (apps[].auth) are too many to grant one by one (IAM caps a role's policies at 10,240 characters); name them under one prefix, e.g. "smoke-seal/apps/", and set secrets.authSecretPrefix to it`,
    );
  }

  const warnings: string[] = [];
  const skipped = skippedHour(config.nightly.cron, config.nightly.timeZone);
  if (skipped) {
    warnings.push(
      `${where}.nightly.cron: ${config.nightly.cron} fires in the hour ${skipped.hour}:00-${skipped.hour}:59, which daylight saving skips in ${config.nightly.timeZone} (${skipped.date}); that night EventBridge Scheduler runs it at another time or not at all. Pick an hour outside 02:00-03:00 local, or a zone without daylight saving (UTC)`,
    );
  }
  return warnings;
}

function isPrivateAddress(host: string): boolean {
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 127
    );
  }
  if (version === 6) return /^(fc|fd|fe8|fe9|fea|feb)/i.test(host);
  return host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.');
}

/**
 * The first date of the coming year on which the cron's hour does not exist in `timeZone` (clocks
 * jump over it), or undefined. Only a cron whose hours field is one number is checked.
 */
export function skippedHour(
  cron: string,
  timeZone: string,
  from = new Date(),
): { hour: number; date: string } | undefined {
  const hoursField = /^cron\(\S+ (\S+) /.exec(cron)?.[1];
  if (!hoursField || !/^\d{1,2}$/.test(hoursField)) return undefined;
  const hour = Number(hoursField);
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const local = (time: number) => {
    const parts = Object.fromEntries(format.formatToParts(time).map((part) => [part.type, part.value]));
    return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
  };
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  let missed: string | undefined;
  // Clocks change where the local hour at noon UTC differs from the day before's: only those days are walked.
  let before = local(start - 86_400_000 + 43_200_000).hour;
  for (let day = 0; day < 367 && !missed; day++) {
    const noon = start + day * 86_400_000 + 43_200_000;
    const at = local(noon).hour;
    if (at === before) continue;
    before = at;
    const seen = new Set<string>();
    for (let time = noon - 48 * 3_600_000; time <= noon + 24 * 3_600_000; time += 900_000) {
      const { date, hour: shown } = local(time);
      seen.add(`${date} ${shown}`);
    }
    for (const offset of [-1, 0]) {
      const date = local(noon + offset * 86_400_000).date;
      if (!seen.has(`${date} ${hour}`)) missed ??= date;
    }
  }
  return missed ? { hour, date: missed } : undefined;
}
