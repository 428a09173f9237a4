// Wires a CDK app: the configuration from context, the stack, and cdk-nag's AwsSolutions checks.
import { Annotations, type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/core/errors';
import { checkForLambda } from './check-for-lambda';
import { CONTEXT_KEY, type DeployConfig, parseDeployConfig } from './config';
import { SmokeSealStack } from './smoke-seal-stack';

/** The stack's name unless the configuration names another (`stackName`, one per shard or team). */
export const STACK_ID = 'SmokeSeal';

/**
 * Adds the Smoke Seal stack to `app`, configured from its "smokeSeal" context, and registers the
 * AwsSolutions pack so that any unacknowledged finding fails synthesis.
 * Throws ConfigError (naming the field and the fix) when the configuration is wrong.
 */
export function addSmokeSeal(
  app: App,
  options: { readonly playwrightSpecDir?: string } = {},
): SmokeSealStack {
  const config = readDeployConfig(app);
  const warnings = checkForLambda(config);
  const stack = new SmokeSealStack(app, config.stackName, {
    config,
    playwrightSpecDir: options.playwrightSpecDir,
    description: 'Smoke Seal: a read-only browser smoke seal of each production release, and every night',
  });
  for (const warning of warnings) Annotations.of(stack).addWarningV2('smoke-seal:config', warning);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

/** The configuration from context: an object from cdk.json, or a JSON string from `cdk synth -c smokeSeal='{…}'`. */
export function readDeployConfig(app: App): DeployConfig {
  let raw: unknown = app.node.tryGetContext(CONTEXT_KEY);
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch (error) {
      throw new ConfigError(`${CONTEXT_KEY}: not valid JSON (${(error as Error).message}); pass an object`, {
        cause: error,
      });
    }
  }
  return parseDeployConfig(raw);
}
