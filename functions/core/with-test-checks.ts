import { ConfigError } from './errors';
import type { Spec, TestCheck } from './spec';

/** A spec with the app's selected Playwright tests first, then its data checks; names stay unique. */
export function withTestChecks(spec: Spec, tests: readonly TestCheck[], where: string): Spec {
  const names = new Set<string>();
  for (const check of [...tests, ...spec.checks]) {
    if (names.has(check.name)) {
      throw new ConfigError(
        `${where}: two checks are named "${check.name}"; rename the test or the data check`,
      );
    }
    names.add(check.name);
  }
  return { ...spec, checks: [...tests, ...spec.checks] };
}
