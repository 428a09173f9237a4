import { describeZodError } from './describe-zod-error';
import { ConfigError } from './errors';
import { type Check, type Spec, type SpecOverrides, SpecSchema } from './spec';

/**
 * Applies an app's overrides to a base spec and validates the result. `where` prefixes error
 * paths, e.g. `apps[0].spec`. Unknown check names and mismatched fields are configuration errors.
 */
export function composeSpec(base: Spec, overrides: SpecOverrides | undefined, where = 'spec'): Spec {
  if (!overrides) return base;
  const names = new Set(base.checks.map((check) => check.name));
  const known = [...names].join(', ');
  for (const name of [...Object.keys(overrides.override ?? {}), ...(overrides.remove ?? [])]) {
    if (!names.has(name)) {
      throw new ConfigError(`${where}: no check named "${name}" in the default spec (known: ${known})`);
    }
  }
  const removed = new Set(overrides.remove ?? []);
  const checks: Check[] = base.checks
    .filter((check) => !removed.has(check.name))
    .map((check) =>
      applyOverride(check, overrides.override?.[check.name], `${where}.override.${check.name}`),
    );
  const candidate = {
    checks: [...checks, ...(overrides.add ?? [])],
    checkTimeoutMs: overrides.checkTimeoutMs ?? base.checkTimeoutMs,
    concurrency: overrides.concurrency ?? base.concurrency,
    retries: overrides.retries ?? base.retries,
  };
  const parsed = SpecSchema.safeParse(candidate);
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, where), { cause: parsed.error });
  return parsed.data;
}

function applyOverride(
  check: Check,
  override: NonNullable<SpecOverrides['override']>[string] | undefined,
  where: string,
): Check {
  if (!override) return check;
  if (override.landmark && check.kind !== 'page') {
    throw new ConfigError(
      `${where}.landmark: "${check.name}" is a ${check.kind} check; only page checks have a landmark`,
    );
  }
  if (override.status !== undefined && check.kind !== 'status') {
    throw new ConfigError(
      `${where}.status: "${check.name}" is a ${check.kind} check; only status checks have a status`,
    );
  }
  if (override.redirectsTo !== undefined && check.kind !== 'status') {
    throw new ConfigError(
      `${where}.redirectsTo: "${check.name}" is a ${check.kind} check; only status checks have redirectsTo`,
    );
  }
  const path = override.path ?? check.path;
  const name = override.name ?? check.name;
  if (check.kind === 'page') return { ...check, name, path, landmark: override.landmark ?? check.landmark };
  if (check.kind === 'status') {
    const redirectsTo = override.redirectsTo ?? check.redirectsTo;
    return {
      ...check,
      name,
      path,
      status: override.status ?? check.status,
      ...(redirectsTo ? { redirectsTo } : {}),
    };
  }
  return { ...check, name, path };
}
