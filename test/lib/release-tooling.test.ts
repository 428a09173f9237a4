import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/errors';
import { fullConfig, minimalConfig, testStack } from '../fixtures/smoke-seal-test-app';

function stackWith(extra: Record<string, unknown>) {
  const stack = testStack({ ...fullConfig(), ...extra });
  return { stack, template: Template.fromStack(stack) };
}

describe('the release tooling policy', () => {
  it('allows events:PutEvents on the deploy bus for the configured source and detail-type only', () => {
    const { stack, template } = stackWith({});
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: stack.resolve(stack.releaseRule.bus.eventBusArn),
            Condition: {
              StringEquals: {
                'events:source': 'acme.release-tooling',
                'events:detail-type': 'Release Shipped',
              },
            },
          },
        ],
      },
    });
    template.hasOutput('ReleaseToolingPolicyArn', {
      Value: stack.resolve(stack.releaseTooling.policy.managedPolicyArn),
    });
    template.hasOutput('DeployBusArn', { Value: stack.resolve(stack.releaseRule.bus.eventBusArn) });
    expect(JSON.stringify(template.toJSON().Outputs)).not.toContain('ReleaseToolingRoleArn');
  });
});

describe('the GitHub OIDC role', () => {
  const githubOidc = {
    repo: 'acme/studio',
    branch: 'prod',
    providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
  };

  it('trusts the existing provider for exactly one repository and branch, and carries the policy', () => {
    const { stack, template } = stackWith({ releaseTooling: { githubOidc } });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRoleWithWebIdentity',
            Principal: { Federated: githubOidc.providerArn },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': 'repo:acme/studio:ref:refs/heads/prod',
              },
            },
          },
        ],
      },
      ManagedPolicyArns: [stack.resolve(stack.releaseTooling.policy.managedPolicyArn)],
      MaxSessionDuration: 3600,
    });
    template.hasOutput('ReleaseToolingRoleArn', {
      Value: stack.resolve(stack.releaseTooling.githubRole!.roleArn),
    });
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  it('creates the provider when asked', () => {
    const { stack, template } = stackWith({
      releaseTooling: { githubOidc: { repo: 'acme/studio', branch: 'prod', createProvider: true } },
    });
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: Match.anyValue() } })],
      },
    });
    expect(stack.releaseTooling.githubRole).toBeDefined();
  });

  it('refuses a configuration naming both or neither of providerArn and createProvider', () => {
    expect(() =>
      testStack({
        ...minimalConfig(),
        releaseTooling: { githubOidc: { repo: 'acme/studio', branch: 'prod' } },
      }),
    ).toThrow(/providerArn.*createProvider/);
    expect(() =>
      testStack({
        ...minimalConfig(),
        releaseTooling: { githubOidc: { ...githubOidc, createProvider: true } },
      }),
    ).toThrow(ConfigError);
    expect(() =>
      testStack({ ...minimalConfig(), releaseTooling: { githubOidc: { ...githubOidc, repo: 'studio' } } }),
    ).toThrow(/releaseTooling\.githubOidc\.repo: expected "owner\/name"/);
  });
});
