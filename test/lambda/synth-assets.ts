// Runs `cdk synth` (the CLI, offline) into a fresh folder and reads back what it wrote: the template and each function's asset.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../lib/function-bundling';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** One AWS::Lambda::Function of the template with the folder `cdk synth` bundled its code into. */
export interface SynthesizedFunction {
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
  /** Absolute path of the asset folder in the output (index.mjs, node_modules/...). */
  readonly assetDir: string;
  /** The asset folders of its layers (the configuration layer), in order; Lambda mounts them at /opt. */
  readonly layerDirs: readonly string[];
}

export interface Synthesis {
  readonly outDir: string;
  readonly template: CfnTemplate;
  readonly functions: readonly SynthesizedFunction[];
}

const run = promisify(execFile);

/**
 * `cdk synth` with `config` as the "smokeSeal" context (cdk.json's feature flags stay), written to
 * `outDir`. The CLI is the project's own (node_modules/aws-cdk), so nothing is downloaded.
 */
export async function synthesize(config: unknown, outDir: string, stackId = 'SmokeSeal'): Promise<Synthesis> {
  const cdk = join(PROJECT_ROOT, 'node_modules/aws-cdk/bin/cdk');
  try {
    await run(
      process.execPath,
      [cdk, 'synth', '--quiet', '--output', outDir, '--context', `smokeSeal=${JSON.stringify(config)}`],
      {
        cwd: PROJECT_ROOT,
        maxBuffer: 16 * 1024 * 1024,
        // Bundling runs `npm ci` for the seal function; on a loaded machine that alone took minutes.
        timeout: 900_000,
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      },
    );
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`cdk synth failed: ${(stderr ?? String(error)).slice(-4000)}`, { cause: error });
  }
  const template = JSON.parse(
    await readFile(join(outDir, `${stackId}.template.json`), 'utf8'),
  ) as CfnTemplate;
  const functions = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') throw new Error(`${logicalId}: no aws:asset:path metadata`);
      const layers = ((resource.Properties?.Layers as { Ref?: string }[] | undefined) ?? []).map((layer) => {
        const layerPath = layer.Ref ? template.Resources[layer.Ref]?.Metadata?.['aws:asset:path'] : undefined;
        if (typeof layerPath !== 'string')
          throw new Error(`${logicalId}: a layer without aws:asset:path metadata`);
        return join(outDir, layerPath);
      });
      return {
        logicalId,
        properties: resource.Properties ?? {},
        assetDir: join(outDir, assetPath),
        layerDirs: layers,
      };
    });
  return { outDir, template, functions };
}

/** The function whose construct path (aws:cdk:path) contains `part`, e.g. "/Seal/". */
export function functionAt(synthesis: Synthesis, part: string): SynthesizedFunction {
  const found = synthesis.functions.filter((fn) =>
    String(synthesis.template.Resources[fn.logicalId]?.Metadata?.['aws:cdk:path']).includes(part),
  );
  if (found.length !== 1) throw new Error(`expected one function at "${part}", found ${found.length}`);
  return found[0]!;
}
