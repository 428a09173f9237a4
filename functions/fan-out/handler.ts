// Lambda entry of the nightly fan-out: the configuration and the queue client built once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readDeployConfigFile } from '../adapters/read-deploy-config-file';
import { SqsSealRequests } from '../adapters/sqs-seal-requests';
import { readEnv } from '../core/read-env';
import { createFanOutHandler } from './fan-out-handler';

const env = readEnv(['SEAL_QUEUE_URL', 'SMOKE_SEAL_CONFIG_DIR']);

export const handler = createFanOutHandler({
  config: readDeployConfigFile(env.SMOKE_SEAL_CONFIG_DIR),
  requests: new SqsSealRequests(new SQSClient({}), env.SEAL_QUEUE_URL),
  logger: new Logger({ serviceName: 'smoke-seal-fan-out' }),
});
