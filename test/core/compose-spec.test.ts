import { describe, expect, it } from 'vitest';
import { composeSpec } from '../../functions/core/compose-spec';
import { defaultSpec } from '../../functions/core/default-spec';
import { ConfigError } from '../../functions/core/errors';
import { SpecOverridesSchema, SpecSchema } from '../../functions/core/spec';

describe('the default spec', () => {
  it('is the production smoke lane: three pages, /up 200, and the admin paths 404', () => {
    expect(defaultSpec.checks.map((check) => [check.name, check.path])).toEqual([
      ['home', '/'],
      ['sign-in', '/sign_in'],
      ['tasks', '/tasks'],
      ['up', '/up'],
      ['devops', '/devops'],
      ['devops-cycle', '/devops/cycle'],
    ]);
    expect(
      defaultSpec.checks.filter((check) => check.kind === 'status').map((check) => check.status),
    ).toEqual([200, 404, 404]);
  });
});

describe('composeSpec', () => {
  it('overrides a path and a landmark by check name, removes and adds checks', () => {
    const spec = composeSpec(
      defaultSpec,
      SpecOverridesSchema.parse({
        override: { 'sign-in': { path: '/login', landmark: { role: 'heading', name: 'Log in' } } },
        remove: ['devops-cycle'],
        add: [{ kind: 'script', name: 'tasks-rows', path: '/tasks', script: 'tasks-have-rows' }],
        concurrency: 2,
      }),
    );
    const signIn = spec.checks.find((check) => check.name === 'sign-in');
    expect(signIn).toMatchObject({ path: '/login', landmark: { role: 'heading', name: 'Log in' } });
    expect(spec.checks.map((check) => check.name)).not.toContain('devops-cycle');
    expect(spec.checks.at(-1)).toMatchObject({ kind: 'script', script: 'tasks-have-rows' });
    expect(spec.concurrency).toBe(2);
  });

  it('refuses an override of a check that does not exist, naming the known ones', () => {
    expect(() => composeSpec(defaultSpec, { override: { signin: { path: '/x' } } }, 'apps[0].spec')).toThrow(
      new ConfigError(
        'apps[0].spec: no check named "signin" in the default spec (known: home, sign-in, tasks, up, devops, devops-cycle)',
      ),
    );
  });

  it('refuses a landmark on a status check', () => {
    expect(() => composeSpec(defaultSpec, { override: { up: { landmark: { role: 'heading' } } } })).toThrow(
      /spec\.override\.up\.landmark: "up" is a status check; only page checks have a landmark/,
    );
  });

  it('refuses an added check that duplicates a name, with the path of the field', () => {
    expect(() =>
      composeSpec(
        defaultSpec,
        { add: [{ kind: 'status', name: 'up', path: '/health', status: 200 }] },
        'apps[1].spec',
      ),
    ).toThrow(/apps\[1\]\.spec\.checks\[6\]\.name: duplicate check name "up"/);
  });
});

describe('SpecSchema', () => {
  it('names the field and what is allowed for a bad path', () => {
    const result = SpecSchema.safeParse({
      checks: [{ kind: 'status', name: 'up', path: 'up', status: 200 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['checks', 0, 'path'] });
    expect(result.error?.issues[0]?.message).toContain('starts with "/"');
  });
});
