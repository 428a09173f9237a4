// Wires a CDK app: the configuration from context, the stack, and cdk-nag's AwsSolutions checks.
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseDeployConfig } from './config';
import { SmokeSealStack } from './smoke-seal-stack';

export const STACK_ID = 'SmokeSeal';

/**
 * Adds the Smoke Seal stack to `app`, configured from its "smokeSeal" context, and registers the
 * AwsSolutions pack so that any unacknowledged finding fails synthesis.
 * Throws ConfigError (naming the field and the fix) when the configuration is wrong.
 */
export function addSmokeSeal(app: App): SmokeSealStack {
  const config = parseDeployConfig(app.node.tryGetContext(CONTEXT_KEY));
  const stack = new SmokeSealStack(app, STACK_ID, {
    config,
    description: 'Smoke Seal: a read-only browser smoke seal of each production release, and every night',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
