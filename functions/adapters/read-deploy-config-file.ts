// The deployment configuration inside a Lambda: a JSON file in the stack's configuration layer, read once per container.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DeployConfig, parseDeployConfig } from '../core/deploy-config';
import { ConfigError } from '../core/errors';

/** The configuration layer's folder in a function: Lambda mounts layers under /opt. */
export const DEFAULT_CONFIG_DIR = '/opt/smoke-seal';
/** The configuration's file name in that folder (lib/config-layer.ts writes it). */
export const CONFIG_FILE_NAME = 'deploy-config.json';
/** The apps' Playwright specs in that folder, one prepared folder `<app>/` each (prepared at synth). */
export const PLAYWRIGHT_SPECS_FOLDER = 'playwright-specs';

/**
 * Reads and validates `<dir>/deploy-config.json` (validated at synth already; validated again here, so
 * a hand-edited layer fails at start, naming the field, instead of mid-seal). `dir` comes from
 * SMOKE_SEAL_CONFIG_DIR, which the stack sets to the layer's folder.
 */
export function readDeployConfigFile(dir: string = DEFAULT_CONFIG_DIR): DeployConfig {
  const file = join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot be read (${(error as Error).message}); the stack ships it in the configuration layer (lib/config-layer.ts)`,
      { cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseDeployConfig(raw, file);
}
