// Lambda entry of the seal function: adapters built once per container, then the thin edge.

import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scriptChecks } from '../../e2e/script-checks';
import { bundledDeployConfig } from '../../lib/config';
import { ChromiumLauncher } from '../adapters/chromium-browser';
import { DynamoSealStore } from '../adapters/dynamo-seal-store';
import { S3EvidenceStore } from '../adapters/s3-evidence-store';
import { loadTargetAuth } from '../adapters/secrets-manager-target-auth';
import { SnsSealPublisher } from '../adapters/sns-seal-publisher';
import { SqsDeadLetter } from '../adapters/sqs-dead-letter';
import { readEnv } from '../core/read-env';
import { bundledPlaywrightSpecs } from './bundled-playwright-specs';
import { createSealHandler } from './seal-handler';

const env = readEnv([
  'SEAL_TABLE_NAME',
  'EVIDENCE_BUCKET_NAME',
  'SEAL_TOPIC_ARN',
  'DEAD_LETTER_QUEUE_URL',
  'AWS_REGION',
]);
const config = bundledDeployConfig();
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

export const handler = createSealHandler({
  config,
  launcher: new ChromiumLauncher({ scripts: scriptChecks }),
  // Next to the bundle (index.mjs): lib/playwright-spec-bundles.ts puts them there at synth.
  playwrightSpecs: bundledPlaywrightSpecs(
    fileURLToPath(new URL('./playwright-specs/', import.meta.url)),
    // The spec's console output and Playwright's: the function's log, bounded by the runner.
    { log: (line) => logger.info('playwright output', { line }) },
  ),
  store,
  evidence: new S3EvidenceStore(new S3Client({}), env.EVIDENCE_BUCKET_NAME, env.AWS_REGION),
  publisher: new SnsSealPublisher({ client: new SNSClient({}), topicArn: env.SEAL_TOPIC_ARN, store }),
  deadLetter: new SqsDeadLetter(new SQSClient({}), env.DEAD_LETTER_QUEUE_URL),
  clock: { now: () => new Date() },
  logger,
  metrics,
  marginMs: 15_000,
  loadAuth: (app) => loadTargetAuth(secrets, app.auth, `apps[${app.name}].auth`),
});
