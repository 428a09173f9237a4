// The stack's side of the release work: the relay's GitHub token, and the seal function's read on sign-in secrets.
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config';
import { appAuthSecretNames } from '../../lib/grant-secret-read';
import { fullConfig, testStack } from '../fixtures/smoke-seal-test-app';

type Resources = Record<
  string,
  {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
  }
>;

function config() {
  const base = fullConfig();
  return {
    ...base,
    apps: [
      {
        ...base.apps[0]!,
        auth: { basicSecret: 'studio/basic', storageStateSecret: 'studio/state' },
        github: { repo: 'acme/storefront' },
      },
      { ...base.apps[1]!, auth: { headersSecret: 'backoffice/headers', basicSecret: 'studio/basic' } },
      base.apps[2]!,
    ],
    secrets: { ...base.secrets, githubToken: 'smoke-seal/github-token' },
    github: { apiUrl: 'https://github.example.com/api/v3' },
  };
}

describe('secrets of the release side', () => {
  const stack = testStack(config());
  const template = Template.fromStack(stack);
  const statementsOf = (roleArn: string) => {
    const roleName = stack.resolve(roleArn);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([roleName]) },
    }) as Resources;
    return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  };
  const secretResources = (roleName: string) =>
    JSON.stringify(
      statementsOf(roleName)
        .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue'))
        .map((statement) => statement.Resource),
    );

  it('lists each sign-in secret once', () => {
    expect(appAuthSecretNames(parseDeployConfig(config()))).toEqual([
      'studio/basic',
      'studio/state',
      'backoffice/headers',
    ]);
  });

  it('lets the seal function read exactly the sign-in secrets, and nothing the relay reads', () => {
    const resources = secretResources(stack.seal.function.role!.roleName);
    for (const name of ['studio/basic', 'studio/state', 'backoffice/headers']) {
      expect(resources).toMatch(new RegExp(`:secret:${name.replace('/', '\\/')}-\\?{6}"`));
    }
    expect(resources).not.toMatch(/github-token|discord|release-api/);
  });

  it('tells the relay its GitHub token secret and lets it read it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: stack.resolve(stack.relay.function.role!.roleArn),
      Environment: {
        Variables: Match.objectLike({
          GITHUB_TOKEN_SECRET_NAME: 'smoke-seal/github-token',
        }),
      },
    });
    expect(secretResources(stack.relay.function.role!.roleName)).toMatch(
      /:secret:smoke-seal\/github-token-\?{6}"/,
    );
  });

  it('reports no error on the stack (cdk-nag included)', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
