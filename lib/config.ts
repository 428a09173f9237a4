// The deployment configuration for `cdk synth` and the CLI: the schema and app resolution live with the
// functions that read them at run time (functions/core/deploy-config.ts, functions/core/find-app.ts).
export {
  type AppConfig,
  type AppConfigInput,
  AppConfigSchema,
  CONTEXT_KEY,
  type DeployConfig,
  DeployConfigSchema,
  httpAllowed,
  parseConfigFile,
  parseDeployConfig,
} from '../functions/core/deploy-config';
export { findApp, type ResolvedApp, resolveApp } from '../functions/core/find-app';
