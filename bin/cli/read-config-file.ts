// Reads the deployment configuration from a cdk.json-shaped file (context "smokeSeal"), for commands that need it.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../functions/core/errors';
import { CONTEXT_KEY, type DeployConfig, parseDeployConfig } from '../../lib/config';

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
  let json: { context?: Record<string, unknown> };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseDeployConfig(json.context?.[CONTEXT_KEY], `${file}: context.${CONTEXT_KEY}`);
}
