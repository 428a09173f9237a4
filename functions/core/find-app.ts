// App resolution: an app of the deployment configuration by name, its spec composed and its rollback template checked.

import { composeAppSpec } from './compose-app-spec';
import { defaultSpec } from './default-spec';
import type { AppConfig, DeployConfig } from './deploy-config';
import { ConfigError } from './errors';
import { rollbackPlaceholders } from './rollback-command';
import type { Spec } from './spec';

/** Where errors name the configuration when the caller does not say (cdk.json's context key). */
const WHERE = 'smokeSeal';
/** Apps named in an "unknown app" error at most. */
const MAX_NAMED = 20;

/** An app with its spec composed and its rollback template checked: what the core needs. */
export interface ResolvedApp extends AppConfig {
  readonly resolvedSpec: Spec;
}

/** Composes the app's spec and checks its rollback template; both fail as ConfigError. */
export function resolveApp(app: AppConfig, where: string): ResolvedApp {
  rollbackPlaceholders(app.rollbackTemplate, `${where}.rollbackTemplate`);
  return { ...app, resolvedSpec: composeAppSpec(defaultSpec, app.spec, `${where}.spec`) };
}

/** The app called `name`, resolved; ConfigError naming some configured apps when there is none. */
export function findApp(config: DeployConfig, name: string, where = WHERE): ResolvedApp {
  const index = config.apps.findIndex((app) => app.name === name);
  if (index < 0) {
    // Bounded: a fleet's configuration names thousands of apps.
    const names = config.apps.map((app) => app.name);
    const known = names.slice(0, MAX_NAMED).join(', ');
    const more = names.length > MAX_NAMED ? ` and ${names.length - MAX_NAMED} more` : '';
    throw new ConfigError(`unknown app "${name}"; configured apps: ${known}${more}`);
  }
  return resolveApp(config.apps[index]!, `${where}.apps[${index}]`);
}
