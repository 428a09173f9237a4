import { describe, expect, it } from 'vitest';
import { defaultSpec } from '../../e2e/default-spec';
import { composeAppSpec } from '../../functions/core/compose-app-spec';

const playwright = { files: 'e2e/qa_readonly.spec.ts', grep: '@qa-readonly' };

describe('composeAppSpec', () => {
  it('is the default lane with overrides when the app brings no Playwright spec', () => {
    const spec = composeAppSpec(defaultSpec, { remove: ['devops-cycle'] }, 'apps[0].spec');
    expect(spec.checks.map((check) => check.name)).toEqual(['home', 'sign-in', 'tasks', 'up', 'devops']);
  });

  it('drops the default lane for an app with a spec, keeping added data checks and timing knobs', () => {
    const spec = composeAppSpec(
      defaultSpec,
      { playwright, add: [{ kind: 'status', name: 'robots', path: '/robots.txt', status: 200 }], retries: 0 },
      'apps[0].spec',
    );
    expect(spec.checks.map((check) => check.name)).toEqual(['robots']);
    expect(spec.retries).toBe(0);
    expect(composeAppSpec(defaultSpec, { playwright }, 'apps[0].spec').checks).toEqual([]);
  });

  it('refuses override and remove beside a spec, naming the field', () => {
    expect(() => composeAppSpec(defaultSpec, { playwright, remove: ['up'] }, 'apps[0].spec')).toThrow(
      'apps[0].spec.remove: changes the default lane, which an app with spec.playwright does not run; change the spec, or use "add" for data checks beside it',
    );
  });
});
