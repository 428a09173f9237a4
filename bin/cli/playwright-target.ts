// `run --spec` and an app's `spec.playwright`: the team's spec and config, run by Playwright Test (one start).
import { resolve } from 'node:path';
import { findTeamConfig } from '../../functions/adapters/playwright-spec/find-team-config';
import { PlaywrightSpecError } from '../../functions/adapters/playwright-spec/playwright-spec-error';
import { PlaywrightSuite } from '../../functions/adapters/playwright-spec/playwright-suite';
import { commonFolder, resolveSpecPaths } from '../../functions/adapters/playwright-spec/resolve-spec-paths';
import { ConfigError } from '../../functions/core/errors';
import type { AppTarget } from '../../functions/core/seal-trigger';
import type { PlaywrightSpecConfig } from '../../functions/core/spec';

export interface PlaywrightChoice {
  readonly config: PlaywrightSpecConfig;
  /** `files` and `config` are relative to this folder (the configuration file's, or the working directory for --spec). */
  readonly baseDir: string;
  /** The field errors name: `--spec` or `<file>: context.smokeSeal.apps[0].spec.playwright`. */
  readonly where: string;
}

export interface PlaywrightTargetOptions {
  /** The spec's console output and the runner's: the seal's log (stderr), never stdout. */
  readonly log?: (line: string) => void;
}

/**
 * The target with the app's Playwright suite; a spec that cannot be used is a ConfigError (exit 64):
 * a missing file or config, or a refused import, before anything runs; a spec or config that does
 * not load, or no test matching grep, from the run's own start (Playwright's onBegin: zero tests or
 * its load errors), before any browser starts and before a seal is recorded.
 */
export async function withPlaywrightSpec<T extends AppTarget>(
  target: T,
  choice: PlaywrightChoice,
  options: PlaywrightTargetOptions = {},
): Promise<T> {
  try {
    const suite = playwrightSuite(target, choice, options);
    await suite.checkImports();
    return { ...target, suite: { run: (input) => suite.run(input).catch(asConfigError) } };
  } catch (error) {
    return asConfigError(error);
  }
}

function asConfigError(error: unknown): never {
  if (error instanceof PlaywrightSpecError) throw new ConfigError(error.message, { cause: error });
  throw error;
}

function playwrightSuite(
  target: AppTarget,
  choice: PlaywrightChoice,
  options: PlaywrightTargetOptions,
): PlaywrightSuite {
  const where = choice.where;
  const specPaths = resolveSpecPaths(
    choice.config.files,
    choice.baseDir,
    where === '--spec' ? '--spec' : `${where}.files`,
  );
  const teamConfig = choice.config.config
    ? resolve(choice.baseDir, choice.config.config)
    : findTeamConfig(commonFolder(specPaths, (path) => /\.[cm]?[jt]sx?$/.test(path)));
  if (choice.config.config) {
    resolveSpecPaths(
      choice.config.config,
      choice.baseDir,
      where === '--spec' ? '--config' : `${where}.config`,
    );
  }
  return new PlaywrightSuite({
    specPaths,
    teamConfig,
    grep: choice.config.grep,
    grepInvert: choice.config.grepInvert,
    retries: target.spec.retries,
    timeoutMs: target.spec.checkTimeoutMs,
    where,
    log: options.log,
    unusableSpec: 'throw',
  });
}

/** `--spec` relative to the working directory, with `--grep` (default "@qa-readonly"), `--grep-invert` and `--config`. */
export function choiceFromFlags(
  spec: string,
  grep: string | undefined,
  grepInvert: string | undefined,
  config?: string,
): PlaywrightChoice {
  return {
    config: {
      files: spec,
      grep: grep ?? '@qa-readonly',
      ...(grepInvert ? { grepInvert } : {}),
      ...(config ? { config } : {}),
    },
    baseDir: process.cwd(),
    where: '--spec',
  };
}
