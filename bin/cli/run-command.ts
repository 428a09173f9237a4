// `smoke-seal run`: the same core path as the Lambda, with local adapters.
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { defaultSpec } from '../../e2e/default-spec';
import { scriptChecks } from '../../e2e/script-checks';
import { ChromiumLauncher } from '../../functions/adapters/chromium-browser';
import { FileEvidenceStore } from '../../functions/adapters/file-evidence-store';
import type { CheckProgress, SealPublisher, SealStore } from '../../functions/core/ports';
import type { RelayOutcome } from '../../functions/core/relay-seal';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import type { Seal } from '../../functions/core/seal';
import type { SealOutcome } from '../../functions/core/seal-app';
import { type AppTarget, sealTrigger } from '../../functions/core/seal-trigger';
import { findApp, httpAllowed } from '../../lib/config';
import { authFromEnvironment } from './auth-from-env';
import { githubFromEnv } from './github-from-env';
import { openStore } from './open-store';
import type { Command, StoreChoice } from './parse-command';
import { choiceFromFlags, type PlaywrightChoice, withPlaywrightSpec } from './playwright-target';
import { ProgressPrinter } from './progress-printer';
import { readConfigFile } from './read-config-file';
import { terminalText } from './terminal-text';
import { UsageError } from './usage';

type RunCommand = Extract<Command, { name: 'run' }>;

export interface RunOptions {
  readonly target: AppTarget;
  readonly store: StoreChoice;
  readonly deadlineMs: number;
  readonly releaseId?: string;
  /** An allowed host of the app to seal instead of production (an environment such as staging). */
  readonly smokeUrl?: string;
  /** Builds the announcer once the store is open (direct delivery records its state there). */
  readonly publisher?: (store: SealStore) => SealPublisher;
  /** Told as each check finishes (progress lines). */
  readonly onCheckFinished?: (progress: CheckProgress) => void;
}

export async function runCommand(command: RunCommand): Promise<Seal> {
  let configured: ConfiguredTarget = command.app
    ? await appFromConfig(command.config, command.app)
    : targetFromUrl(command.url!, command.allowHttp);
  const auth = await authFromEnvironment(process.env, command.authFile);
  if (auth) configured = { ...configured, auth };
  const choice = playwrightChoice(command, configured);
  // The spec's console output and Playwright's go to stderr, never into --json's stdout.
  const log = (line: string) => process.stderr.write(`${terminalText(line)}\n`);
  const target = choice
    ? await withPlaywrightSpec(
        // --spec on a URL or an app without a spec: the spec is the lane, instead of the default data checks.
        configured.playwright ? configured : { ...configured, spec: { ...configured.spec, checks: [] } },
        choice,
        { log },
      )
    : configured;
  const publisher = await directPublisher(command, target);
  const progress = new ProgressPrinter(process.stderr);
  progress.start(target.url, target.spec.checks.length);
  try {
    return (
      await sealLocally({
        target,
        store: command.store,
        deadlineMs: command.deadlineMs,
        releaseId: command.releaseId,
        smokeUrl: command.smokeUrl,
        publisher,
        onCheckFinished: (finished) => progress.checkFinished(finished),
      })
    ).seal;
  } finally {
    progress.stop();
  }
}

/** Seals one target with Chromium, the local (or named) store and reports under <state dir>/reports. */
export async function sealLocally(options: RunOptions): Promise<SealOutcome> {
  const opened = await openStore(options.store);
  try {
    return await sealTrigger(
      options.target,
      {
        trigger: 'manual',
        requestId: localRequestId(),
        releaseId: options.releaseId,
        smokeUrl: options.smokeUrl,
      },
      {
        launcher: new ChromiumLauncher({ scripts: scriptChecks }),
        store: opened.store,
        evidence: new FileEvidenceStore(join(options.store.stateDir, 'reports')),
        clock: { now: () => new Date() },
        publisher: options.publisher?.(opened.store),
        onCheckFinished: options.onCheckFinished,
      },
      options.deadlineMs,
    );
  } finally {
    await opened.close();
  }
}

/** A bare URL: the default spec, and the host (host:port) as the app's name. Plain http needs `--allow-http` off loopback. */
export function targetFromUrl(raw: string, allowHttp = false): AppTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed when it may hold a password (user:pw@…).
    const shown = raw.includes('@') ? 'the target' : JSON.stringify(raw.slice(0, 200));
    throw new UsageError(`run: ${shown} is not a URL; expected e.g. https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`run: expected an http or https URL, got scheme "${url.protocol.replace(':', '')}"`);
  }
  refuseUrlCredentials(url, 'run');
  if (!httpAllowed(url, allowHttp)) {
    throw new UsageError(
      `run: ${url.origin} is plain http; use https, or pass --allow-http for an app on a private network`,
    );
  }
  return {
    name: url.host,
    url: url.toString(),
    allowedHosts: [],
    spec: defaultSpec,
    rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
  };
}

type ConfiguredTarget = AppTarget & {
  discordThreadId?: string;
  github?: { repo: string };
  playwright?: PlaywrightChoice;
};

/** `--spec` wins; else the app's `spec.playwright`, its files relative to the configuration file. */
function playwrightChoice(command: RunCommand, target: ConfiguredTarget): PlaywrightChoice | undefined {
  if (command.spec) {
    const fromFlags = choiceFromFlags(
      command.spec,
      command.grep,
      command.grepInvert,
      command.playwrightConfig,
    );
    const grep = command.grep ?? target.playwright?.config.grep ?? fromFlags.config.grep;
    return { ...fromFlags, config: { ...fromFlags.config, grep } };
  }
  if (!target.playwright) return undefined;
  const config = {
    ...target.playwright.config,
    ...(command.grep ? { grep: command.grep } : {}),
    ...(command.grepInvert ? { grepInvert: command.grepInvert } : {}),
    ...(command.playwrightConfig ? { config: resolve(command.playwrightConfig) } : {}),
  };
  return { ...target.playwright, config };
}

async function appFromConfig(file: string, name: string): Promise<ConfiguredTarget> {
  const config = await readConfigFile(file);
  const app = findApp(config, name, file);
  const index = config.apps.findIndex((entry) => entry.name === name);
  const playwright = app.spec?.playwright;
  return {
    ...app,
    spec: app.resolvedSpec,
    // apps[].auth names secrets for the Lambda; a laptop signs in from its environment (auth-from-env.ts).
    auth: undefined,
    ...(playwright
      ? {
          playwright: {
            config: playwright,
            baseDir: dirname(file),
            where: `${file}: apps[${index}].spec.playwright`,
          },
        }
      : {}),
  };
}

/** `--discord-webhook` / `--release-api`: the relay's delivery code, called right after the seal is stored. */
async function directPublisher(
  command: RunCommand,
  target: AppTarget & { discordThreadId?: string; github?: { repo: string } },
): Promise<((store: SealStore) => SealPublisher) | undefined> {
  if (!command.discordWebhook && !command.releaseApi && !command.githubStatus) return undefined;
  const github = command.githubStatus ? githubFromEnv(target, process.env) : undefined;
  if (command.discordWebhook) {
    // The webhook's token is in its path; a user:password on it is never needed and would leak.
    let webhook: URL | null = null;
    try {
      webhook = new URL(command.discordWebhook);
    } catch {
      // DiscordWebhook says what is wrong, without the value
    }
    if (webhook) refuseUrlCredentials(webhook, '--discord-webhook');
  }
  const { DirectSealPublisher } = await import('../../functions/adapters/direct-seal-publisher');
  const build = (store?: SealStore) =>
    new DirectSealPublisher({
      discordWebhookUrl: command.discordWebhook,
      releaseApiUrlTemplate: command.releaseApi,
      discordThreadId: target.discordThreadId,
      github,
      store,
      onOutcome: (outcome) => console.error(terminalText(describeOutcome(outcome))),
    });
  // Built once up front so a missing token or a bad template is a usage error before anything runs.
  build();
  return (store) => build(store);
}

/**
 * A password in a URL would be written to the seal, the report, the history and Discord: refused,
 * with where credentials go instead. The message never repeats the URL.
 */
export function refuseUrlCredentials(url: URL, what: string): void {
  if (!url.username && !url.password) return;
  throw new UsageError(
    `${what}: credentials in the URL are refused (they would be stored in the seal and its report). ` +
      'Sign in with SMOKE_SEAL_HTTP_CREDENTIALS=user:password, SMOKE_SEAL_EXTRA_HEADERS (a JSON object), ' +
      'SMOKE_SEAL_STORAGE_STATE (a Playwright storage-state file) or --auth-file <json>, ' +
      'or apps[].auth in the configuration; then run it on the URL without them',
  );
}

/** A manual run's request id: sortable by time, unique enough for a laptop. */
function localRequestId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `local-${stamp}-${randomBytes(3).toString('hex')}`;
}

function describeOutcome(outcome: RelayOutcome): string {
  return Object.entries(outcome.channels)
    .map(([channel, state]) => `${channel}: ${state.state}${state.detail ? ` (${state.detail})` : ''}`)
    .join('; ');
}
