import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { fullConfig, minimalConfig, testStack } from '../fixtures/smoke-seal-test-app';

function stackWith(extra: Record<string, unknown>) {
  const stack = testStack({ ...fullConfig(), ...extra });
  return { stack, template: Template.fromStack(stack) };
}

describe('the deploy bus', () => {
  it('is imported by name unless createBus is set', () => {
    const { template } = stackWith({});
    template.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('is created with the configured name when createBus is set, and the rule listens on it', () => {
    const { stack, template } = stackWith({
      events: { ...fullConfig().events, createBus: true },
    });
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'deploy-bus' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: stack.resolve(stack.releaseRule.bus.eventBusName),
    });
  });

  it('refuses createBus for the default bus, which every account has', () => {
    expect(() => testStack({ ...minimalConfig(), events: { createBus: true } })).toThrow(
      /events\.createBus: every account has the "default" bus/,
    );
  });
});
