import { composeSpec } from './compose-spec';
import { ConfigError } from './errors';
import type { Spec, SpecOverrides } from './spec';

/**
 * An app's data checks. Without a Playwright spec: the default lane with the app's overrides. With
 * one (`spec.playwright`), its tests are the lane: the default data checks are not run, `add` still
 * is, and `override`/`remove` (which change the default lane) are refused. The tests themselves are
 * Playwright Test's (the seal's suite), so the result may have no check at all.
 */
export function composeAppSpec(base: Spec, overrides: SpecOverrides | undefined, where: string): Spec {
  if (!overrides?.playwright) return composeSpec(base, overrides, where);
  for (const field of ['override', 'remove'] as const) {
    if (overrides[field] !== undefined) {
      throw new ConfigError(
        `${where}.${field}: changes the default lane, which an app with spec.playwright does not run; change the spec, or use "add" for data checks beside it`,
      );
    }
  }
  const added = overrides.add ?? [];
  const withData =
    added.length > 0
      ? composeSpec({ ...base, checks: [] }, { ...overrides, playwright: undefined }, where)
      : null;
  return {
    checks: withData?.checks ?? [],
    checkTimeoutMs: overrides.checkTimeoutMs ?? base.checkTimeoutMs,
    concurrency: overrides.concurrency ?? base.concurrency,
    retries: overrides.retries ?? base.retries,
  };
}
