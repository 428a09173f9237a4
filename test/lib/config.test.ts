import { describe, expect, it } from 'vitest';
import { targetFromUrl } from '../../bin/cli/run-command';
import { ConfigError } from '../../functions/core/errors';
import { findApp, parseConfigFile, parseDeployConfig } from '../../lib/config';

const app = { name: 'tracker', url: 'https://tracker.example.com/redmine/' };

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseConfigFile', () => {
  it('reads a cdk.json (context "smokeSeal") and a plain file of the same schema alike', () => {
    const cdk = parseConfigFile(
      JSON.stringify({ app: 'npx tsx bin/app.ts', context: { smokeSeal: { apps: [app] } } }),
      'cdk.json',
    );
    const plain = parseConfigFile(JSON.stringify({ apps: [app] }), 'apps.json');
    expect(plain).toEqual(cdk);
    expect(plain.apps[0]?.url).toBe('https://tracker.example.com/redmine/');
  });

  it('names the file and the field of an error in a plain file', () => {
    expect(
      errorOf(() => parseConfigFile(JSON.stringify({ apps: [{ ...app, url: 'ftp://x' }] }), 'apps.json')),
    ).toMatch(/^apps\.json\.apps\[0\]\.url: expected an https URL/);
  });

  it('says which shapes it accepts when the file has neither', () => {
    expect(errorOf(() => parseConfigFile('{"context":{}}', 'cdk.json'))).toBe(
      'cdk.json: no configuration found; expected a cdk.json with context "smokeSeal" or a file with "apps": [...] (see docs/configuration.md)',
    );
  });
});

describe('plain http', () => {
  it('is refused for a private-network app unless it says "allowHttp": true', () => {
    const url = 'http://192.168.1.10:8080/';
    expect(errorOf(() => parseDeployConfig({ apps: [{ ...app, url }] }))).toBe(
      'smokeSeal.apps[0].url: expected an https URL (http only for 127.0.0.1/localhost, or with "allowHttp": true for an app on a private network), got "http://192.168.1.10:8080/"',
    );
    expect(parseDeployConfig({ apps: [{ ...app, url, allowHttp: true }] }).apps[0]).toMatchObject({
      url,
      allowHttp: true,
    });
    expect(parseDeployConfig({ apps: [{ ...app, url: 'http://127.0.0.1:8080/' }] }).apps[0]?.allowHttp).toBe(
      false,
    );
  });

  it('is refused the same way on the command line without --allow-http', () => {
    expect(errorOf(() => targetFromUrl('http://192.168.1.10:8080'))).toBe(
      'run: http://192.168.1.10:8080 is plain http; use https, or pass --allow-http for an app on a private network',
    );
    expect(targetFromUrl('http://192.168.1.10:8080', true).url).toBe('http://192.168.1.10:8080/');
    expect(targetFromUrl('http://127.0.0.1:8080').url).toBe('http://127.0.0.1:8080/');
  });
});

describe('spec overrides in the configuration', () => {
  it('rename a check, take a list of statuses and redirectsTo', () => {
    const config = parseDeployConfig({
      apps: [
        {
          ...app,
          spec: {
            override: {
              tasks: { name: 'issues', path: '/issues' },
              devops: { path: '/admin', status: [404, 401, 403], redirectsTo: '/login' },
            },
          },
        },
      ],
    });
    const checks = findApp(config, 'tracker').resolvedSpec.checks;
    expect(checks.find((check) => check.path === '/issues')?.name).toBe('issues');
    expect(checks.find((check) => check.name === 'devops')).toMatchObject({
      path: '/admin',
      status: [404, 401, 403],
      redirectsTo: '/login',
    });
  });

  it('refuses an unknown landmark role, listing the allowed ones', () => {
    const bad = { apps: [{ ...app, spec: { override: { home: { landmark: { role: 'banner' } } } } }] };
    expect(errorOf(() => parseDeployConfig(bad))).toBe(
      'smokeSeal.apps[0].spec.override.home.landmark: unknown role "banner"; expected one of heading, form, list, main, navigation, table, button, link, textbox',
    );
  });

  it('refuses redirectsTo on a page check', () => {
    const bad = { apps: [{ ...app, spec: { override: { home: { redirectsTo: '/login' } } } }] };
    expect(() => parseDeployConfig(bad)).toThrow(
      new ConfigError(
        'smokeSeal.apps[0].spec.override.home.redirectsTo: "home" is a page check; only status checks have redirectsTo',
      ),
    );
  });

  it("refuses a rename onto another check's name", () => {
    const bad = { apps: [{ ...app, spec: { override: { tasks: { name: 'home' } } } }] };
    expect(errorOf(() => parseDeployConfig(bad))).toMatch(/duplicate check name "home"/);
  });
});

describe('apps[].baseline and apps[].repository (issue 21)', () => {
  it('accepts masks, tolerances and failOn, and defaults to report only', () => {
    const config = parseDeployConfig({
      apps: [
        {
          ...app,
          repository: 'github.com/acme/tracker',
          baseline: {
            mask: { '/tasks': [{ x: 0, y: 0, width: 200, height: 40 }] },
            failOn: { visualPercent: 5, aria: true, lcpRatio: 2 },
          },
        },
        { ...app, name: 'plain' },
      ],
    });
    expect(config.apps[0]!.baseline).toMatchObject({
      enabled: true,
      visualTolerancePercent: 0.1,
      timingMinMs: 3_000,
      timingRatio: 2,
      failOn: { visualPercent: 5, aria: true, lcpRatio: 2 },
    });
    expect(config.apps[0]!.repository).toBe('github.com/acme/tracker');
    expect(config.apps[1]!.baseline).toBeUndefined();
  });

  it('names the field and the fix for a bad value', () => {
    expect(
      errorOf(() => parseDeployConfig({ apps: [{ ...app, repository: 'https://github.com/acme/tracker' }] })),
    ).toContain('apps[0].repository: expected "github.com/owner/name"');
    expect(
      errorOf(() => parseDeployConfig({ apps: [{ ...app, baseline: { failOn: { visualPercent: 500 } } }] })),
    ).toContain('apps[0].baseline.failOn.visualPercent');
    expect(
      errorOf(() => parseDeployConfig({ apps: [{ ...app, baseline: { failOn: { pixels: 5 } } }] })),
    ).toMatch(/apps\[0\]\.baseline\.failOn: .*pixels/);
    expect(
      errorOf(() =>
        parseDeployConfig({
          apps: [{ ...app, baseline: { mask: { '/x': [{ x: 0, y: 0, width: 0, height: 1 }] } } }],
        }),
      ),
    ).toContain('apps[0].baseline.mask./x[0].width');
    expect(
      errorOf(() =>
        parseDeployConfig({ apps: [{ ...app, baseline: { ariaIgnore: { home: ['^- text: (tip'] } } }] }),
      ),
    ).toMatch(/apps\[0\]\.baseline\.ariaIgnore\.home\[0\]: expected a regular expression/);
  });

  it('accepts ARIA lines to ignore per check, as regular expressions', () => {
    const config = parseDeployConfig({
      apps: [{ ...app, baseline: { ariaIgnore: { home: ['^- text: (Hold down|Enable or disable)'] } } }],
    });
    expect(config.apps[0]?.baseline?.ariaIgnore).toEqual({
      home: ['^- text: (Hold down|Enable or disable)'],
    });
  });
});
