// The deployment configuration as a Lambda layer: the apps (and their prepared Playwright specs) apart from the code.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  CONFIG_FILE_NAME,
  DEFAULT_CONFIG_DIR,
  PLAYWRIGHT_SPECS_FOLDER,
} from '../functions/adapters/read-deploy-config-file';
import type { DeployConfig } from './config';

export interface ConfigLayerProps {
  readonly config: DeployConfig;
  /** The apps' prepared Playwright specs (`<app>/`), from bundlePlaywrightSpecs. @default - none */
  readonly playwrightSpecDir?: string;
}

/**
 * A layer holding `smoke-seal/deploy-config.json` (the parsed configuration, defaults filled in) and
 * `smoke-seal/playwright-specs/<app>.mjs`; Lambda mounts it at /opt, where the functions read it at
 * start (SMOKE_SEAL_CONFIG_DIR). Why a layer, not SSM or AppConfig: it has no size limit that a fleet
 * reaches (SSM stops at 8 KB, AppConfig's hosted store at 2 MB, a layer at Lambda's 250 MB unzipped),
 * it changes with the function's configuration in one deployment (no seal runs half on old apps), and
 * reading it costs no call, no permission and no cold-start latency. Adding an app makes a new layer
 * version; the code assets (Chromium included) keep their hashes.
 */
export class ConfigLayer extends Construct {
  public readonly layer: lambda.LayerVersion;
  /** The folder the functions read, as SMOKE_SEAL_CONFIG_DIR. */
  public readonly configDir = DEFAULT_CONFIG_DIR;

  constructor(scope: Construct, id: string, props: ConfigLayerProps) {
    super(scope, id);
    // Staged in a fresh folder of its own: the asset's hash is its content, the same config gives the same hash.
    const root = mkdtempSync(join(tmpdir(), 'smoke-seal-config-layer-'));
    const dir = join(root, 'smoke-seal');
    mkdirSync(join(dir, PLAYWRIGHT_SPECS_FOLDER), { recursive: true });
    writeFileSync(join(dir, CONFIG_FILE_NAME), `${JSON.stringify(props.config)}\n`);
    if (props.playwrightSpecDir) {
      // One prepared folder per app (its spec files, team config, snapshots and manifest).
      cpSync(props.playwrightSpecDir, join(dir, PLAYWRIGHT_SPECS_FOLDER), { recursive: true });
    }
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: "Smoke Seal: the deployment configuration (apps) and the apps' prepared Playwright specs",
      code: lambda.Code.fromAsset(root),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
    });
  }
}
