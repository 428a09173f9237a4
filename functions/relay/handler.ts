// Lambda entry of the relay function: adapters built once per container, then the thin edge.
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DiscordWebhook } from '../adapters/discord-webhook';
import { DynamoSealStore } from '../adapters/dynamo-seal-store';
import { GitHubCommitStatus } from '../adapters/github-commit-status';
import { readDeployConfigFile } from '../adapters/read-deploy-config-file';
import { ReleaseApi } from '../adapters/release-api';
import { ConfigError } from '../core/errors';
import { readEnv } from '../core/read-env';
import { relayBatch } from '../core/relay-batch';
import { createRelayHandler } from './relay-handler';

/** Secrets are re-read at most this often, so a rotated webhook or token is picked up without a deploy. */
const SECRET_MAX_AGE_SECONDS = 300;

const env = readEnv(['SEAL_TABLE_NAME', 'SMOKE_SEAL_CONFIG_DIR']);
const config = readDeployConfigFile(env.SMOKE_SEAL_CONFIG_DIR);
const logger = new Logger({ serviceName: 'smoke-seal-relay' });
const store = new DynamoSealStore({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  tableName: env.SEAL_TABLE_NAME,
  retentionDays: config.retention.days,
});
const secrets = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });

/** A secret (by name) holding a plain string; unset variable: the channel is not configured and is skipped. */
function secretLoader(variable: string): (() => Promise<string>) | undefined {
  const name = process.env[variable];
  if (!name) return undefined;
  return async () => {
    const value = await secrets.get(name, { maxAge: SECRET_MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError(
        `${variable}: the secret is empty or not a string; store the value as plain text`,
      );
    }
    return value.trim();
  };
}

const webhookUrl = secretLoader('DISCORD_WEBHOOK_SECRET_NAME');
const token = secretLoader('RELEASE_API_TOKEN_SECRET_NAME');
const apps = new Map(config.apps.map((app) => [app.name, app]));
const discord = webhookUrl ? new DiscordWebhook({ webhookUrl }) : undefined;
const releaseApi = token ? new ReleaseApi({ token }) : undefined;
const githubToken = secretLoader('GITHUB_TOKEN_SECRET_NAME');
const github = githubToken
  ? new GitHubCommitStatus({ token: githubToken, apiUrl: config.github.apiUrl })
  : undefined;

export const handler = createRelayHandler({
  logger,
  relay: (sealIds, timeLeftMs) =>
    relayBatch(sealIds, {
      ...(timeLeftMs ? { timeLeftMs } : {}),
      store,
      clock: { now: () => new Date() },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      discord,
      releaseApi,
      github,
      destinations: (app) => apps.get(app),
    }),
});
