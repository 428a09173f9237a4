// The Lambda-like run of an app's own Playwright spec (issue 18, point 6): Playwright's TodoMVC example suite
// (test/fixtures/todomvc-suite, 49 tests, unchanged but for its URL) sealed by the synthesized seal function under
// Node 22, against the TodoMVC app served on 127.0.0.1: green 49 of 49 when healthy, red naming the tests that
// notice when "Clear completed" does nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import type { Seal } from '../../functions/core/seal';
import { startTodoMvcSite, type TodoMvcSite } from '../fixtures/todomvc-site';
import { type AwsStandIn, startAwsStandIn } from './aws-stand-in';
import { type HttpRecorder, startHttpRecorder } from './http-recorder';
import { type LambdaLikeFunction, NODE22_BINARY, startLambdaLikeFunction } from './lambda-like-function';
import { LOCAL_REGION, localStandInValues, resolveIntrinsics } from './resolve-intrinsics';
import { functionAt, type Synthesis, synthesize } from './synth-assets';

const DISCORD_SECRET = 'smoke-seal/discord-webhook-url';
const RELEASE_API_SECRET = 'smoke-seal/release-api-token';
const SUITE_TESTS = 49;
/** The tests of the suite that notice a "Clear completed" that does nothing (stock Playwright agrees). */
const CLEAR_COMPLETED_FAILS = [
  'Clear completed button › should remove completed items when clicked',
  'Clear completed button › should be hidden when there are no items that are completed',
];

let work: string;
let healthy: TodoMvcSite;
let broken: TodoMvcSite;
let discord: HttpRecorder;
let aws: AwsStandIn;
let dynamo: ReturnType<typeof dynalite>;
let dynamoEndpoint: string;
let synthesis: Synthesis;
let seal: LambdaLikeFunction;

function logicalIdOf(type: string, pathPart: string): string {
  const found = Object.entries(synthesis.template.Resources).filter(
    ([, resource]) =>
      resource.Type === type && String(resource.Metadata?.['aws:cdk:path']).includes(pathPart),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} at ${pathPart}, found ${found.length}`);
  return found[0]![0];
}

async function storedSeal(sealId: string): Promise<Seal> {
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const store = new DynamoSealStore({
      client: DynamoDBDocumentClient.from(client),
      tableName: logicalIdOf('AWS::DynamoDB::Table', '/Records/SealTable'),
    });
    const found = await store.get(sealId);
    if (!found) throw new Error(`seal ${sealId} is not in the table`);
    return found;
  } finally {
    client.destroy();
  }
}

async function sealOf(app: string, requestId: string): Promise<{ seal: Seal; status: string }> {
  const result = await seal.invoke({ trigger: 'manual', app, requestId, releaseId: requestId });
  if (!result.ok) {
    throw new Error(
      `${result.phase} ${result.errorType}: ${result.errorMessage}\n${seal.logs.slice(-40).join('\n').slice(-4000)}`,
    );
  }
  const payload = result.payload as { outcome: string; sealId: string; status: string; summary: string };
  expect(payload.outcome, JSON.stringify(payload).slice(0, 1000)).toBe('sealed');
  return { seal: await storedSeal(payload.sealId), status: payload.status };
}

beforeAll(async () => {
  await readFile(NODE22_BINARY).catch(() => {
    throw new Error(
      `${NODE22_BINARY} is missing: npm run test:lambda installs it (npm ci --prefix test/lambda/runtime)`,
    );
  });
  work = await mkdtemp(join(tmpdir(), 'lambda-like-todomvc-'));
  healthy = await startTodoMvcSite();
  broken = await startTodoMvcSite({ fault: 'clear-completed' });
  discord = await startHttpRecorder(() => ({ status: 200, body: { id: '2234567890123456789' } }));
  const spec = {
    playwright: {
      files: 'test/fixtures/todomvc-suite',
      config: 'test/fixtures/todomvc-suite/playwright.config.ts',
      // Every test of the suite, as `npx playwright test` runs it (the seal's default grep is @qa-readonly).
      grep: '.',
    },
  };
  const config = {
    apps: [
      { name: 'todomvc', url: healthy.url, spec },
      { name: 'todomvc-broken', url: broken.url, spec },
    ],
    events: { busName: 'deploy', source: 'deploy.release-tooling', detailType: 'Release Shipped' },
    operators: { emails: ['ops@example.com'] },
    secrets: { discordWebhookUrl: DISCORD_SECRET, releaseApiToken: RELEASE_API_SECRET },
    // 49 browser tests on a shared two-core machine: the function's whole 15 minutes.
    sealFunction: { memoryMb: 2048, timeoutSeconds: 900 },
  };
  synthesis = await synthesize(config, join(work, 'cdk.out'));

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
    ],
    secrets: { [DISCORD_SECRET]: `${discord.url}/api/webhooks/1/local-token`, [RELEASE_API_SECRET]: 'local' },
  });
  const standIns = localStandInValues(aws.endpoint);
  aws.topicArns.push(
    resolveIntrinsics(
      { Ref: logicalIdOf('AWS::SNS::Topic', '/Notifications/SealTopic') },
      synthesis.template,
      standIns,
    ),
  );
  seal = await startLambdaLikeFunction({
    fn: functionAt(synthesis, '/Seal/Function/'),
    template: synthesis.template,
    standIns,
    extraEnv: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: aws.endpoint,
      AWS_ENDPOINT_URL_SNS: aws.endpoint,
      AWS_ENDPOINT_URL_SQS: aws.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    },
  });
}, 1_200_000);

afterAll(async () => {
  await seal?.close();
  await aws?.close();
  await discord?.close();
  await healthy?.close();
  await broken?.close();
  if (dynamo) await new Promise<void>((resolve) => dynamo.close(() => resolve()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe("Playwright's TodoMVC example suite as an app's spec, sealed by the synthesized function under Node 22", () => {
  it('is green, 49 of 49, against the healthy app, and nothing but GET reaches it', async () => {
    const { seal: stored, status } = await sealOf('todomvc', 'todomvc-healthy-1');
    const tests = stored.checks.filter((check) => check.kind === 'test');
    const notPassed = tests.filter((check) => check.outcome !== 'passed');
    expect(
      notPassed.map((check) => `${check.name}: ${check.outcome} ${check.error ?? ''}`.slice(0, 400)),
      stored.summary,
    ).toEqual([]);
    expect(tests).toHaveLength(SUITE_TESTS);
    expect(status).toBe('green');
    expect(healthy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  }, 960_000);

  it('is red against the app whose "Clear completed" does nothing, naming the tests that notice it', async () => {
    const { seal: stored, status } = await sealOf('todomvc-broken', 'todomvc-broken-1');
    expect(status).toBe('red');
    const failed = stored.checks.filter((check) => check.outcome === 'failed').map((check) => check.name);
    expect(failed).toHaveLength(CLEAR_COMPLETED_FAILS.length);
    for (const title of CLEAR_COMPLETED_FAILS) expect(failed.join('\n')).toContain(title);
    const passed = stored.checks.filter((check) => check.outcome === 'passed');
    expect(passed).toHaveLength(SUITE_TESTS - CLEAR_COMPLETED_FAILS.length);
  }, 960_000);
});
