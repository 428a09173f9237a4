// The smoke spec as typed, validated data: what to check, never how (the browser adapter runs it).
import { z } from 'zod';
import { uniqueNames } from './unique-names';

const checkName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9 _./-]{0,62}$/i, 'expected 1-63 letters, digits, spaces or _ . / - (a check name)');

const checkPath = z
  .string()
  .regex(/^\/[^\s]*$/, 'expected a path that starts with "/" and has no spaces, e.g. "/sign_in"');

/** How a page proves it rendered: an ARIA role (optionally with its accessible name) or a CSS selector. */
export const LandmarkSchema = z.union([
  z
    .object({
      role: z.enum(['heading', 'form', 'list', 'main', 'navigation', 'table', 'button', 'link', 'textbox']),
      name: z.string().min(1).optional(),
    })
    .strict(),
  z.object({ selector: z.string().min(1) }).strict(),
]);
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

/** A path that must answer one exact HTTP status (after redirects), e.g. /up 200, /devops 404. */
export const StatusCheckSchema = z
  .object({
    kind: z.literal('status'),
    name: checkName,
    path: checkPath,
    status: z.number().int().min(100).max(599),
  })
  .strict();

/**
 * The escape hatch: a check written as a function of a Playwright Page, registered in code
 * (e2e/script-checks.ts) and referenced here by name, so configuration stays plain JSON.
 */
export const ScriptCheckSchema = z
  .object({
    kind: z.literal('script'),
    name: checkName,
    path: checkPath,
    script: z.string().min(1),
  })
  .strict();

/** A check's name when it is a Playwright test: its title path, bounded, printable. */
const testName = z
  .string()
  .min(1)
  .max(300, 'a test title path is at most 300 characters')
  .regex(/^\P{Cc}+$/u, 'a test title path has no control characters');

/**
 * One test of the app's own Playwright spec (issue 11), selected by grep at load. `test` is its id
 * in the loaded spec (functions/adapters/playwright-spec/); `path` is where its page starts ("/").
 */
export const TestCheckSchema = z
  .object({
    kind: z.literal('test'),
    name: testName,
    path: checkPath,
    test: z.string().min(1).max(200),
  })
  .strict();

export const CheckSchema = z.discriminatedUnion('kind', [
  PageCheckSchema,
  StatusCheckSchema,
  ScriptCheckSchema,
  TestCheckSchema,
]);
export type Check = z.infer<typeof CheckSchema>;
export type PageCheck = z.infer<typeof PageCheckSchema>;
export type StatusCheck = z.infer<typeof StatusCheckSchema>;
export type ScriptCheck = z.infer<typeof ScriptCheckSchema>;
export type TestCheck = z.infer<typeof TestCheckSchema>;

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

/**
 * The app's own Playwright Test spec: files (a file, folder or glob, relative to the configuration
 * file) and which tests run: `grep` (a tag or a regular expression over the title path and tags).
 */
export const PlaywrightSpecConfigSchema = z
  .object({
    files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    grep: z.string().min(1).default('@qa-readonly'),
    grepInvert: z.string().min(1).optional(),
  })
  .strict();
export type PlaywrightSpecConfig = z.infer<typeof PlaywrightSpecConfigSchema>;

/**
 * What an app's configuration may change in the default spec: a check's path or landmark by
 * name, checks to drop, checks to add, and the spec's timing knobs.
 */
export const SpecOverridesSchema = z
  .object({
    override: z
      .record(
        checkName,
        z
          .object({
            path: checkPath.optional(),
            landmark: LandmarkSchema.optional(),
            status: z.number().int().min(100).max(599).optional(),
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
