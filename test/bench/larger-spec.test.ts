import { describe, expect, it } from 'vitest';
import { largerSpec } from '../../bench/larger-spec';
import { defaultSpec } from '../../functions/core/default-spec';

describe('largerSpec', () => {
  it('is the default spec when asked for its six checks', () => {
    expect(largerSpec(6)).toEqual(defaultSpec);
  });

  it('repeats the default checks with distinct names and URLs', () => {
    const spec = largerSpec(14, 2);
    expect(spec.checks).toHaveLength(14);
    expect(spec.concurrency).toBe(2);
    expect(new Set(spec.checks.map((check) => check.name)).size).toBe(14);
    expect(new Set(spec.checks.map((check) => check.path)).size).toBe(14);
    expect(spec.checks[6]).toMatchObject({ name: 'home-2', path: '/?copy=2', kind: 'page' });
    expect(spec.checks[13]).toMatchObject({ name: 'sign-in-3', path: '/sign_in?copy=3' });
  });

  it('takes fewer checks than the default from its start', () => {
    expect(largerSpec(1).checks.map((check) => check.name)).toEqual(['home']);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => largerSpec(0)).toThrow(RangeError);
    expect(() => largerSpec(2.5)).toThrow(/positive integer/);
  });
});
