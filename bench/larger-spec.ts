// Bigger specs for the scaling figures: the default checks repeated, each copy a distinct URL.
import { defaultSpec } from '../functions/core/default-spec';
import { type Check, type Spec, SpecSchema } from '../functions/core/spec';

/**
 * `count` checks cycling through the default ones; copies get a "-2", "-3"… name and a `?copy=n`
 * query (the demo site ignores it) so no navigation is a repeat of another.
 */
export function largerSpec(count: number, concurrency = defaultSpec.concurrency): Spec {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`count must be a positive integer, got ${count}`);
  const base = defaultSpec.checks;
  const checks: Check[] = Array.from({ length: count }, (_, index) => {
    const check = base[index % base.length]!;
    const copy = Math.floor(index / base.length) + 1;
    if (copy === 1) return check;
    return { ...check, name: `${check.name}-${copy}`, path: `${check.path}?copy=${copy}` };
  });
  return SpecSchema.parse({ ...defaultSpec, checks, concurrency });
}
