// Turns argv into one typed command; anything malformed is a UsageError (exit 64).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage';

export type Command =
  | { readonly name: 'help' }
  | {
      readonly name: 'run';
      readonly url: string | undefined;
      readonly app: string | undefined;
      readonly config: string;
      /** `--allow-http`: a plain http URL off loopback (an app on a private network). */
      readonly allowHttp: boolean;
      readonly json: boolean;
      readonly deadlineMs: number;
      readonly releaseId: string | undefined;
      readonly discordWebhook: string | undefined;
      readonly releaseApi: string | undefined;
      /** `--github-status`: set the commit status too (GITHUB_TOKEN, GITHUB_API_URL from the environment). */
      readonly githubStatus: boolean;
      /** `--smoke-url`: seal this allowed host of the app (e.g. staging) instead of production. */
      readonly smokeUrl: string | undefined;
      /** `--auth-file`: sign-in ({ basic, headers, storageState }); the SMOKE_SEAL_* variables otherwise. */
      readonly authFile: string | undefined;
      readonly store: StoreChoice;
      /** The app's own Playwright spec (file, folder or glob) and which of its tests run. */
      readonly spec: string | undefined;
      /** `--config <playwright.config.ts>` beside `--spec`: the team's Playwright config. */
      readonly playwrightConfig: string | undefined;
      readonly grep: string | undefined;
      readonly grepInvert: string | undefined;
    }
  | {
      readonly name: 'history';
      readonly app: string;
      readonly limit: number;
      /** Where the previous page ended (`--cursor`). */
      readonly cursor: string | undefined;
      /** `--env`: the environment's history (default production). */
      readonly environment: string;
      readonly json: boolean;
      readonly store: StoreChoice;
    }
  | { readonly name: 'show'; readonly id: string; readonly json: boolean; readonly store: StoreChoice }
  | { readonly name: 'overview'; readonly json: boolean; readonly store: StoreChoice }
  | { readonly name: 'demo'; readonly json: boolean; readonly store: StoreChoice };

export interface StoreChoice {
  readonly table: string | undefined;
  readonly stateDir: string;
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  table: { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

const RUN = {
  ...COMMON,
  app: { type: 'string' },
  config: { type: 'string' },
  'allow-http': { type: 'boolean' },
  deadline: { type: 'string' },
  'release-id': { type: 'string' },
  'discord-webhook': { type: 'string' },
  'release-api': { type: 'string' },
  spec: { type: 'string' },
  grep: { type: 'string' },
  'grep-invert': { type: 'string' },
  'github-status': { type: 'boolean' },
  'smoke-url': { type: 'string' },
  'auth-file': { type: 'string' },
} as const;

/** A Playwright config by its extension (`playwright.config.ts`, `.js`, `.mjs`, …); Smoke Seal's is JSON. */
const PLAYWRIGHT_CONFIG = /\.[cm]?[jt]s$/;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') return { name: 'help' };
  switch (name) {
    case 'run': {
      const { values, positionals } = parse(rest, RUN);
      if (values.help) return { name: 'help' };
      if (positionals.length > 1)
        throw new UsageError(`run: expected one URL, got ${positionals.length} arguments`);
      const url = positionals[0];
      if (url && values.app) throw new UsageError('run: give either a URL or --app <name>, not both');
      if (!url && !values.app) throw new UsageError('run: missing the URL to seal (or --app <name>)');
      if ((values.grep || values['grep-invert']) && !values.spec && !values.app) {
        throw new UsageError(
          'run: --grep and --grep-invert select tests of a Playwright spec; add --spec <file|folder|glob>',
        );
      }
      // --config names Smoke Seal's configuration (JSON) or, by its extension, the team's Playwright config.
      const playwrightConfig =
        values.config && PLAYWRIGHT_CONFIG.test(values.config) ? values.config : undefined;
      if (playwrightConfig && !values.spec && !values.app) {
        throw new UsageError(
          `run: --config ${JSON.stringify(playwrightConfig.slice(0, 200))} is a Playwright config; add --spec <file|folder> (the spec it configures)`,
        );
      }
      return {
        name: 'run',
        url,
        app: values.app,
        config: playwrightConfig ? 'cdk.json' : (values.config ?? 'cdk.json'),
        allowHttp: values['allow-http'] ?? false,
        json: values.json ?? false,
        deadlineMs: positiveInt('--deadline', values.deadline, 60_000, 1_000, 900_000),
        releaseId: values['release-id'],
        discordWebhook: httpUrl('--discord-webhook', values['discord-webhook']),
        releaseApi: values['release-api'],
        githubStatus: values['github-status'] ?? false,
        smokeUrl: smokeUrl(values['smoke-url'], values.app),
        authFile: values['auth-file'],
        store: storeChoice(values),
        spec: values.spec,
        playwrightConfig,
        grep: values.grep,
        grepInvert: values['grep-invert'],
      };
    }
    case 'history': {
      const { values, positionals } = parse(rest, {
        ...COMMON,
        limit: { type: 'string' },
        cursor: { type: 'string' },
        env: { type: 'string' },
      });
      if (values.help) return { name: 'help' };
      const [app, ...extra] = positionals;
      if (!app || extra.length > 0) throw new UsageError('history: expected exactly one app name');
      return {
        name: 'history',
        app,
        limit: positiveInt('--limit', values.limit, 20, 1, 1000),
        cursor: values.cursor,
        environment: environmentName(values.env),
        json: values.json ?? false,
        store: storeChoice(values),
      };
    }
    case 'show': {
      const { values, positionals } = parse(rest, COMMON);
      if (values.help) return { name: 'help' };
      const [id, ...extra] = positionals;
      if (!id || extra.length > 0) throw new UsageError('show: expected exactly one seal id');
      return { name: 'show', id, json: values.json ?? false, store: storeChoice(values) };
    }
    case 'overview': {
      const { values, positionals } = parse(rest, COMMON);
      if (values.help) return { name: 'help' };
      if (positionals.length > 0) throw new UsageError('overview: takes no arguments');
      return { name: 'overview', json: values.json ?? false, store: storeChoice(values) };
    }
    case 'demo': {
      const { values, positionals } = parse(rest, COMMON);
      if (values.help) return { name: 'help' };
      if (positionals.length > 0) throw new UsageError('demo: takes no arguments');
      return { name: 'demo', json: values.json ?? false, store: storeChoice(values) };
    }
    default:
      throw new UsageError(
        `unknown command "${name}"; commands: run, history, show, overview, demo, announce`,
      );
  }
}

function parse<const T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), { cause: error });
  }
}

function storeChoice(values: { table?: string | boolean; 'state-dir'?: string | boolean }): StoreChoice {
  const table = values.table as string | undefined;
  if (table !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new UsageError(`--table: "${table}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)`);
  }
  return { table, stateDir: (values['state-dir'] as string | undefined) ?? '.smoke-seal' };
}

function environmentName(raw: string | undefined): string {
  if (raw === undefined) return 'production';
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(raw)) {
    throw new UsageError(
      '--env: expected an environment name (lower-case letters, digits, "-"), e.g. staging',
    );
  }
  return raw;
}

function smokeUrl(raw: string | undefined, app: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!app)
    throw new UsageError('--smoke-url: only with --app <name> (the app says which hosts are allowed)');
  return httpUrl('--smoke-url', raw);
}

function positiveInt(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function httpUrl(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${flag}: expected an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${flag}: expected an http or https URL, got scheme "${url.protocol.replace(':', '')}"`,
    );
  }
  return raw;
}
