export const USAGE = `Usage: smoke-seal <command> [options]

Commands:
  run <url>                 Seal a base URL with the default read-only spec (or --spec <file>)
  run --app <name>          Seal an app from the configuration (its URL, spec and rollback template)
  history <app>             An app's seals, newest first
  show <seal id>            One seal in full
  overview                  The latest seal of every app
  demo                      Start the demo site, seal it green, break it, seal it red
  announce --app <name> ... Put "Release Shipped" on the deploy bus (smoke-seal announce --help)

Options for run:
  --app <name>              App from the configuration instead of a URL
  --config <file>           Configuration: a cdk.json (context "smokeSeal") or a plain { "apps": [...] }
                            file (default: ./cdk.json)
  --allow-http              Allow a plain http URL off loopback (an app on a private network)
  --json                    Print the seal as JSON on stdout
  --deadline <ms>           Overall deadline of the seal, launch included (default 60000)
  --release-id <id>         Release being sealed (default: the app's last known release)
  --smoke-url <url>         With --app: seal this allowed host (e.g. an environment such as staging)
  --auth-file <json>        Sign in: {"basic", "headers", "storageState"}; or the environment variables
                            SMOKE_SEAL_HTTP_CREDENTIALS=user:password, SMOKE_SEAL_EXTRA_HEADERS (JSON),
                            SMOKE_SEAL_STORAGE_STATE (path to a Playwright storage state)
  --discord-webhook <url>   Also post the seal to this Discord webhook
  --release-api <template>  Also PATCH the Release record at this URL template ({releaseId})
  --spec <file|dir|glob>    Run this Playwright Test spec (the app's own) with Playwright Test instead of
                            the default lane; --config <playwright.config.ts> names the team's config
  --grep <tag or pattern>   Which of its tests run (default "@qa-readonly"; a regular expression)
  --grep-invert <pattern>   Leave out the tests that match
  --github-status           Also set the smoke-seal/<app> commit status (GITHUB_TOKEN, GITHUB_API_URL,
                            repo from the app's github.repo or GITHUB_REPOSITORY)
Options for history:  --limit <n> (default 20), --cursor <token> (the next page), --env <name>
                      (the environment's seals, default production), --json,
                      --html (write the timeline page under <state dir>/history/, print its path)
Options for show, overview: --json
Common options:
  --table <name>            Use this DynamoDB table (AWS environment) instead of the local store
  --state-dir <dir>         Local store and reports folder (default: ./.smoke-seal)
  -h, --help                Show this help

Exit codes: 0 green, 1 red, 2 inconclusive (or the checker failed), 64 bad usage or configuration.`;

/** sysexits' EX_USAGE: bad flags, bad arguments, bad configuration. */
export const EXIT_USAGE = 64;

export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
