// 2,000 apps in one stack: the same resources as 5, every policy under its service's limit, a small template.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionBundling } from '../../lib/function-bundling';
import { testStack } from '../fixtures/smoke-seal-test-app';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** `count` apps with 40-character names, all nightly; every tenth signs in with secrets under one prefix. */
function fleet(count: number) {
  return {
    apps: Array.from({ length: count }, (_, index) => {
      const name = `app-${String(index).padStart(5, '0')}-${'x'.repeat(30)}`;
      return {
        name,
        url: `https://${name}.example.com`,
        nightly: true,
        ...(index % 10 === 0
          ? {
              auth: {
                basicSecret: `smoke-seal/apps/${name}/basic`,
                storageStateSecret: `smoke-seal/apps/${name}/storage-state`,
              },
            }
          : {}),
      };
    }),
    operators: { emails: ['ops@example.com'] },
    secrets: {
      discordWebhookUrl: 'smoke-seal/discord',
      releaseApiToken: 'smoke-seal/release-api',
      authSecretPrefix: 'smoke-seal/apps/',
    },
  };
}

/**
 * Service limits, as AWS documents them (December 2026):
 * - IAM: a role's inline policies together 10,240 characters; a managed policy 6,144 (whitespace not counted).
 * - SNS: a topic policy 30 KB (30,720 bytes).
 * - SQS: a queue policy 20 KB (20,480 bytes).
 * - KMS: a key policy 32 KB (32,768 bytes).
 * - EventBridge: an event pattern 2,048 characters.
 * - CloudFormation: 500 resources; a template body uploaded from S3 1 MB (1,048,576 bytes).
 * - Linux: one argument of a command (esbuild's `--define`) 131,072 bytes (MAX_ARG_STRLEN).
 * Sizes are measured on the synthesized JSON with intrinsics unresolved, which is within a few
 * characters per reference of the deployed size.
 */
const LIMITS = {
  'AWS::IAM::Policy': 10_240,
  'AWS::IAM::ManagedPolicy': 6_144,
  'AWS::SNS::TopicPolicy': 30_720,
  'AWS::SQS::QueuePolicy': 20_480,
  'AWS::KMS::Key': 32_768,
} as const;

const documentOf: Record<keyof typeof LIMITS, string> = {
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::ManagedPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
};

let small: Record<string, unknown>;
let large: Record<string, unknown>;

// Two syntheses with cdk-nag's checks: 45 s each on the busy 2-core machine. Room, not a timing.
beforeAll(() => {
  small = Template.fromStack(testStack(fleet(5))).toJSON();
  large = Template.fromStack(testStack(fleet(2_000))).toJSON();
}, 600_000);

const resources = (template: Record<string, unknown>) => template.Resources as Resources;

function countByType(template: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(resources(template))) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

describe('a stack of 2,000 nightly apps with 40-character names, 200 of them signed in', () => {
  it("has exactly the resources of a stack of 5, type by type, far from CloudFormation's 500", () => {
    expect(countByType(large)).toEqual(countByType(small));
    const total = Object.keys(resources(large)).length;
    console.info(`resources: ${total} at 5 apps and at 2,000 apps`);
    expect(total).toBeLessThan(150);
  });

  it('is a template well under 1 MB, barely bigger than that of 5 apps', () => {
    const largeBytes = Buffer.byteLength(JSON.stringify(large));
    const smallBytes = Buffer.byteLength(JSON.stringify(small));
    console.info(`template: ${smallBytes} bytes at 5 apps, ${largeBytes} bytes at 2,000 apps`);
    expect(largeBytes).toBeLessThan(200_000);
    expect(largeBytes - smallBytes).toBeLessThan(2_000);
  });

  it.each(Object.keys(LIMITS) as (keyof typeof LIMITS)[])('keeps every %s under its limit', (type) => {
    const found = Object.entries(resources(large)).filter(([, resource]) => resource.Type === type);
    for (const [id, resource] of found) {
      const document = JSON.stringify(resource.Properties?.[documentOf[type]]);
      expect(document.length, `${id}: ${document.length} of ${LIMITS[type]}`).toBeLessThan(LIMITS[type]);
    }
  });

  it("keeps each role's inline policies together under IAM's 10,240 characters", () => {
    const byRole = new Map<string, number>();
    for (const resource of Object.values(resources(large))) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const size = JSON.stringify(resource.Properties?.PolicyDocument).length;
      for (const role of (resource.Properties?.Roles ?? []) as unknown[]) {
        const key = JSON.stringify(role);
        byRole.set(key, (byRole.get(key) ?? 0) + size);
      }
    }
    expect(Math.max(...byRole.values())).toBeLessThan(10_240);
  });

  it('grants the sign-in secrets by their one prefix, not one by one', () => {
    const policies = JSON.stringify(
      Object.values(resources(large)).filter((resource) => resource.Type === 'AWS::IAM::Policy'),
    );
    expect(policies).toContain(':secret:smoke-seal/apps/*-??????');
    expect(policies).not.toContain('app-00010-');
  });

  it('keeps every event pattern under 2,048 characters, leaving the app filter to the function past that', () => {
    for (const resource of Object.values(resources(large))) {
      if (resource.Type !== 'AWS::Events::Rule') continue;
      expect(JSON.stringify(resource.Properties?.EventPattern).length).toBeLessThan(2_048);
    }
  });

  it('names no app anywhere but the configuration layer: no schedule, alarm, policy or function of its own', () => {
    const named = Object.entries(resources(large))
      .filter(([, resource]) => JSON.stringify(resource).includes('app-01999-'))
      .map(([id]) => id);
    expect(named).toEqual([]);
  });

  it('bundles with no esbuild argument that grows with the apps (no configuration in --define)', () => {
    const options = functionBundling({ nodeModules: ['@sparticuz/chromium'] });
    expect(options.define).toBeUndefined();
    expect(JSON.stringify(options).length).toBeLessThan(131_072);
  });
});

describe('a fleet that signs in without a secret prefix', () => {
  it('fails at synth past 20 sign-in secrets, naming secrets.authSecretPrefix and the fix', () => {
    const config = fleet(300);
    const { authSecretPrefix: _prefix, ...secrets } = config.secrets;
    expect(() => testStack({ ...config, secrets })).toThrow(
      /^smokeSeal\.secrets\.authSecretPrefix: 60 sign-in secrets \(apps\[\]\.auth\) are too many to grant one by one/,
    );
  });

  it('fails at synth when a secret is not under the prefix, naming the app and field', () => {
    const config = fleet(3);
    config.apps[0]!.auth!.basicSecret = 'elsewhere/basic';
    expect(() => testStack(config)).toThrow(
      'smokeSeal.apps[0].auth.basicSecret: "elsewhere/basic" is not under secrets.authSecretPrefix "smoke-seal/apps/"',
    );
  });
});
