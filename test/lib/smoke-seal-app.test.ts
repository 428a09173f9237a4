import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/errors';
import { addSmokeSeal } from '../../lib/smoke-seal-app';
import { fullConfig, minimalConfig, readCdkJson, testApp, testStack } from '../fixtures/smoke-seal-test-app';

function configErrorOf(smokeSeal: unknown): string {
  try {
    addSmokeSeal(testApp(smokeSeal));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

function withApp(change: Record<string, unknown>): unknown {
  const config = fullConfig();
  return { ...config, apps: [{ ...config.apps[0], ...change }, ...config.apps.slice(1)] };
}

describe("cdk.json's example configuration", () => {
  it('synthesizes, with two apps sealed nightly', () => {
    const template = Template.fromStack(testStack(readCdkJson().context.smokeSeal));
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the full configuration', fullConfig()],
    ['the minimal configuration', minimalConfig()],
    ["cdk.json's example", readCdkJson().context.smokeSeal],
  ])('finds nothing unacknowledged in %s', (_name, config) => {
    const report = new AwsSolutionsChecks().validateScope(testStack(config));
    expect(report.violations.map((violation) => `${violation.ruleName} ${violation.description}`)).toEqual(
      [],
    );
    expect(report.success).toBe(true);
  });

  it('is wired into the app: a finding fails synthesis', () => {
    const app = testApp(minimalConfig());
    const stack = addSmokeSeal(app);
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  it('keeps each acknowledgment specific: no rule is acknowledged for the whole stack', () => {
    const stack = testStack(fullConfig());
    const acknowledgedOnStack = stack.node.metadata.filter(
      (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    );
    expect(acknowledgedOnStack).toEqual([]);
  });
});

describe('a bad configuration', () => {
  it('is refused when missing, pointing at cdk.json', () => {
    expect(configErrorOf(undefined)).toMatch(
      /^smokeSeal: missing; add a "smokeSeal" object to the "context" of cdk.json/,
    );
  });

  it('names the app and field of a non-https production URL', () => {
    expect(configErrorOf(withApp({ url: 'ftp://shop.example.com' }))).toBe(
      'smokeSeal.apps[0].url: expected an https URL (http only for 127.0.0.1/localhost, or with "allowHttp": true for an app on a private network), got "ftp://shop.example.com"',
    );
  });

  it('names a duplicate app', () => {
    expect(configErrorOf(withApp({ name: 'backoffice' }))).toBe(
      'smokeSeal.apps[1].name: duplicate app name "backoffice": each app needs its own name',
    );
  });

  it('refuses an unknown time zone for the nightly schedule', () => {
    const config = { ...fullConfig(), nightly: { cron: 'cron(0 3 * * ? *)', timeZone: 'Mars/Olympus' } };
    expect(configErrorOf(config)).toBe(
      'smokeSeal.nightly.timeZone: expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"',
    );
  });

  it('refuses a cron expression that Scheduler would not take', () => {
    const config = { ...fullConfig(), nightly: { cron: '0 3 * * *', timeZone: 'UTC' } };
    expect(configErrorOf(config)).toMatch(
      /^smokeSeal\.nightly\.cron: expected "cron\(minutes hours day month weekday year\)"/,
    );
  });

  it('refuses a seal function too small for Chromium', () => {
    const config = { ...fullConfig(), sealFunction: { memoryMb: 512, timeoutSeconds: 120 } };
    expect(configErrorOf(config)).toBe('smokeSeal.sealFunction.memoryMb: Chromium needs at least 1024 MB');
  });

  it('refuses a no-seal window longer than CloudWatch can evaluate', () => {
    const config = { ...fullConfig(), alarms: { noSealHours: 200 } };
    expect(configErrorOf(config)).toBe(
      'smokeSeal.alarms.noSealHours: CloudWatch evaluates at most 7 days (168 hours)',
    );
  });

  it('refuses an unknown key, so a typo does not pass silently', () => {
    expect(configErrorOf({ ...minimalConfig(), operator: { emails: [] } })).toMatch(
      /^smokeSeal: .*"operator"/,
    );
  });

  it('refuses a rollback template with an unknown placeholder', () => {
    expect(configErrorOf(withApp({ rollbackTemplate: 'git revert {sha}' }))).toMatch(
      /^smokeSeal\.apps\[0\]\.rollbackTemplate: .*\{sha\}/,
    );
  });

  it('given as a JSON string (cdk synth -c smokeSeal=...) is parsed, and refused when it is not JSON', () => {
    expect(() => addSmokeSeal(testApp(JSON.stringify(minimalConfig())))).not.toThrow();
    expect(configErrorOf('{apps: [')).toMatch(/^smokeSeal: not valid JSON/);
  });
});

describe('what the Lambda cannot seal', () => {
  it.each([
    ['a plain-http app', { name: 'intranet', url: 'http://192.168.1.20', allowHttp: true }, 'is plain http'],
    [
      'an https app at a private address',
      { name: 'intranet', url: 'https://10.0.0.5' },
      'is a private address',
    ],
  ])('refuses %s at synth, saying it is for the CLI', (_what, app, words) => {
    expect(() => testStack({ apps: [{ name: 'shop', url: 'https://shop.example.com' }, app] })).toThrow(
      new RegExp(
        `^smokeSeal\\.apps\\[1\\]\\.url: "${app.url.replaceAll('.', '\\.')}" ${words}; the seal function runs in Lambda outside any VPC .* Seal it with the CLI`,
      ),
    );
  });

  it('warns at synth about a nightly cron in the hour daylight saving skips, and not about another hour', () => {
    const warned = (cron: string) =>
      Annotations.fromStack(
        testStack({ ...minimalConfig(), nightly: { cron, timeZone: 'Europe/Berlin' } }),
      ).findWarning('*', Match.stringLikeRegexp('daylight saving skips in Europe/Berlin'));
    expect(warned('cron(30 2 * * ? *)')).toHaveLength(1);
    expect(warned('cron(30 4 * * ? *)')).toHaveLength(0);
  }, 300_000);
});
