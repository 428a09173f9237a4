// Bundles an app's Playwright spec files (esbuild) into one ES module, @playwright/test resolved to Smoke Seal's runtime.
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { PlaywrightSpecError } from './playwright-spec-error';

export interface BundlePlaywrightSpecInput {
  /** Absolute paths of the spec files, in the order their tests are declared. */
  readonly files: readonly string[];
  /** Where relative names in messages start (the configuration file's folder). */
  readonly baseDir: string;
  /** The bundle to write (an .mjs file). */
  readonly outFile: string;
  /** The field errors name, e.g. `apps[0].spec.playwright.files` or `--spec`. */
  readonly where: string;
}

/** Spec files as the seal names them: relative to the configuration file, with "/". */
export function specFileLabel(file: string, baseDir: string): string {
  return relative(baseDir, file).split('\\').join('/');
}

/**
 * Modules that would let spec code reach the network or the system around the browser, and so
 * around its read-only guard. A spec talks to the app through `page` and `request` only.
 */
const REFUSED_MODULES =
  /^(node:)?(net|http|https|http2|tls|dgram|dns|dns\/promises|child_process|cluster|worker_threads|inspector|vm)$/;
const REFUSED_PACKAGES =
  /^(undici|ws|node-fetch|axios|got|superagent|playwright|playwright-core|@playwright\/test\/.+)(\/.*)?$/;

const BRIDGE = `
const runtime = globalThis[Symbol.for('smoke-seal.playwright-runtime')];
if (!runtime) throw new Error('this spec bundle runs inside Smoke Seal only (its Playwright runtime is not installed)');
export const test = runtime.test;
export const expect = runtime.expect;
export const devices = runtime.devices;
export const defineConfig = (config) => config;
export default runtime.test;
`;
const BRIDGE_EXPORTS = 'test, expect, devices, defineConfig';

export async function bundlePlaywrightSpec(input: BundlePlaywrightSpecInput): Promise<void> {
  const labels = input.files.map((file) => specFileLabel(file, input.baseDir));
  const entry = input.files
    .map(
      (file, index) =>
        `import 'smoke-seal:enter/${index}';\nimport ${JSON.stringify(file.split('\\').join('/'))};`,
    )
    .join('\n');
  await mkdir(dirname(input.outFile), { recursive: true });
  try {
    await build({
      stdin: { contents: entry, resolveDir: input.baseDir, sourcefile: 'smoke-seal-spec-entry.js' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile: input.outFile,
      write: true,
      logLevel: 'silent',
      keepNames: true,
      plugins: [sealSpecPlugin(labels)],
    });
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages?.length)
      throw new PlaywrightSpecError(`${input.where}: ${(error as Error).message}`, { cause: error });
    const lines = messages.slice(0, 5).map((message) => describeMessage(message, input.baseDir));
    const more = messages.length > 5 ? `\n… and ${messages.length - 5} more` : '';
    throw new PlaywrightSpecError(`${input.where}: the spec does not bundle:\n${lines.join('\n')}${more}`, {
      cause: error,
    });
  }
}

function sealSpecPlugin(labels: readonly string[]): Plugin {
  return {
    name: 'smoke-seal-spec',
    setup(builder) {
      builder.onResolve({ filter: /^(@playwright\/test|playwright\/test)$/ }, () => ({
        path: 'bridge',
        namespace: 'smoke-seal',
      }));
      builder.onResolve({ filter: /^smoke-seal:enter\/\d+$/ }, (args) => ({
        path: args.path.slice('smoke-seal:'.length),
        namespace: 'smoke-seal',
      }));
      builder.onResolve({ filter: REFUSED_MODULES }, (args) => ({
        errors: [
          {
            text: `imports "${args.path}", which is refused in a seal: spec code reaches the app through page and request only (behind the read-only guard)`,
          },
        ],
      }));
      builder.onResolve({ filter: REFUSED_PACKAGES }, (args) => ({
        errors: [
          {
            text: `imports "${args.path}", which is refused in a seal: import { test, expect } from '@playwright/test' and use the page and request fixtures (behind the read-only guard)`,
          },
        ],
      }));
      builder.onLoad({ filter: /.*/, namespace: 'smoke-seal' }, (args) => {
        if (args.path === 'bridge') return { contents: BRIDGE, loader: 'js' };
        const index = Number(args.path.split('/')[1]);
        return {
          contents: `globalThis[Symbol.for('smoke-seal.playwright-runtime')].enterFile(${JSON.stringify(labels[index])});`,
          loader: 'js',
        };
      });
    },
  };
}

function describeMessage(message: Message, baseDir: string): string {
  const location = message.location;
  const at = location
    ? `${location.namespace === 'file' || location.namespace === '' ? specFileLabel(resolve(location.file), baseDir) : location.file}:${location.line}:${location.column + 1}: `
    : '';
  let text = message.text;
  const missing = /^Could not resolve "([^"]+)"/.exec(text);
  if (missing) {
    text = missing[1]!.startsWith('.')
      ? `imports "${missing[1]}", which does not exist`
      : `imports the package "${missing[1]}", which is not installed; add it to package.json (npm install ${missing[1]})`;
  }
  const bridge = /No matching export in "smoke-seal:bridge" for import "([^"]+)"/.exec(text);
  if (bridge) {
    text = `imports "${bridge[1]}" from @playwright/test, which a seal does not provide (provided: ${BRIDGE_EXPORTS})`;
  }
  return `${at}${text}`;
}
