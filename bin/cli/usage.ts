export const USAGE = `Usage: smoke-seal <command> [options]

Commands:
  run <url>                 Seal a base URL with the default read-only spec
  run --app <name>          Seal an app from the configuration (its URL, spec and rollback template)
  history <app>             An app's seals, newest first
  show <seal id>            One seal in full
  overview                  The latest seal of every app
  demo                      Start the demo site, seal it green, break it, seal it red

Options for run:
  --app <name>              App from the configuration instead of a URL
  --config <file>           Configuration: a cdk.json (context "smokeSeal") or a plain { "apps": [...] }
                            file (default: ./cdk.json)
  --allow-http              Allow a plain http URL off loopback (an app on a private network)
  --json                    Print the seal as JSON on stdout
  --deadline <ms>           Overall deadline of the seal, launch included (default 60000)
  --release-id <id>         Release being sealed (default: the app's last known release)
  --discord-webhook <url>   Also post the seal to this Discord webhook
  --release-api <template>  Also PATCH the Release record at this URL template ({releaseId})
Options for history:  --limit <n> (default 20), --cursor <token> (the next page), --json
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
