import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { fullConfig, minimalConfig, testStack } from '../fixtures/smoke-seal-test-app';

function stackWith(extra: Record<string, unknown>) {
  const stack = testStack({ ...fullConfig(), ...extra });
  return { stack, template: Template.fromStack(stack) };
}

describe('secrets', () => {
  const kmsKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('grant kms:Decrypt on a customer-managed key, through Secrets Manager only', () => {
    const { stack, template } = stackWith({ secrets: { ...fullConfig().secrets, kmsKeyArn } });
    const roleRef = stack.resolve(stack.relay.function.role!.roleName);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: Match.arrayWith([roleRef]),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: kmsKeyArn,
            Condition: {
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('grant no kms:Decrypt without a configured key', () => {
    const { stack, template } = stackWith({});
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([stack.resolve(stack.relay.function.role!.roleName)]) },
    });
    expect(JSON.stringify(policies)).not.toContain('kms:');
  });

  it('refuse a key alias or a malformed ARN, naming the field', () => {
    expect(() =>
      testStack({ ...minimalConfig(), secrets: { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/x' } }),
    ).toThrow(/secrets\.kmsKeyArn: expected a KMS key ARN/);
  });

  it('are read by a name that ends like a suffixed ARN (the partial-ARN trap does not apply to names)', () => {
    const { template } = stackWith({ secrets: { discordWebhookUrl: 'smoke-seal/discord-abcdef' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ DISCORD_WEBHOOK_SECRET_NAME: 'smoke-seal/discord-abcdef' }),
      },
    });
  });
});
