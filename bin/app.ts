// The CDK app (`npx cdk synth|deploy`): configuration from cdk.json, a readable error when it is wrong.
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../functions/core/errors';
import { addSmokeSeal } from '../lib/smoke-seal-app';

const app = new App();
try {
  addSmokeSeal(app);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Smoke Seal configuration (cdk.json context "smokeSeal") is invalid:\n${error.message}`);
  process.exit(1);
}
app.synth();
