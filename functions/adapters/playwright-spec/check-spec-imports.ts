// At synth: what the spec's files import, checked before they ship (esbuild walks the graph, writes nothing).
import { relative, resolve } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { PlaywrightSpecError } from './playwright-spec-error';

/**
 * Node modules that reach the network or start processes. The preload fence refuses them at run
 * time anyway (node-network-fence.ts); refusing them here too makes a careless spec fail `cdk synth`
 * (or the CLI's check) with the file and line, instead of a seal made inconclusive in production.
 */
const REFUSED_MODULES =
  /^(node:)?(net|http|https|http2|tls|dgram|dns|dns\/promises|child_process|cluster|worker_threads|inspector|vm)$/;
/** HTTP clients and drivers that would bypass the page and request fixtures. */
const REFUSED_PACKAGES = /^(undici|ws|node-fetch|axios|got|superagent)(\/.*)?$/;
/** The packages the seal function ships: a spec's bare imports must be among them. */
const SHIPPED = /^(@playwright\/test|playwright|playwright-core|@sparticuz\/chromium)(\/.*)?$/;

/**
 * Walks every import of `entries` (spec files, the team's config): relative files must exist and
 * compile; Node's network and process modules and HTTP clients are refused; at synth, a bare import
 * must be a package the seal function ships (on a laptop, any installed package). Returns the local
 * files of the graph, absolute. Throws PlaywrightSpecError naming `where`, the file and the line.
 */
export async function checkSpecImports(
  entries: readonly string[],
  baseDir: string,
  where: string,
  options: { readonly shippedPackagesOnly: boolean },
): Promise<string[]> {
  try {
    const result = await build({
      entryPoints: [...entries],
      bundle: true,
      write: false,
      outdir: '/nonexistent-out',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      metafile: true,
      plugins: [fence(options.shippedPackagesOnly)],
    });
    // The local files the graph holds (the spec files, their relative imports, the team's config).
    return Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes(':') && !input.split(/[\\/]/).includes('node_modules'))
      .map((input) => resolve(input));
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages?.length)
      throw new PlaywrightSpecError(`${where}: ${(error as Error).message}`, { cause: error });
    const lines = messages.slice(0, 5).map((message) => describe(message, baseDir));
    const more = messages.length > 5 ? `\n… and ${messages.length - 5} more` : '';
    throw new PlaywrightSpecError(`${where}: the spec cannot be used:\n${lines.join('\n')}${more}`, {
      cause: error,
    });
  }
}

function fence(shippedPackagesOnly: boolean): Plugin {
  return {
    name: 'smoke-seal-spec-fence',
    setup(builder) {
      builder.onResolve({ filter: REFUSED_MODULES }, (args) => ({
        errors: [
          {
            text: `imports "${args.path}", which is refused in a seal: spec code reaches the app through page and request only (behind the read-only guard)`,
          },
        ],
      }));
      builder.onResolve({ filter: REFUSED_PACKAGES }, (args) => ({
        errors: [
          { text: `imports "${args.path}", which is refused in a seal: use the page and request fixtures` },
        ],
      }));
      builder.onResolve({ filter: SHIPPED }, (args) => ({ path: args.path, external: true }));
      builder.onResolve(
        {
          filter:
            /^node:|^(fs|path|url|os|crypto|util|assert|events|stream|buffer|zlib|readline|timers|perf_hooks|string_decoder|querystring|module|process)(\/.*)?$/,
        },
        (args) => ({
          path: args.path,
          external: true,
        }),
      );
      builder.onResolve({ filter: /^[^./]/ }, (args) =>
        shippedPackagesOnly
          ? {
              errors: [
                {
                  text: `imports the package "${args.path}", which the seal function does not ship (it ships @playwright/test and playwright); import it relatively from the spec's folder or drop it`,
                },
              ],
            }
          : { path: args.path, external: true },
      );
    },
  };
}

function describe(message: Message, baseDir: string): string {
  const location = message.location;
  const at = location
    ? `${relative(baseDir, resolve(location.file)).split('\\').join('/')}:${location.line}:${location.column + 1}: `
    : '';
  const missing = /^Could not resolve "([^"]+)"/.exec(message.text);
  const text = missing ? `imports "${missing[1]}", which does not exist` : message.text;
  return `${at}${text}`;
}
