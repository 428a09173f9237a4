// The seal's Playwright config: the team's own playwright.config imported, the seal's settings laid over it.

/** What the seal lays over the team's config (docs/spec.md, "What the seal changes in your config"). */
export interface OverlaySettings {
  /** The team's playwright.config, absolute; null when the spec has none. */
  readonly teamConfig: string | null;
  /** Where the team's relative paths start: its config's folder (or the spec's). */
  readonly teamDir: string;
  /** The spec file or folder, absolute: the tests run are those under it. */
  readonly specPath: string;
  /** The spec's folder (the file's folder when the spec is a file). */
  readonly specDir: string;
  readonly baseURL: string;
  /** The read-only proxy, `http://127.0.0.1:port`. */
  readonly proxyServer: string;
  readonly executablePath: string;
  /** The seal's Chromium flags (guard flags included). */
  readonly args: readonly string[];
  readonly outputDir: string;
  /** The reporter module and the JSON-lines file it writes. */
  readonly reporter: string;
  readonly reporterOut: string;
  /** Where the overlay writes the projects it left out (not Chromium). */
  readonly skippedOut: string;
  readonly workers: number;
  readonly globalTimeoutMs: number;
  /** The seal's defaults, used where the team's config sets none. */
  readonly retries: number;
  readonly timeoutMs: number;
  /** The seal's sign-in storage state (a file), unless a project sets its own. */
  readonly storageState: string | null;
  /**
   * The browser probe (browser-probe.ts) each worker installs: its module, the `playwright-core` and
   * `playwright/test` the workers load, and the file it writes.
   */
  readonly probe: { module: string; core: string; test: string; out: string } | null;
}

/**
 * Flags a team's launchOptions.args may not bring: they would route the browser around the guard,
 * trust other certificates, or weaken the browser's security model.
 */
export const REFUSED_TEAM_ARGS =
  /^--(proxy|no-proxy|host-resolver-rules|host-rules|ignore-certificate-errors|ignore-urlfetcher-cert|remote-debugging|single-process|disable-web-security|allow-running-insecure-content|disable-site-isolation|user-data-dir)/;

/** The overlay config (.mjs) for one run; Playwright loads it with `--config`. */
export function overlayConfigSource(settings: OverlaySettings): string {
  return `// Written by Smoke Seal for one seal: the team's config with the seal's settings laid over it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const seal = ${JSON.stringify(settings)};
const refusedArgs = ${REFUSED_TEAM_ARGS.toString()};

// The team's config is loaded as Playwright loads a config (requireOrImport): imported when it is an ES
// module (.mjs/.mts, or the nearest package.json says "type": "module"), otherwise required, through the
// require hook Playwright installed before loading this file, which transpiles TypeScript and import
// syntax. Imported, a .ts config of a CommonJS package would reach Node as raw source and fail to load.
function isModule(file) {
  if (/\\.m[jt]s$/.test(file)) return true;
  if (/\\.c[jt]s$/.test(file)) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const packageJson = join(dir, 'package.json');
    if (existsSync(packageJson)) {
      try {
        return JSON.parse(readFileSync(packageJson, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

// In each worker (never the runner): whether a failed test's page and browser still answer.
if (seal.probe && process.env.TEST_WORKER_INDEX !== undefined) {
  try {
    createRequire(import.meta.url)(seal.probe.module)(seal.probe);
  } catch {
    // without the probe, a timeout is Playwright's alone
  }
}

let team = {};
if (seal.teamConfig) {
  let loaded = isModule(seal.teamConfig)
    ? await import(pathToFileURL(seal.teamConfig).href)
    : createRequire(import.meta.url)(seal.teamConfig);
  loaded = loaded.default ?? loaded;
  if (loaded && loaded.__esModule && 'default' in loaded) loaded = loaded.default;
  team = (await loaded) ?? {};
}

const fromTeam = (value) => (typeof value === 'string' && !isAbsolute(value) ? resolve(seal.teamDir, value) : value);
const inside = (path, dir) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};
const template = (value) => (typeof value === 'string' && !value.startsWith('{') ? fromTeam(value) : value);
const scripts = (value) => (Array.isArray(value) ? value.map(fromTeam) : fromTeam(value));

function browserOf(use) {
  return use?.browserName ?? use?.defaultBrowserType ?? undefined;
}

function sealUse(teamUse, projectUse) {
  const launchOptions = { ...(teamUse?.launchOptions ?? {}), ...(projectUse?.launchOptions ?? {}) };
  const teamArgs = (launchOptions.args ?? []).filter((arg) => !refusedArgs.test(String(arg)));
  const storageState = projectUse?.storageState ?? teamUse?.storageState ?? seal.storageState ?? undefined;
  return {
    baseURL: seal.baseURL,
    browserName: 'chromium',
    channel: undefined,
    headless: true,
    connectOptions: undefined,
    proxy: { server: seal.proxyServer },
    // Only the read-only proxy is ever contacted; it checks production's certificates itself.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    ...(storageState === undefined ? {} : { storageState: fromTeam(storageState) }),
    launchOptions: {
      ...launchOptions,
      channel: undefined,
      executablePath: seal.executablePath,
      args: [...seal.args, ...teamArgs],
      proxy: { server: seal.proxyServer },
      headless: true,
      env: undefined,
      tracesDir: undefined,
      downloadsPath: undefined,
    },
  };
}

const config = { ...team };
config.testDir = fromTeam(team.testDir ?? (seal.teamConfig ? seal.teamDir : seal.specDir));
if (!inside(seal.specPath, config.testDir)) config.testDir = seal.specDir;
for (const key of ['snapshotDir', 'tsconfig']) if (team[key] !== undefined) config[key] = fromTeam(team[key]);
if (team.snapshotPathTemplate !== undefined) config.snapshotPathTemplate = template(team.snapshotPathTemplate);
if (team.globalSetup !== undefined) config.globalSetup = scripts(team.globalSetup);
if (team.globalTeardown !== undefined) config.globalTeardown = scripts(team.globalTeardown);
if (team.expect?.toHaveScreenshot?.pathTemplate !== undefined) {
  config.expect = { ...team.expect, toHaveScreenshot: { ...team.expect.toHaveScreenshot, pathTemplate: template(team.expect.toHaveScreenshot.pathTemplate) } };
}
config.outputDir = seal.outputDir;
config.reporter = [[seal.reporter, { out: seal.reporterOut }]];
config.webServer = undefined;
config.globalTimeout = seal.globalTimeoutMs;
// The team's workers (Playwright's own default, half the cores, when it sets none), never more than
// the function's memory holds: more workers than stock would run is a slower, busier seal than the
// team's own run, and a test timeout there would be a false red.
const cores = availableParallelism();
const teamWorkers =
  typeof team.workers === 'number'
    ? team.workers
    : typeof team.workers === 'string' && team.workers.endsWith('%')
      ? Math.floor((cores * Number.parseFloat(team.workers)) / 100)
      : Math.floor(cores / 2);
config.workers = Math.max(1, Math.min(seal.workers, teamWorkers || 1));
config.retries = team.retries ?? seal.retries;
config.timeout = team.timeout ?? seal.timeoutMs;
config.updateSnapshots = 'none';
config.preserveOutput = 'always';
config.quiet = true;
config.use = { ...(team.use ?? {}), ...sealUse(team.use, undefined) };

const skipped = [];
const projects = team.projects && team.projects.length > 0 ? team.projects : [{}];
const kept = [];
for (const project of projects) {
  const browser = browserOf(project.use) ?? browserOf(team.use) ?? 'chromium';
  if (browser !== 'chromium') {
    skipped.push({ name: String(project.name ?? ''), reason: 'its browser is ' + browser + '; a seal runs Chromium projects only' });
    continue;
  }
  const out = { ...project, use: { ...(project.use ?? {}), ...sealUse(team.use, project.use) } };
  if (project.testDir !== undefined) {
    out.testDir = fromTeam(project.testDir);
    if (!inside(seal.specPath, out.testDir) && !inside(out.testDir, seal.specPath)) out.testDir = seal.specDir;
  }
  for (const key of ['snapshotDir', 'outputDir']) if (project[key] !== undefined) out[key] = key === 'outputDir' ? resolve(seal.outputDir, String(project.name ?? 'project')) : fromTeam(project[key]);
  if (project.snapshotPathTemplate !== undefined) out.snapshotPathTemplate = template(project.snapshotPathTemplate);
  if (project.retries === undefined && team.retries === undefined) out.retries = seal.retries;
  if (project.timeout === undefined && team.timeout === undefined) out.timeout = seal.timeoutMs;
  kept.push(out);
}
const names = new Set(kept.map((project) => project.name));
for (const project of kept) {
  if (project.dependencies) project.dependencies = project.dependencies.filter((name) => names.has(name));
  if (project.teardown && !names.has(project.teardown)) project.teardown = undefined;
}
config.projects = kept;
writeFileSync(seal.skippedOut, JSON.stringify(skipped));

export default config;
`;
}
