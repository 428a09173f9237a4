// The deployment configuration (cdk.json context "smokeSeal"): one schema for `cdk synth`, the CLI's --app and the functions (which read it from their configuration layer).
import { z } from 'zod';
import { BaselineSettingsSchema } from './baseline-settings';
import { REPOSITORY } from './commit-range';
import { describeZodError } from './describe-zod-error';
import { ConfigError } from './errors';
import { resolveApp } from './find-app';
import { DEFAULT_ROLLBACK_TEMPLATE } from './rollback-command';
import { SpecOverridesSchema } from './spec';
import { uniqueNames } from './unique-names';

export const CONTEXT_KEY = 'smokeSeal';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const HTTPS_HINT =
  'http only for 127.0.0.1/localhost, or with "allowHttp": true for an app on a private network';

/** The production URL's shape; whether plain http is allowed depends on the app's allowHttp (checked below). */
const productionUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected an absolute https URL, got ${JSON.stringify(value)}` });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({
      code: 'custom',
      message: `expected an https URL (${HTTPS_HINT}), got ${JSON.stringify(value)}`,
    });
  }
  if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'credentials do not belong in a URL; remove user:password@' });
  }
});

/** Plain http is for loopback, or for an app whose configuration says `"allowHttp": true`. */
export function httpAllowed(url: URL, allowHttp: boolean): boolean {
  return url.protocol !== 'http:' || allowHttp || LOOPBACK_HOSTS.has(url.hostname);
}

const hostName = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
    'expected a lower-case host name, optionally with :port or a leading "*." (e.g. "staging.example.com")',
  );

const appName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected 1-40 lower-case letters, digits or "-", starting with a letter');

const secretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'expected a Secrets Manager secret name (letters, digits, /_+=.@-)');

const kmsKeyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    'expected a KMS key ARN, e.g. "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" (not an alias)',
  );

const githubOidc = z
  .object({
    /** owner/name of the repository whose workflow announces releases. */
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name", e.g. "acme/studio"'),
    /** The branch whose workflows may assume the role (the deploy branch). */
    branch: z
      .string()
      .regex(/^[A-Za-z0-9_./-]{1,255}$/, 'expected a branch name without wildcards, e.g. "prod"'),
    /** The account's existing token.actions.githubusercontent.com provider; omit with createProvider. */
    providerArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        'expected "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"',
      )
      .optional(),
    /** Create the provider in this stack (an account has at most one per URL). */
    createProvider: z.boolean().default(false),
  })
  .strict()
  .refine((oidc) => Boolean(oidc.providerArn) !== oidc.createProvider, {
    message:
      'name the existing provider (providerArn, see `aws iam list-open-id-connect-providers`) or set createProvider: true, one of the two',
  });

const urlTemplate = z
  .string()
  .regex(
    /^https:\/\/[^\s]+$/,
    'expected an https URL template, e.g. "https://ops.example.com/api/releases/{releaseId}/smoke_seal"',
  )
  .refine((value) => value.includes('{releaseId}'), 'the template must contain {releaseId}');

export const AppConfigSchema = z
  .object({
    name: appName,
    /** The canonical production base URL the spec runs against. */
    url: productionUrl,
    /** Hosts an event's smokeUrl may name; the production URL's host is always allowed. */
    allowedHosts: z.array(hostName).default([]),
    /**
     * Named environments other than production, each a host an event's smokeUrl may name, e.g.
     * { "staging": "staging.example.com" }. A seal of that host is recorded under that environment,
     * with its own history, transitions and alerts; every other host is production.
     */
    environments: z
      .record(
        z
          .string()
          .regex(
            /^[a-z][a-z0-9-]{0,29}$/,
            'expected an environment name: 1-30 lower-case letters, digits or "-"',
          )
          .refine((name) => name !== 'production', '"production" is the app\'s own url; name the others'),
        hostName,
      )
      .default({}),
    /**
     * Endpoints that only read though they take a body, e.g. `{ "allow": ["POST /api/search"] }`: the
     * read-only guard lets them leave and names them in the seal and the report each time (docs/spec.md).
     */
    readOnly: z
      .object({
        allow: z
          .array(
            z
              .string()
              .regex(
                /^POST \/[^\s]{0,300}$/,
                'expected "POST /path" (exact path, or ending in * for a prefix), e.g. "POST /api/search"',
              ),
          )
          .max(50)
          .default([]),
      })
      .strict()
      .default({ allow: [] }),
    spec: SpecOverridesSchema.optional(),
    rollbackTemplate: z.string().min(1).max(500).default(DEFAULT_ROLLBACK_TEMPLATE),
    /** Discord thread of the app's release notes; an event may name another. */
    discordThreadId: z
      .string()
      .regex(/^\d{17,20}$/, 'expected a Discord snowflake id (17-20 digits)')
      .optional(),
    /** Where the Release record lives, e.g. https://ops.example.com/api/releases/{releaseId}/smoke_seal */
    releaseApiUrlTemplate: urlTemplate.optional(),
    /** Sealed every night as well as at release. */
    nightly: z.boolean().default(true),
    /**
     * Sign-in for apps behind a login: Secrets Manager secret names, read by the seal function once per
     * container and sent to the app's hosts only; never recorded in a seal, a log or a message.
     */
    auth: z
      .object({
        /** JSON {"username": "...", "password": "..."}: HTTP basic credentials. */
        basicSecret: secretName.optional(),
        /** JSON {"Header-Name": "value"}: extra request headers, e.g. a bearer token. */
        headersSecret: secretName.optional(),
        /** A Playwright storage state (cookies, local storage), as `npx playwright ... --save-storage` writes it. */
        storageStateSecret: secretName.optional(),
      })
      .strict()
      .optional(),
    /** Where the `smoke-seal/<app>` commit status goes (the release's merge commit), with secrets.githubToken. */
    github: z
      .object({
        repo: z
          .string()
          .regex(
            /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/,
            'expected "owner/name", e.g. "acme/studio"',
          ),
      })
      .strict()
      .optional(),
    /** Allows a plain http `url` (an app on a private network); loopback needs no flag. */
    allowHttp: z.boolean().default(false),
    /** The comparison with the last green seal (issue 21): masks, tolerances, and failOn to make a change red. */
    baseline: BaselineSettingsSchema.optional(),
    /** `github.com/org/app` (or a GitHub Enterprise host): the compare link from the last green seal's commit. */
    repository: z
      .string()
      .regex(REPOSITORY, 'expected "github.com/owner/name" (host, owner and repository, no scheme)')
      .optional(),
  })
  .strict()
  .superRefine((app, ctx) => {
    const url = URL.canParse(app.url) ? new URL(app.url) : null;
    if (url && !httpAllowed(url, app.allowHttp)) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `expected an https URL (${HTTPS_HINT}), got ${JSON.stringify(app.url)}`,
      });
    }
  });
export type AppConfigInput = z.input<typeof AppConfigSchema>;

export const DeployConfigSchema = z
  .object({
    /** The CloudFormation stack's name: one per shard of a large fleet, or per team (docs/deploy.md). */
    stackName: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9-]{0,99}$/,
        'expected a stack name: a letter, then letters, digits or "-" (at most 100), e.g. "SmokeSeal-team-a"',
      )
      .default('SmokeSeal'),
    apps: z.array(AppConfigSchema).min(1, 'configure at least one app').superRefine(uniqueNames('app')),
    events: z
      .object({
        /** Name of the existing deploy event bus the release tooling puts events on. */
        busName: z.string().min(1).max(256).default('default'),
        source: z.string().min(1).max(256).default('deploy.release-tooling'),
        detailType: z.string().min(1).max(128).default('Release Shipped'),
        /** Create the bus in this stack (accounts without one); otherwise it must already exist. */
        createBus: z.boolean().default(false),
        /**
         * A release event naming an app this stack does not configure: "refuse" parks it in the seal
         * dead-letter queue (its alarm rings); "ignore" logs and drops it, for a fleet split into stacks
         * that share one bus (docs/deploy.md).
         */
        foreignApps: z.enum(['refuse', 'ignore']).default('refuse'),
      })
      .strict()
      .refine((events) => !(events.createBus && events.busName === 'default'), {
        path: ['createBus'],
        message: 'every account has the "default" bus; set busName to the bus to create, or createBus: false',
      })
      .default({
        busName: 'default',
        source: 'deploy.release-tooling',
        detailType: 'Release Shipped',
        createBus: false,
        foreignApps: 'refuse',
      }),
    nightly: z
      .object({
        /** EventBridge Scheduler cron expression: cron(minutes hours day-of-month month day-of-week year). */
        cron: z
          .string()
          .regex(
            /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/,
            'expected "cron(minutes hours day month weekday year)", e.g. "cron(0 3 * * ? *)"',
          ),
        timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"'),
        /**
         * The night's seals start spread over this many minutes after the cron fires, each app at its
         * own fixed offset (a hash of its name), so they never all start in one minute.
         */
        windowMinutes: z.number().int().min(0).max(720, 'use at most 720 minutes (12 hours)').default(60),
      })
      .strict()
      .default({ cron: 'cron(0 3 * * ? *)', timeZone: 'UTC', windowMinutes: 60 }),
    operators: z
      .object({ emails: z.array(z.email('expected an email address')).default([]) })
      .strict()
      .default({ emails: [] }),
    secrets: z
      .object({
        /** Secret holding the Discord webhook URL (plain string). */
        discordWebhookUrl: secretName.optional(),
        /** Secret holding the release API bearer token (plain string). */
        releaseApiToken: secretName.optional(),
        /** Secret holding a GitHub token that may set commit statuses (plain string). */
        githubToken: secretName.optional(),
        /** The customer-managed KMS key the secrets are encrypted with, when not aws/secretsmanager. */
        kmsKeyArn: kmsKeyArn.optional(),
        /**
         * The name prefix of every apps[].auth secret (e.g. "smoke-seal/apps/"): the seal function may
         * read secrets under it, one grant however many apps sign in. Needed past 20 sign-in secrets.
         */
        authSecretPrefix: z
          .string()
          .regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'expected a secret name prefix, e.g. "smoke-seal/apps/"')
          .optional(),
      })
      .strict()
      .default({}),
    github: z
      .object({
        /** GitHub Enterprise Server: `https://github.example.com/api/v3`. */
        apiUrl: z
          .string()
          .regex(/^https:\/\/[^\s/@]+(\/[^\s]*)?$/, 'expected an https URL, e.g. "https://api.github.com"')
          .default('https://api.github.com'),
      })
      .strict()
      .default({ apiUrl: 'https://api.github.com' }),
    retention: z
      .object({ days: z.number().int().min(1).max(3650).default(365) })
      .strict()
      .default({ days: 365 }),
    sealFunction: z
      .object({
        memoryMb: z.number().int().min(1024, 'Chromium needs at least 1024 MB').max(10240).default(2048),
        timeoutSeconds: z.number().int().min(30).max(900).default(120),
        /**
         * Seals running at once, at most (the seal queue's event source mapping MaximumConcurrency):
         * more waits in the queue, never dropped.
         */
        maxConcurrency: z
          .number()
          .int()
          .min(2, 'Lambda allows a MaximumConcurrency of 2 at least')
          .max(1000, 'Lambda allows a MaximumConcurrency of 1000 at most')
          .default(4),
      })
      .strict()
      .default({ memoryMb: 2048, timeoutSeconds: 120, maxConcurrency: 4 }),
    alarms: z
      .object({
        /** A nightly app with no seal recorded for this many hours raises its "no seal" alarm. */
        noSealHours: z
          .number()
          .int()
          .min(2, 'use at least 2 hours')
          .max(168, 'CloudWatch evaluates at most 7 days (168 hours)')
          .default(26),
        /**
         * When the missing-seal check runs (EventBridge Scheduler cron, in nightly.timeZone): it names
         * every nightly app with no seal in the last noSealHours. After the night's window, before work.
         */
        checkCron: z
          .string()
          .regex(
            /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/,
            'expected "cron(minutes hours day month weekday year)", e.g. "cron(0 9 * * ? *)"',
          )
          .default('cron(0 9 * * ? *)'),
      })
      .strict()
      .default({ noSealHours: 26, checkCron: 'cron(0 9 * * ? *)' }),
    /** What the release pipeline gets to put its event on the bus (docs/deploy.md). */
    releaseTooling: z
      .object({
        /** A role GitHub Actions of one repository and branch may assume (OIDC), with the policy attached. */
        githubOidc: githubOidc.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type DeployConfig = z.infer<typeof DeployConfigSchema>;
export type AppConfig = DeployConfig['apps'][number];

/**
 * A configuration file's text as the deployment configuration: a cdk.json (its context "smokeSeal")
 * or a plain file of the same schema (`{ "apps": [...] }`). `file` names it in errors.
 */
export function parseConfigFile(text: string, file: string): DeployConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const context = (json as { context?: Record<string, unknown> } | null)?.context;
  if (context && typeof context === 'object' && CONTEXT_KEY in context) {
    return parseDeployConfig(context[CONTEXT_KEY], `${file}: context.${CONTEXT_KEY}`);
  }
  if (json && typeof json === 'object' && 'apps' in json) return parseDeployConfig(json, file);
  throw new ConfigError(
    `${file}: no configuration found; expected a cdk.json with context "${CONTEXT_KEY}" or a file with "apps": [...] (see docs/configuration.md)`,
  );
}

/** Parses configuration from cdk.json context; throws ConfigError naming the field and the fix. */
export function parseDeployConfig(raw: unknown, where = CONTEXT_KEY): DeployConfig {
  if (raw === undefined) {
    throw new ConfigError(
      `${where}: missing; add a "${CONTEXT_KEY}" object to the "context" of cdk.json (see docs/deploy.md)`,
    );
  }
  const parsed = DeployConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, where), { cause: parsed.error });
  parsed.data.apps.forEach((app, index) => {
    resolveApp(app, `${where}.apps[${index}]`);
  });
  return parsed.data;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
