// Sign-in material reaches the browser launcher and nothing else: not the seal, the messages, the report or the logs.
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { renderCommitStatus } from '../../functions/core/messages/render-commit-status';
import { renderDiscord } from '../../functions/core/messages/render-discord';
import { renderEmail } from '../../functions/core/messages/render-email';
import { renderReleaseRecord } from '../../functions/core/messages/render-release-record';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import type { BrowserLauncher, BrowserSession, BrowserTarget, TargetAuth } from '../../functions/core/ports';
import { authSecrets } from '../../functions/core/target-auth';
import { createSealHandler } from '../../functions/seal/seal-handler';
import { parseDeployConfig } from '../../lib/config';
import { lambdaContext } from '../fixtures/lambda-context';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { RecordingPublisher } from '../fixtures/recording-publisher';
import { ScriptedBrowser } from '../fixtures/scripted-browser';

const AUTH: TargetAuth = {
  basic: { username: 'seal-bot', password: 'pw-Secret-basic-7731' },
  headers: { Authorization: 'Bearer tok-Secret-header-5521', 'X-Api-Key': 'key-Secret-header-9012' },
  storageState: {
    cookies: [
      {
        name: 'session',
        value: 'cookie-Secret-4410',
        domain: 'studio.example.com',
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
      },
    ],
    origins: [
      { origin: 'https://studio.example.com', localStorage: [{ name: 'jwt', value: 'ls-Secret-8810' }] },
    ],
  },
};
const SECRETS = authSecrets(AUTH);

/** Keeps every log line as the formatter sees it: message and every attribute. */
class RecordingFormatter extends LogFormatter {
  static readonly lines: string[] = [];
  formatAttributes(attributes: Record<string, unknown>, additional: Record<string, unknown>): LogItem {
    RecordingFormatter.lines.push(JSON.stringify({ ...attributes, ...additional }));
    return new LogItem({ attributes: { message: attributes.message } });
  }
}

/** Records the target each launch was given, then runs scripted checks that fail (a red seal says the most). */
class RecordingLauncher implements BrowserLauncher {
  readonly targets: BrowserTarget[] = [];
  private readonly inner = new ScriptedBrowser({
    up: [{ outcome: 'failed', afterMs: 1, error: '/up answered 503, expected 200' }],
  });
  async launch(target: BrowserTarget): Promise<BrowserSession> {
    this.targets.push(target);
    return this.inner.launch();
  }
}

function harness(loadAuth: () => Promise<TargetAuth | undefined>) {
  const config = parseDeployConfig({
    apps: [
      {
        name: 'studio',
        url: 'https://studio.example.com',
        auth: {
          basicSecret: 'studio/basic',
          headersSecret: 'studio/headers',
          storageStateSecret: 'studio/state',
        },
      },
    ],
  });
  const store = new MemorySealStore();
  const evidence = new MemoryEvidenceStore();
  const publisher = new RecordingPublisher();
  const launcher = new RecordingLauncher();
  RecordingFormatter.lines.length = 0;
  const handler = createSealHandler({
    config,
    launcher,
    store,
    evidence,
    publisher,
    deadLetter: { park: async () => undefined } as never,
    clock: { now: () => new Date('2026-06-26T10:00:00Z') },
    logger: new Logger({
      serviceName: 'smoke-seal',
      logLevel: 'DEBUG',
      logFormatter: new RecordingFormatter(),
    }),
    metrics: new Metrics({ namespace: 'SmokeSeal', serviceName: 'smoke-seal' }),
    marginMs: 1_000,
    loadAuth,
  });
  return { handler, store, evidence, publisher, launcher };
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} holds "${secret}"`).toBe(false);
}

describe('sign-in material', () => {
  it('goes to the launcher, and never into the seal, its messages, its report or the logs', async () => {
    const { handler, store, evidence, publisher, launcher } = harness(async () => AUTH);
    const result = await handler(
      { trigger: 'manual', app: 'studio', requestId: 'r1' },
      lambdaContext(30_000),
    );
    expect(result).toMatchObject({ outcome: 'sealed', status: 'red' });
    // The launcher got it, for the app's hosts.
    expect(launcher.targets[0]?.auth).toEqual(AUTH);
    expect(launcher.targets[0]?.appHosts).toContain('studio.example.com');

    const seal = (await store.get('studio:manual:r1'))!;
    expectNoSecret(JSON.stringify(seal), 'the stored seal');
    expectNoSecret(JSON.stringify(publisher.published), 'the published seal');
    for (const [key, body] of evidence.files) expectNoSecret(String(body), `evidence ${key}`);
    const message = buildSealMessage(seal);
    expectNoSecret(JSON.stringify(renderDiscord(message)), 'the Discord post');
    expectNoSecret(JSON.stringify(renderEmail(message)), 'the email');
    expectNoSecret(JSON.stringify(renderReleaseRecord(message)), 'the Release record');
    expectNoSecret(JSON.stringify(renderCommitStatus(message)), 'the commit status');
    expect(RecordingFormatter.lines.length).toBeGreaterThan(0);
    expectNoSecret(RecordingFormatter.lines.join('\n'), 'the logs');
  });

  it('that will not load makes the seal inconclusive (never red), without running the browser', async () => {
    const { handler, store, launcher } = harness(async () => {
      throw new Error(
        'apps[studio].auth.basicSecret "studio/basic": cannot be read (ResourceNotFoundException)',
      );
    });
    const result = await handler(
      { trigger: 'manual', app: 'studio', requestId: 'r2' },
      lambdaContext(30_000),
    );
    expect(result).toMatchObject({ outcome: 'sealed', status: 'inconclusive' });
    expect(launcher.targets).toHaveLength(0);
    const seal = await store.get('studio:manual:r2');
    expect(seal).toMatchObject({ rollbackCommand: null });
    expect(seal?.toolingError).toMatch(
      /sign-in for studio could not be loaded: .*studio\/basic.*ResourceNotFound/,
    );
  });
});
