// The seal function's deployment asset, from a synthesis of the CDK app into a private folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type BundleSize =
  | {
      readonly measured: true;
      readonly functionId: string;
      /** Function code plus its layers, as Lambda counts them against 250 MB. */
      readonly unzippedBytes: number;
      readonly zippedBytes: number;
      readonly parts: readonly {
        readonly what: string;
        readonly unzippedBytes: number;
        readonly zippedBytes: number;
      }[];
      readonly synthMs: number;
    }
  | { readonly measured: false; readonly reason: string };

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * Runs cdk.json's app command with the environment `cdk synth` gives it (CDK_OUTDIR,
 * CDK_CONTEXT_JSON), so no CLI runs and nothing leaves the machine; then measures the seal
 * function's zip asset and those of its layers.
 */
export async function measureBundle(repoRoot: string): Promise<BundleSize> {
  const cdkJsonPath = join(repoRoot, 'cdk.json');
  if (!existsSync(cdkJsonPath))
    return { measured: false, reason: 'no cdk.json yet (the stack is being built)' };
  const cdkJson = JSON.parse(await readFile(cdkJsonPath, 'utf8')) as { app?: string; context?: object };
  if (!cdkJson.app) return { measured: false, reason: 'cdk.json has no "app" command' };
  const outDir = await mkdtemp('/tmp/smoke-seal-bench-cdk-');
  try {
    const started = performance.now();
    try {
      await run('sh', ['-c', cdkJson.app], {
        cwd: repoRoot,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          CDK_OUTDIR: outDir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context }),
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      return { measured: false, reason: `synthesis failed: ${lastLines(stderr)}` };
    }
    const synthMs = performance.now() - started;
    const size = await measureSealAsset(outDir);
    return size.measured ? { ...size, synthMs } : size;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function measureSealAsset(outDir: string): Promise<BundleSize> {
  const files = await readdir(outDir);
  const assetPaths = new Map<string, string>();
  for (const file of files.filter((name) => name.endsWith('.assets.json'))) {
    const manifest = JSON.parse(await readFile(join(outDir, file), 'utf8')) as {
      files?: Record<string, { source: { path: string } }>;
    };
    for (const [hash, entry] of Object.entries(manifest.files ?? {})) {
      assetPaths.set(hash, join(outDir, entry.source.path));
    }
  }
  const functions: { id: string; resources: Record<string, Resource>; props: Record<string, unknown> }[] = [];
  for (const file of files.filter((name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(await readFile(join(outDir, file), 'utf8')) as {
      Resources?: Record<string, Resource>;
    };
    const resources = template.Resources ?? {};
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::Lambda::Function')
        functions.push({ id, resources, props: resource.Properties ?? {} });
    }
  }
  const seal =
    functions.find((fn) => /seal/i.test(fn.id) && !/relay|custom|provider|log/i.test(fn.id)) ?? null;
  if (!seal) {
    return {
      measured: false,
      reason: `no seal function among the synthesized Lambda functions (${functions.map((fn) => fn.id).join(', ') || 'none'})`,
    };
  }
  const parts: { what: string; unzippedBytes: number; zippedBytes: number }[] = [];
  const codeKey = s3KeyOf((seal.props.Code as Record<string, unknown> | undefined)?.S3Key);
  const codePath = codeKey ? assetPaths.get(codeKey) : undefined;
  if (!codePath)
    return { measured: false, reason: `the seal function ${seal.id} has no file asset in cdk.out` };
  parts.push({ what: `function ${seal.id}`, ...(await sizeOf(codePath)) });
  for (const layer of (seal.props.Layers as unknown[] | undefined) ?? []) {
    const ref = (layer as { Ref?: string }).Ref;
    const content = ref
      ? (seal.resources[ref]?.Properties?.Content as Record<string, unknown> | undefined)
      : undefined;
    const key = s3KeyOf(content?.S3Key);
    const path = key ? assetPaths.get(key) : undefined;
    if (path) parts.push({ what: `layer ${ref}`, ...(await sizeOf(path)) });
    else
      parts.push({
        what: `layer ${JSON.stringify(layer)} (not in this app: not measured)`,
        unzippedBytes: 0,
        zippedBytes: 0,
      });
  }
  return {
    measured: true,
    functionId: seal.id,
    unzippedBytes: parts.reduce((sum, part) => sum + part.unzippedBytes, 0),
    zippedBytes: parts.reduce((sum, part) => sum + part.zippedBytes, 0),
    parts,
    synthMs: 0,
  };
}

/** "abc123.zip" or { "Fn::Sub": "abc123.zip" } -> "abc123". */
function s3KeyOf(value: unknown): string | null {
  const text =
    typeof value === 'string' ? value : (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (typeof text !== 'string') return null;
  return /([0-9a-f]{64})\.zip$/.exec(text)?.[1] ?? null;
}

/** A directory asset is zipped at deploy time: zip it the same way (deflate, level 9) to know its size. */
async function sizeOf(path: string): Promise<{ unzippedBytes: number; zippedBytes: number }> {
  const info = await stat(path);
  if (info.isFile()) {
    const { stdout } = await run('unzip', ['-Zt', path]);
    const unzipped = Number(/(\d+) bytes uncompressed/.exec(stdout)?.[1] ?? Number.NaN);
    return { unzippedBytes: unzipped, zippedBytes: info.size };
  }
  const zipDir = await mkdtemp('/tmp/smoke-seal-bench-zip-');
  try {
    const zipPath = join(zipDir, 'asset.zip');
    await run('zip', ['-r', '-9', '-q', '-X', zipPath, '.'], { cwd: path, maxBuffer: 16 * 1024 * 1024 });
    return { unzippedBytes: await treeBytes(path), zippedBytes: (await stat(zipPath)).size };
  } finally {
    await rm(zipDir, { recursive: true, force: true });
  }
}

async function treeBytes(path: string): Promise<number> {
  const info = await lstat(path);
  if (!info.isDirectory()) return info.isFile() ? info.size : 0;
  let total = 0;
  for (const entry of await readdir(path)) total += await treeBytes(join(path, entry));
  return total;
}

/** The error's own line if there is one (not its stack), else the last lines. */
function lastLines(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const error = lines.find((line) => /^(\w*Error|Error)\b|error TS\d+|Cannot find/i.test(line));
  return (error ?? lines.slice(-3).join(' / ')).slice(0, 400);
}
