// `smoke-seal announce`: puts Release Shipped on the deploy bus, validated like the seal function would.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EventBridgeAnnouncer } from '../../functions/adapters/eventbridge-announcer';
import { errorText } from '../../functions/core/error-text';
import { ConfigError, EventError } from '../../functions/core/errors';
import {
  buildReleaseAnnouncement,
  type ReleaseAnnouncementInput,
} from '../../functions/core/release-announcement';
import { resolveTargetUrl } from '../../functions/core/resolve-target';
import { CONTEXT_KEY, type DeployConfig, findApp } from '../../lib/config';
import { readConfigFile } from './read-config-file';
import { EXIT_USAGE, UsageError } from './usage';

export const ANNOUNCE_USAGE = `Usage: smoke-seal announce --app <name> --release-id <id> --commit <sha> --merge-commit <sha>
                          --branch <branch> [options]

Puts a "Release Shipped" event on the deploy bus, checked first with the seal function's own schema.

  --version <v>             Version shipped (default: the release id)
  --smoke-url <url>         Seal this URL instead of production (must be an allowed host of the app)
  --notes-thread <id>       Discord thread of this release's notes
  --release-url <url>       Link to the release (a pull request, a pipeline run)
  --from-github             Fill from GitHub Actions: GITHUB_SHA (commit and merge commit), GITHUB_REF_NAME
                            (branch), the run URL (release URL), gh-<run id>-<attempt> (release id); flags win
  --config <file>           Configuration (default ./cdk.json if present): bus, source, detail type, known apps
  --bus <name>              Event bus name or ARN (default: events.busName, else "default")
  --endpoint <url>          EventBridge endpoint (default: the SDK's, or AWS_ENDPOINT_URL_EVENTBRIDGE)
  --timeout <ms>            Give up retrying throttling and 5xx after this long (default 10000)
  --soft                    Never fail: every failure is a warning on stderr and exit 0
  --json                    Print {"eventId", ...} as JSON instead of the event id

Exit codes: 0 sent (or --soft), 1 not sent, 64 bad usage, input or configuration (nothing sent).`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  app: { type: 'string' },
  'release-id': { type: 'string' },
  version: { type: 'string' },
  commit: { type: 'string' },
  'merge-commit': { type: 'string' },
  branch: { type: 'string' },
  'smoke-url': { type: 'string' },
  'notes-thread': { type: 'string' },
  'release-url': { type: 'string' },
  'from-github': { type: 'boolean' },
  config: { type: 'string' },
  bus: { type: 'string' },
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
  soft: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export interface AnnounceIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly now?: () => Date;
}

/** Failures that are the caller's input: exit 64, nothing sent. */
class InputError extends Error {}

/** The whole command, argv to exit code; never throws. */
export async function announceMain(argv: readonly string[], io: AnnounceIo): Promise<number> {
  // Known before parsing, so even a malformed command line cannot fail a --soft release.
  const soft = argv.includes('--soft');
  try {
    return await announce(argv, io);
  } catch (error) {
    const input =
      error instanceof InputError ||
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof EventError;
    const code = input ? EXIT_USAGE : 1;
    const what = input ? 'nothing sent' : 'the event was not sent';
    if (soft) {
      io.stderr(`smoke-seal announce: warning: ${errorText(error)} (${what}; --soft, exit 0)`);
      return 0;
    }
    io.stderr(`smoke-seal announce: ${errorText(error)} (${what})`);
    if (error instanceof UsageError) io.stderr(`\n${ANNOUNCE_USAGE}`);
    return code;
  }
}

async function announce(argv: readonly string[], io: AnnounceIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(ANNOUNCE_USAGE);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`announce: takes no arguments, got "${positionals[0]?.slice(0, 40)}"`);
  const timeoutMs = timeout(values.timeout);
  const config = await loadConfig(values.config);
  const match = {
    busName: values.bus ?? config?.events.busName ?? 'default',
    source: config?.events.source ?? 'deploy.release-tooling',
    detailType: config?.events.detailType ?? 'Release Shipped',
  };
  if (!/^[A-Za-z0-9/._:-]{1,1600}$/.test(match.busName)) {
    throw new InputError('--bus: expected an event bus name or ARN (letters, digits, "/._-:")');
  }
  const endpoint = values.endpoint === undefined ? undefined : endpointUrl(values.endpoint);

  const github = values['from-github'] ? fromGithub(io.env) : {};
  const input: ReleaseAnnouncementInput = {
    app: values.app,
    releaseId: values['release-id'] ?? github.releaseId,
    version: values.version,
    commit: values.commit ?? github.commit,
    mergeCommit: values['merge-commit'] ?? github.mergeCommit,
    branch: values.branch ?? github.branch,
    smokeUrl: values['smoke-url'],
    notesThreadId: values['notes-thread'],
    releaseUrl: values['release-url'] ?? github.releaseUrl,
  };
  const { detail, event } = buildReleaseAnnouncement(input, match, io.now?.() ?? new Date());
  if (config) {
    // What the seal function refuses after parsing: an app it does not know, a smoke URL off its allowlist.
    const app = findApp(config, event.detail.app);
    resolveTargetUrl(app, event.detail.smokeUrl, 'detail.smokeUrl');
  }

  const result = await new EventBridgeAnnouncer({ endpoint }).announce(detail, match, timeoutMs);
  if (values.json) {
    io.stdout(
      JSON.stringify({ eventId: result.eventId, attempts: result.attempts, bus: match.busName, detail }),
    );
  } else {
    io.stdout(result.eventId);
  }
  return 0;
}

/** `--config`, else ./cdk.json when it holds a Smoke Seal configuration (an app's own CDK project may not). */
async function loadConfig(file: string | undefined): Promise<DeployConfig | undefined> {
  if (file !== undefined) return readConfigFile(file);
  let text: string;
  try {
    text = await readFile('cdk.json', 'utf8');
  } catch {
    return undefined;
  }
  try {
    if ((JSON.parse(text) as { context?: Record<string, unknown> }).context?.[CONTEXT_KEY] === undefined) {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return readConfigFile('cdk.json');
}

interface GithubValues {
  releaseId?: string;
  commit?: string;
  mergeCommit?: string;
  branch?: string;
  releaseUrl?: string;
}

/** What GitHub Actions sets for every job; a missing variable is named, with the flag that replaces it. */
function fromGithub(env: AnnounceIo['env']): GithubValues {
  const need = (name: string, flag: string): string => {
    const value = env[name];
    if (!value) {
      throw new InputError(`--from-github: ${name} is not set; run inside GitHub Actions or pass ${flag}`);
    }
    return value;
  };
  const sha = need('GITHUB_SHA', '--commit and --merge-commit');
  const branch = need('GITHUB_REF_NAME', '--branch');
  const runId = env.GITHUB_RUN_ID;
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  return {
    commit: sha,
    // A push to the deploy branch: the pushed commit is the merge commit of the release PR.
    mergeCommit: sha,
    branch,
    ...(runId ? { releaseId: `gh-${runId}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` } : {}),
    ...(runId && server && repository ? { releaseUrl: `${server}/${repository}/actions/runs/${runId}` } : {}),
  };
}

function timeout(raw: string | undefined): number {
  if (raw === undefined) return 10_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 300_000) {
    throw new UsageError(
      `--timeout: expected milliseconds, a whole number from 100 to 300000, got "${raw.slice(0, 20)}"`,
    );
  }
  return value;
}

function endpointUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('--endpoint: expected an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError('--endpoint: expected an http or https URL');
  }
  return raw;
}
