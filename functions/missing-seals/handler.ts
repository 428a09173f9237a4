// Lambda entry of the missing-seal check: the configuration, the store and the alarm topic built once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSealStore } from '../adapters/dynamo-seal-store';
import { readDeployConfigFile } from '../adapters/read-deploy-config-file';
import { SnsOperatorNotice } from '../adapters/sns-operator-notice';
import { readEnv } from '../core/read-env';
import { createMissingSealsHandler } from './missing-seals-handler';

const env = readEnv(['SEAL_TABLE_NAME', 'ALARM_TOPIC_ARN', 'SMOKE_SEAL_CONFIG_DIR', 'STACK_NAME']);
const config = readDeployConfigFile(env.SMOKE_SEAL_CONFIG_DIR);

export const handler = createMissingSealsHandler({
  config,
  store: new DynamoSealStore({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName: env.SEAL_TABLE_NAME,
    retentionDays: config.retention.days,
  }),
  notice: new SnsOperatorNotice(new SNSClient({}), env.ALARM_TOPIC_ARN),
  clock: { now: () => new Date() },
  logger: new Logger({ serviceName: 'smoke-seal-missing-seals' }),
  metrics: new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' }),
  stackName: env.STACK_NAME,
});
