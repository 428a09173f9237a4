// Lambda entry of the seal function: adapters built once per container, then the thin edge.

import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChromiumLauncher } from '../adapters/chromium-browser';
import { DynamoSealStore } from '../adapters/dynamo-seal-store';
import { GitHubCompare } from '../adapters/github-compare';
import { PixelmatchImageDiffer } from '../adapters/pixelmatch-image-differ';
import { PLAYWRIGHT_SPECS_FOLDER, readDeployConfigFile } from '../adapters/read-deploy-config-file';
import { S3BaselineStore } from '../adapters/s3-baseline-store';
import { S3EvidenceStore } from '../adapters/s3-evidence-store';
import { scriptChecks } from '../adapters/script-checks';
import { loadTargetAuth } from '../adapters/secrets-manager-target-auth';
import { SnsSealPublisher } from '../adapters/sns-seal-publisher';
import { SqsDeadLetter } from '../adapters/sqs-dead-letter';
import { SqsSealRequests } from '../adapters/sqs-seal-requests';
import { readEnv } from '../core/read-env';
import { bundledPlaywrightSpecs } from './bundled-playwright-specs';
import { createSealHandler } from './seal-handler';
import { createSealQueueHandler } from './seal-queue-handler';

const env = readEnv([
  'SEAL_TABLE_NAME',
  'EVIDENCE_BUCKET_NAME',
  'SEAL_TOPIC_ARN',
  'DEAD_LETTER_QUEUE_URL',
  'SEAL_QUEUE_URL',
  'AWS_REGION',
  'SMOKE_SEAL_CONFIG_DIR',
]);
// The apps live in the configuration layer, so adding one changes neither this code nor Chromium.
const config = readDeployConfigFile(env.SMOKE_SEAL_CONFIG_DIR);
const logger = new Logger({ serviceName: 'smoke-seal' });
const metrics = new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' });
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const store = new DynamoSealStore({
  client: dynamo,
  tableName: env.SEAL_TABLE_NAME,
  retentionDays: config.retention.days,
});

// Built once per container; the provider caches each secret (see loadTargetAuth for how long).
const secrets = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });
const s3 = new S3Client({});
// The GitHub token the relay reads (secrets.githubToken), for the commits since the last green seal.
const githubTokenSecret = process.env.GITHUB_TOKEN_SECRET_NAME;
const githubToken = githubTokenSecret
  ? async () => {
      const value = await secrets.get(githubTokenSecret, { maxAge: 300 });
      if (typeof value !== 'string' || value.trim() === '') {
        throw new Error('GITHUB_TOKEN_SECRET_NAME: the secret is empty or not a string');
      }
      return value.trim();
    }
  : undefined;

const sqs = new SQSClient({});
const clock = { now: () => new Date() };

const sealOne = createSealHandler({
  config,
  launcher: new ChromiumLauncher({ scripts: scriptChecks }),
  // In the configuration layer beside the configuration: prepared at synth (lib/playwright-spec-bundles.ts).
  playwrightSpecs: bundledPlaywrightSpecs(
    join(env.SMOKE_SEAL_CONFIG_DIR, PLAYWRIGHT_SPECS_FOLDER),
    // The spec's console output and Playwright's: the function's log, bounded by the runner.
    { log: (line) => logger.info('playwright output', { line }) },
  ),
  store,
  evidence: new S3EvidenceStore(s3, env.EVIDENCE_BUCKET_NAME, env.AWS_REGION),
  baselines: {
    store: new S3BaselineStore(s3, env.EVIDENCE_BUCKET_NAME),
    differ: new PixelmatchImageDiffer(),
    commits: githubToken
      ? new GitHubCompare({ token: githubToken, apiUrl: config.github.apiUrl })
      : undefined,
  },
  publisher: new SnsSealPublisher({ client: new SNSClient({}), topicArn: env.SEAL_TOPIC_ARN, store }),
  deadLetter: new SqsDeadLetter(sqs, env.DEAD_LETTER_QUEUE_URL),
  clock,
  logger,
  metrics,
  marginMs: 15_000,
  loadAuth: (app) => loadTargetAuth(secrets, app.auth, `apps[${app.name}].auth`),
});

export const handler = createSealQueueHandler({
  seal: sealOne,
  requests: new SqsSealRequests(sqs, env.SEAL_QUEUE_URL),
  clock,
  logger,
});
