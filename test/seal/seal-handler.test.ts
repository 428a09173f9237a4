// The seal function's edge in-process: the example events, the demo site, real Chromium, dynalite;
// SNS, S3 and SQS at the SDK boundary (no emulator installs here).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoSite, startDemoSite } from '../../e2e/demo-site';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { DynamoSealStore } from '../../functions/adapters/dynamo-seal-store';
import { type LocalDynamo, startLocalDynamo } from '../../functions/adapters/local-dynamo';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence-store';
import { scriptChecks } from '../../functions/adapters/script-checks';
import { SnsSealPublisher } from '../../functions/adapters/sns-seal-publisher';
import { SqsDeadLetter } from '../../functions/adapters/sqs-dead-letter';
import { StoreError } from '../../functions/core/errors';
import type { BrowserLauncher } from '../../functions/core/ports';
import { createSealHandler } from '../../functions/seal/seal-handler';
import { parseDeployConfig } from '../../lib/config';
import { lambdaContext } from '../fixtures/lambda-context';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);

let site: DemoSite;
let dynamo: LocalDynamo;
let dir: string;
let tableSeq = 0;

beforeAll(async () => {
  site = await startDemoSite({ slowMs: 60_000 });
  dir = await mkdtemp(join(tmpdir(), 'smoke-seal-handler-'));
  dynamo = await startLocalDynamo({ dir });
});
afterAll(async () => {
  await site.close();
  await dynamo.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sns.reset();
  s3.reset();
  sqs.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  s3.on(PutObjectCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
  site.setFaults([]);
  site.clearLog();
});
afterEach(() => site.setFaults([]));

// biome-ignore lint/suspicious/noExplicitAny: example events are edited freely per test
function example(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/events/examples', name), 'utf8'));
}

/** A fresh table per test keeps their seals apart. */
async function harness(
  options: { launcher?: BrowserLauncher; tableName?: string; createTable?: boolean } = {},
) {
  const tableName = options.tableName ?? `seals-${++tableSeq}`;
  if (options.createTable !== false) {
    const { createSealTable } = await import('../../functions/adapters/seal-table');
    await createSealTable(dynamo.client, tableName);
  }
  const store = new DynamoSealStore({ client: dynamo.client, tableName });
  const config = parseDeployConfig({
    apps: [
      {
        name: 'studio',
        url: site.url,
        allowedHosts: [`localhost:${new URL(site.url).port}`],
      },
    ],
  });
  const emitted: unknown[] = [];
  const metrics = new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' });
  metrics.publishStoredMetrics = () => {
    if (metrics.hasStoredMetrics()) emitted.push(metrics.serializeMetrics());
    metrics.clearMetrics();
    metrics.clearDimensions();
    return metrics;
  };
  const handler = createSealHandler({
    config,
    launcher: options.launcher ?? new ChromiumLauncher({ scripts: scriptChecks }),
    store,
    evidence: new S3EvidenceStore(new S3Client({ region: 'eu-west-1' }), 'evidence-bucket', 'eu-west-1'),
    publisher: new SnsSealPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:seal-recorded',
      store,
    }),
    deadLetter: new SqsDeadLetter(
      new SQSClient({ region: 'eu-west-1' }),
      'https://sqs.eu-west-1.amazonaws.com/1/dlq',
    ),
    clock: { now: () => new Date() },
    logger: new Logger({ serviceName: 'smoke-seal', logLevel: 'SILENT' }),
    metrics,
    marginMs: 15_000,
  });
  return { handler, store, emitted };
}

function published() {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe('the seal handler', () => {
  it('seals a release green end to end: stored, evidence uploaded, announced once', async () => {
    const { handler, store, emitted } = await harness();
    const result = await handler(example('release-shipped.json'), lambdaContext(120_000));
    expect(result).toMatchObject({
      outcome: 'sealed',
      sealId: 'studio:release:2026.06.26.1',
      status: 'green',
      published: true,
    });

    const seal = await store.get('studio:release:2026.06.26.1');
    expect(seal).toMatchObject({ status: 'green', trigger: 'release', rollbackCommand: null });
    expect(seal?.deliveries.published?.state).toBe('delivered');
    expect(new URL(seal!.evidence.reportUrl!).searchParams.get('prefix')).toMatch(
      /^seals\/studio\/release\/2026\.06\.26\.1\/run-\d{8}T\d{6}Z-[0-9a-f]{8}\/index\.html$/,
    );

    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys).toContainEqual(
      expect.stringMatching(/^seals\/studio\/release\/2026\.06\.26\.1\/run-[^/]+\/index\.html$/),
    );
    // Every picture the seal names was uploaded, and every page has one (a check the busy machine made
    // retry has two: the count follows the seal, not a fixed number).
    const pictures = seal!.checks.flatMap((check) =>
      check.attempts.flatMap((attempt) => [attempt.screenshot, attempt.fullPageScreenshot ?? null]),
    );
    const named = pictures.filter((picture): picture is string => picture !== null);
    const pages = seal!.checks.filter((check) => check.kind === 'page');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((check) => check.attempts.some((attempt) => attempt.screenshot))).toBe(true);
    expect(keys.filter((key) => key?.endsWith('.png'))).toHaveLength(named.length);

    expect(published()).toHaveLength(1);
    expect(published()[0]?.MessageAttributes?.status?.StringValue).toBe('green');
    expect(JSON.stringify(emitted)).toContain('SealRecorded');
  });

  it('seals a release red with the rollback command rendered from the validated event', async () => {
    site.setFaults(['up-500']);
    const { handler, store } = await harness();
    const result = await handler(example('release-shipped.json'), lambdaContext(120_000));
    expect(result).toMatchObject({ outcome: 'sealed', status: 'red' });
    const seal = await store.get('studio:release:2026.06.26.1');
    expect(seal?.rollbackCommand).toBe(
      'git revert -m 1 9b1d4e7c2a3f5b6d8e0f1a2b3c4d5e6f7a8b9c0d && git push origin main',
    );
    const message = JSON.parse(published()[0]!.Message!);
    expect(message.email).toContain('git revert -m 1 9b1d4e7c2a3f5b6d8e0f1a2b3c4d5e6f7a8b9c0d');
    expect(published()[0]?.Subject).toMatch(/^RED seal: studio/);
  });

  it('re-seals nightly for the release in production, under the night of the schedule', async () => {
    const { handler, store } = await harness();
    await handler(example('release-shipped.json'), lambdaContext(120_000));
    const result = await handler(example('nightly.json'), lambdaContext(120_000));
    expect(result).toMatchObject({ outcome: 'sealed', sealId: 'studio:nightly:2026-06-27', status: 'green' });
    const nightly = await store.get('studio:nightly:2026-06-27');
    expect(nightly?.release?.releaseId).toBe('2026.06.26.1');
    expect(nightly?.trigger).toBe('nightly');
  });

  it('makes one seal and one announcement of a redelivered event, without running the browser again', async () => {
    const { handler } = await harness();
    await handler(example('release-shipped.json'), lambdaContext(120_000));
    const requestsAfterFirst = site.requests.length;
    const again = await handler(example('release-shipped.json'), lambdaContext(120_000));
    expect(again).toMatchObject({ outcome: 'duplicate', status: 'green', published: false });
    expect(site.requests.length).toBe(requestsAfterFirst);
    expect(published()).toHaveLength(1);
  });

  it.each([
    ['a malformed field', { mergeCommit: 'not-a-sha' }, /^detail\.mergeCommit: expected 7-40 hex characters/],
    ['an unknown app', { app: 'payroll' }, /^detail\.app: unknown app "payroll"; configured apps: studio/],
    [
      'a smoke URL outside the allowlist',
      { smokeUrl: 'https://169.254.169.254/latest' },
      /^detail\.smokeUrl: host "169\.254\.169\.254" is not allowed for app "studio"/,
    ],
  ])(
    'refuses %s: nothing runs, is stored or sent; the event is parked with the reason',
    async (_, change, reason) => {
      const { handler, store } = await harness();
      const event = example('release-shipped.json');
      Object.assign(event.detail, change);
      const result = await handler(event, lambdaContext(120_000));
      expect(result).toMatchObject({ outcome: 'refused' });
      expect((result as { reason: string }).reason).toMatch(reason);
      expect(site.requests).toEqual([]);
      expect(await store.latest('studio')).toBeUndefined();
      expect(published()).toEqual([]);
      const parked = sqs
        .commandCalls(SendMessageCommand)
        .map((call) => JSON.parse(call.args[0].input.MessageBody!));
      expect(parked).toHaveLength(1);
      expect(parked[0].reason).toMatch(reason);
      expect(parked[0].event.detail.releaseId).toBe('2026.06.26.1');
    },
  );

  it.each([
    ['1.2 MB', 'a'.repeat(1_200_000)],
    ['199,000 "€"', '€'.repeat(199_000)],
  ])(
    "refuses an invalid event of %s once: parked within SQS's limit, reason bounded, not thrown",
    async (_, app) => {
      const { handler } = await harness();
      const event = example('release-shipped.json');
      event.detail.app = app;
      const result = await handler(event, lambdaContext(120_000));
      expect(result).toMatchObject({ outcome: 'refused' });
      expect(Buffer.byteLength((result as { reason: string }).reason)).toBeLessThanOrEqual(1_000);
      const sent = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
      expect(sent).toHaveLength(1);
      expect(Buffer.byteLength(sent[0]!.MessageBody!)).toBeLessThan(256 * 1024);
    },
  );

  it('refuses a well-formed event with a 310 KB release link at parse time: parked with the reason, counted, no browser', async () => {
    // Before: it parsed, the browser ran, and the store refused the seal ("over 300 KB"), so the
    // invocation failed, retried into the dead-letter queue, and nobody heard of production.
    const launcher = new ScriptedBrowser({});
    const { handler, store, emitted } = await harness({ launcher });
    const event = example('release-shipped.json');
    event.detail.links = { release: `https://releases.example.com/${'r'.repeat(310 * 1024)}` };
    const result = await handler(event, lambdaContext(120_000));
    expect(result).toMatchObject({ outcome: 'refused' });
    expect((result as { reason: string }).reason).toMatch(
      /^detail\.links\.release: expected a URL of at most 2,000 characters/,
    );
    expect(launcher.launches).toBe(0);
    expect(await store.latest('studio')).toBeUndefined();
    const sent = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.MessageBody).toContain(
      'detail.links.release: expected a URL of at most 2,000 characters',
    );
    expect(JSON.stringify(emitted)).toContain('InvalidEvent');
  });

  it('accepts a smoke URL whose host is in the allowlist', async () => {
    const { handler, store } = await harness();
    const event = example('release-shipped.json');
    event.detail.smokeUrl = `http://localhost:${new URL(site.url).port}/`;
    await handler(event, lambdaContext(120_000));
    expect((await store.get('studio:release:2026.06.26.1'))?.targetUrl).toBe(event.detail.smokeUrl);
  });

  it('fails the invocation when the store is unavailable, and announces nothing', async () => {
    const { handler } = await harness({ tableName: 'no-such-table', createTable: false });
    await expect(handler(example('release-shipped.json'), lambdaContext(120_000))).rejects.toBeInstanceOf(
      StoreError,
    );
    expect(published()).toEqual([]);
  });

  it('fails the invocation when SNS fails after the seal is stored; the retry only publishes', async () => {
    const { handler, store } = await harness();
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 'm-2' });
    await expect(handler(example('release-shipped.json'), lambdaContext(120_000))).rejects.toThrow(
      /SNS publish/,
    );
    const stored = await store.get('studio:release:2026.06.26.1');
    expect(stored?.status).toBe('green');
    expect(stored?.deliveries.published).toBeUndefined();

    const requestsBefore = site.requests.length;
    const retry = await handler(example('release-shipped.json'), lambdaContext(120_000));
    expect(retry).toMatchObject({ outcome: 'duplicate', published: true });
    expect(site.requests.length).toBe(requestsBefore);
    expect((await store.get('studio:release:2026.06.26.1'))?.deliveries.published?.state).toBe('delivered');
    expect(published()).toHaveLength(2);
  });

  it('records and announces an inconclusive seal as a tooling fault when Chromium will not launch', async () => {
    const { handler, store } = await harness({
      launcher: new ChromiumLauncher({ executablePath: '/nonexistent/chromium' }),
    });
    const result = await handler(example('release-shipped.json'), lambdaContext(120_000));
    expect(result).toMatchObject({ outcome: 'sealed', status: 'inconclusive' });
    const seal = await store.get('studio:release:2026.06.26.1');
    expect(seal).toMatchObject({ transition: 'tooling-fault', rollbackCommand: null });
    expect(seal?.toolingError).toMatch(/^Chromium failed to launch/);
    expect(published()[0]?.MessageAttributes?.status?.StringValue).toBe('inconclusive');
  });

  it('records a verdict before Lambda would stop it, when a page hangs past the remaining time', async () => {
    site.setFaults(['home-hangs']);
    const { handler, store } = await harness();
    // 22 s left minus the 15 s margin: the spec gets 7 s, the hanging page would take forever.
    const result = await handler(example('release-shipped.json'), lambdaContext(22_000));
    expect(result).toMatchObject({ outcome: 'sealed' });
    const seal = await store.get('studio:release:2026.06.26.1');
    expect(seal?.checks.find((check) => check.name === 'home')?.outcome).not.toBe('passed');
    expect(seal?.durationMs).toBeLessThan(22_000);
  });
});
