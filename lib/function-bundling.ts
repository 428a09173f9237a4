// How the stack's NodejsFunctions are bundled: esbuild on this machine (never Docker), ESM, config inlined.
import { fileURLToPath } from 'node:url';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { DeployConfig } from './config';

/** The repository root: package.json, package-lock.json and the functions/ sources. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundled CommonJS dependencies call `require` (Node built-ins included); an ES module has none, so
 * the bundle gets one from `createRequire`. The alias keeps clear of any bundled `createRequire`.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as smokeSealCreateRequire } from 'node:module'; const require = smokeSealCreateRequire(import.meta.url);";

export interface FunctionBundlingOptions {
  /**
   * Packages installed next to the bundle (`npm ci` from package-lock.json) instead of bundled:
   * for packages that find their own files on disk.
   * @default - none
   */
  readonly nodeModules?: string[];
}

/**
 * Bundling options shared by the seal and relay functions. The deployment configuration is inlined
 * as the literal `process.env.SMOKE_SEAL_CONFIG` (see `bundledDeployConfig` in lib/config.ts):
 * Lambda caps environment variables at 4 KB in all, and the app list can outgrow that.
 */
export function functionBundling(
  config: DeployConfig,
  options: FunctionBundlingOptions = {},
): lambdaNodejs.BundlingOptions {
  return {
    // Local esbuild only: this machine has no Docker, and bundling must never reach for it.
    forceDockerBundling: false,
    format: lambdaNodejs.OutputFormat.ESM,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    keepNames: true,
    sourceMap: true,
    // The AWS SDK is bundled at the versions in package-lock.json rather than taken from the runtime.
    externalModules: [],
    // Left out when empty: any nodeModules, even [], makes CDK run `npm ci` in the bundle.
    ...(options.nodeModules?.length ? { nodeModules: options.nodeModules } : {}),
    // esbuild receives this as one argument (no shell), so quotes and `$` in the config are safe.
    define: { 'process.env.SMOKE_SEAL_CONFIG': JSON.stringify(JSON.stringify(config)) },
    logLevel: lambdaNodejs.LogLevel.WARNING,
    // `npm ci` for nodeModules takes packages from the local npm cache when it has them.
    environment: { npm_config_prefer_offline: 'true' },
  };
}
