// The smoke spec as typed, validated data: what to check, never how (the browser adapter runs it).
import { z } from 'zod';
import { uniqueNames } from './unique-names';

const checkName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9 _./-]{0,62}$/i, 'expected 1-63 letters, digits, spaces or _ . / - (a check name)');

const checkPath = z
  .string()
  .regex(/^\/[^\s]*$/, 'expected a path that starts with "/" and has no spaces, e.g. "/sign_in"');

export const LANDMARK_ROLES = [
  'heading',
  'form',
  'list',
  'main',
  'navigation',
  'table',
  'button',
  'link',
  'textbox',
] as const;

/** Kinds of form a landmark may ask for by purpose rather than by role (a plain <form> has no role). */
export const LANDMARK_FORMS = ['sign-in'] as const;

const landmarkRole = z.enum(LANDMARK_ROLES, {
  error: (issue) =>
    `unknown role ${JSON.stringify(issue.input)}; expected one of ${LANDMARK_ROLES.join(', ')}`,
});

/**
 * How a page proves it rendered: an ARIA role (optionally with its accessible name), a CSS selector,
 * or `{ "form": "sign-in" }`: any visible form with a text, email or password field, named or not.
 */
export const LandmarkSchema = z.union(
  [
    z.object({ role: landmarkRole, name: z.string().min(1).optional() }).strict(),
    z.object({ selector: z.string().min(1) }).strict(),
    z
      .object({
        form: z.enum(LANDMARK_FORMS, {
          error: (issue) =>
            `unknown form ${JSON.stringify(issue.input)}; expected one of ${LANDMARK_FORMS.join(', ')}`,
        }),
      })
      .strict(),
  ],
  { error: landmarkError },
);

/** One message for a landmark that matches no shape, naming the allowed ones (a bad role says which roles exist). */
function landmarkError(issue: { input?: unknown }): string {
  const input = issue.input;
  if (input && typeof input === 'object' && 'role' in input) {
    const role = (input as { role: unknown }).role;
    if (!LANDMARK_ROLES.includes(role as (typeof LANDMARK_ROLES)[number])) {
      return `unknown role ${JSON.stringify(role)}; expected one of ${LANDMARK_ROLES.join(', ')}`;
    }
  }
  if (input && typeof input === 'object' && 'form' in input) {
    return `unknown form ${JSON.stringify((input as { form: unknown }).form)}; expected one of ${LANDMARK_FORMS.join(', ')}`;
  }
  return `expected a landmark: { "role": one of ${LANDMARK_ROLES.join(', ')} (optional "name") }, { "selector": "css" } or { "form": "sign-in" }`;
}
export type Landmark = z.infer<typeof LandmarkSchema>;

/** A page that must render: 2xx after redirects, no uncaught exception, landmark visible, non-empty title. */
export const PageCheckSchema = z
  .object({
    kind: z.literal('page'),
    name: checkName,
    path: checkPath,
    landmark: LandmarkSchema,
    requireTitle: z.boolean().default(true),
  })
  .strict();

const httpStatus = z.number().int().min(100).max(599);
/** One status or a list of them: `404` or `[404, 401, 403]`. */
const expectedStatus = z.union([httpStatus, z.array(httpStatus).min(1).max(10)], {
  error: 'expected an HTTP status (100-599) or a list of them, e.g. 404 or [404, 401, 403]',
});

/**
 * A path that must answer one of the expected statuses, e.g. /up 200, /devops 404. It also passes
 * when the first response is a redirect (3xx) to `redirectsTo` on the app's own host (admin paths
 * that send strangers to the login page), or when a 3xx status is itself listed.
 */
export const StatusCheckSchema = z
  .object({
    kind: z.literal('status'),
    name: checkName,
    path: checkPath,
    status: expectedStatus,
    redirectsTo: checkPath.optional(),
  })
  .strict();

/**
 * The escape hatch: a check written as a function of a Playwright Page, registered in code
 * (functions/adapters/script-checks.ts, judged by check-judges.ts) and referenced here by name, so configuration stays plain JSON.
 */
export const ScriptCheckSchema = z
  .object({
    kind: z.literal('script'),
    name: checkName,
    path: checkPath,
    script: z.string().min(1),
  })
  .strict();

export const CheckSchema = z.discriminatedUnion('kind', [
  PageCheckSchema,
  StatusCheckSchema,
  ScriptCheckSchema,
]);
export type Check = z.infer<typeof CheckSchema>;
export type PageCheck = z.infer<typeof PageCheckSchema>;
export type StatusCheck = z.infer<typeof StatusCheckSchema>;
export type ScriptCheck = z.infer<typeof ScriptCheckSchema>;

export const SpecSchema = z
  .object({
    checks: z.array(CheckSchema).min(1, 'a spec needs at least one check').superRefine(uniqueNames('check')),
    /** Per-attempt budget for one check. */
    checkTimeoutMs: z.number().int().min(500).max(120_000).default(15_000),
    /** How many checks run at once in the one browser. */
    concurrency: z.number().int().min(1).max(16).default(4),
    /** A failed check is tried once more on a fresh page; 0 disables that. */
    retries: z.number().int().min(0).max(1).default(1),
  })
  .strict();
export type Spec = z.infer<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;

/** The statuses a status check accepts, as a list. */
export function expectedStatuses(check: StatusCheck): readonly number[] {
  return typeof check.status === 'number' ? [check.status] : check.status;
}

/**
 * The app's own Playwright Test spec: files (a file, folder or glob, relative to the configuration
 * file) and which tests run: `grep` (a tag or a regular expression over the title path and tags).
 */
export const PlaywrightSpecConfigSchema = z
  .object({
    files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    grep: z.string().min(1).default('@qa-readonly'),
    grepInvert: z.string().min(1).optional(),
    /**
     * The team's playwright.config (relative like `files`); by default the nearest
     * playwright.config.{ts,js,mjs,cjs,mts,cts} from the spec's folder up to its package.json.
     */
    config: z
      .string()
      .regex(/\.[cm]?[jt]s$/, 'expected a Playwright config file, e.g. "playwright.config.ts"')
      .optional(),
  })
  .strict();
export type PlaywrightSpecConfig = z.infer<typeof PlaywrightSpecConfigSchema>;

/**
 * What an app's configuration may change in the default spec: a check's name, path, landmark or
 * status by name, checks to drop, checks to add, and the spec's timing knobs.
 */
export const SpecOverridesSchema = z
  .object({
    override: z
      .record(
        checkName,
        z
          .object({
            /** Renames the check (the "tasks" check may be "issues" on /issues). */
            name: checkName.optional(),
            path: checkPath.optional(),
            landmark: LandmarkSchema.optional(),
            status: expectedStatus.optional(),
            redirectsTo: checkPath.optional(),
          })
          .strict(),
      )
      .optional(),
    remove: z.array(checkName).optional(),
    add: z.array(CheckSchema).optional(),
    checkTimeoutMs: z.number().int().min(500).max(120_000).optional(),
    concurrency: z.number().int().min(1).max(16).optional(),
    retries: z.number().int().min(0).max(1).optional(),
    /** The app's own Playwright spec; with it, the default lane is not run (`add` still is). */
    playwright: PlaywrightSpecConfigSchema.optional(),
  })
  .strict();
export type SpecOverrides = z.infer<typeof SpecOverridesSchema>;
