// Reads the deployment configuration from a file: a cdk.json (context "smokeSeal") or a plain { "apps": [...] } file.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../functions/core/errors';
import { type DeployConfig, parseConfigFile } from '../../lib/config';

/** Parsed and validated; every problem is a ConfigError naming the file and the field. */
export async function readConfigFile(file: string): Promise<DeployConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the configuration (${(error as Error).message}); use --config <file>`,
      { cause: error },
    );
  }
  return parseConfigFile(text, file);
}
