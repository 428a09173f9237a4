// `run --spec` and an app's `spec.playwright`: bundle the spec under the state dir, load it, add its tests as checks.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PlaywrightSpecError } from '../../functions/adapters/playwright-spec/playwright-spec-error';
import type { PlaywrightTests } from '../../functions/adapters/playwright-spec/playwright-tests';
import { preparePlaywrightSpec } from '../../functions/adapters/playwright-spec/prepare-playwright-spec';
import { testChecks } from '../../functions/adapters/playwright-spec/select-tests';
import { ConfigError } from '../../functions/core/errors';
import type { AppTarget } from '../../functions/core/seal-trigger';
import type { PlaywrightSpecConfig } from '../../functions/core/spec';
import { withTestChecks } from '../../functions/core/with-test-checks';

export interface PlaywrightChoice {
  readonly config: PlaywrightSpecConfig;
  /** `files` is relative to this folder (the configuration file's, or the working directory for --spec). */
  readonly baseDir: string;
  /** The field errors name: `--spec` or `<file>: context.smokeSeal.apps[0].spec.playwright`. */
  readonly where: string;
}

/** The target with the spec's selected tests as its first checks; a spec that cannot be used is a ConfigError (exit 64). */
export async function withPlaywrightSpec<T extends AppTarget>(
  target: T,
  choice: PlaywrightChoice,
  stateDir: string,
  tests: PlaywrightTests,
): Promise<T> {
  // A fresh file each run: an ES module, once imported, is cached by its URL.
  const outFile = resolve(
    stateDir,
    'specs',
    `${target.name.replace(/[^a-z0-9.-]+/gi, '-')}-${randomBytes(4).toString('hex')}.mjs`,
  );
  try {
    const selected = await preparePlaywrightSpec({ ...choice, outFile });
    tests.add(target.name, selected);
    return { ...target, spec: withTestChecks(target.spec, testChecks(target.name, selected), choice.where) };
  } catch (error) {
    if (error instanceof PlaywrightSpecError) throw new ConfigError(error.message, { cause: error });
    throw error;
  } finally {
    await rm(outFile, { force: true });
  }
}

/** `--spec` relative to the working directory, with `--grep` (default "@qa-readonly") and `--grep-invert`. */
export function choiceFromFlags(
  spec: string,
  grep: string | undefined,
  grepInvert: string | undefined,
): PlaywrightChoice {
  return {
    config: { files: spec, grep: grep ?? '@qa-readonly', ...(grepInvert ? { grepInvert } : {}) },
    baseDir: process.cwd(),
    where: '--spec',
  };
}
