// How the stack's NodejsFunctions are bundled: esbuild on this machine (never Docker), ESM, no configuration inside.
import { fileURLToPath } from 'node:url';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';

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
 * Bundling options shared by the stack's functions. Nothing of the deployment configuration goes in
 * (no `define`): the functions read it from the configuration layer (lib/config-layer.ts), so adding
 * an app changes no code asset, and no esbuild argument grows with the apps.
 */
export function functionBundling(options: FunctionBundlingOptions = {}): lambdaNodejs.BundlingOptions {
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
    logLevel: lambdaNodejs.LogLevel.WARNING,
    // `npm ci` for nodeModules takes packages from the local npm cache when it has them.
    environment: { npm_config_prefer_offline: 'true' },
  };
}
