// The flags of the release work: run --github-status / --smoke-url / --auth-file, history --env.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../bin/cli/parse-command';

describe('parseCommand', () => {
  it('reads history --env, production by default', () => {
    expect(parseCommand(['history', 'studio'])).toMatchObject({ name: 'history', environment: 'production' });
    expect(parseCommand(['history', 'studio', '--env', 'staging'])).toMatchObject({ environment: 'staging' });
    expect(() => parseCommand(['history', 'studio', '--env', 'Staging!'])).toThrow(
      /--env: expected an environment name/,
    );
  });

  it('reads run --github-status, --smoke-url (with --app only) and --auth-file', () => {
    expect(
      parseCommand([
        'run',
        '--app',
        'studio',
        '--github-status',
        '--smoke-url',
        'https://staging.example.com',
        '--auth-file',
        'auth.json',
      ]),
    ).toMatchObject({
      name: 'run',
      githubStatus: true,
      smokeUrl: 'https://staging.example.com',
      authFile: 'auth.json',
    });
    expect(parseCommand(['run', 'https://studio.example.com'])).toMatchObject({
      githubStatus: false,
      smokeUrl: undefined,
    });
    expect(() =>
      parseCommand(['run', 'https://a.example.com', '--smoke-url', 'https://b.example.com']),
    ).toThrow(/--smoke-url: only with --app/);
  });
});
describe('parseCommand run', () => {
  it('takes --allow-http, off by default', () => {
    expect(parseCommand(['run', 'http://192.168.1.10:8080'])).toMatchObject({
      name: 'run',
      allowHttp: false,
    });
    expect(parseCommand(['run', 'http://192.168.1.10:8080', '--allow-http'])).toMatchObject({
      name: 'run',
      url: 'http://192.168.1.10:8080',
      allowHttp: true,
    });
  });
});
