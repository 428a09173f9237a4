// `npx cdk synth` for real: the CLI, bin/app.ts, local esbuild bundling and npm ci of the shipped node modules.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

interface Synth {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

let work: string;
let dockerLog: string;

/** Runs the CDK CLI with a `docker` on PATH that only records being called. */
function cdkSynth(outdir: string, ...extra: string[]): Synth {
  const started = Date.now();
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir, ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH}` },
    // Four bundles and an npm ci: minutes on the shared 2-core machine under load. Room, not a timing.
    timeout: 600_000,
  });
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    seconds: (Date.now() - started) / 1000,
  };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'smoke-seal-synth-'));
  dockerLog = join(work, 'docker-calls.log');
  const fakeDocker = join(work, 'bin', 'docker');
  spawnSync('mkdir', ['-p', join(work, 'bin')]);
  writeFileSync(fakeDocker, `#!/bin/sh\necho "$@" >> '${dockerLog}'\nexit 1\n`);
  chmodSync(fakeDocker, 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('npx cdk synth with the cdk.json example', () => {
  let synth: Synth;
  let outdir: string;
  let template: Template;

  beforeAll(() => {
    outdir = join(work, 'cdk.out');
    synth = cdkSynth(outdir);
    if (synth.status === 0)
      template = JSON.parse(readFileSync(join(outdir, 'SmokeSeal.template.json'), 'utf8'));
  }, 620_000);

  /** The asset directory of the seal or the relay function, found by its description. */
  function assetOf(kind: 'seal' | 'relay'): string {
    return join(outdir, `asset.${codeKeys(template)[kind].replace(/\.zip$/, '')}`);
  }

  /** The configuration layer's folder as Lambda mounts it (/opt/smoke-seal). */
  function configLayerDir(): string {
    return join(outdir, `asset.${codeKeys(template).layer.replace(/\.zip$/, '')}`, 'smoke-seal');
  }

  it('succeeds, bundling on this machine without ever calling Docker', () => {
    expect(synth.output).not.toMatch(/docker/i);
    expect(synth.status, synth.output).toBe(0);
    expect(existsSync(dockerLog)).toBe(false);
    // Reported, not asserted tightly: the machine is shared.
    console.info(`cdk synth with bundling took ${synth.seconds.toFixed(1)} s`);
  });

  it('ships @sparticuz/chromium (with its browser) and playwright-core next to the seal bundle', () => {
    const asset = assetOf('seal');
    expect(existsSync(join(asset, 'index.mjs'))).toBe(true);
    expect(existsSync(join(asset, 'node_modules/@sparticuz/chromium/bin/chromium.br'))).toBe(true);
    expect(existsSync(join(asset, 'node_modules/playwright-core/package.json'))).toBe(true);
    const bundle = readFileSync(join(asset, 'index.mjs'), 'utf8');
    // Shipped, not bundled: the bundle imports them by name.
    expect(bundle).toMatch(/from\s*["']@sparticuz\/chromium["']/);
    expect(bundle).toMatch(/from\s*["']playwright-core["']/);
  });

  it("ships the example app's Playwright spec as it is in the configuration layer, with its config and a manifest, and playwright beside the seal bundle to run it", () => {
    const asset = assetOf('seal');
    const dir = join(configLayerDir(), 'playwright-specs/studio');
    expect(existsSync(join(asset, 'node_modules/playwright/cli.js'))).toBe(true);
    expect(readFileSync(join(dir, 'e2e/qa_readonly.spec.ts'), 'utf8')).toContain("test('home renders'");
    expect(JSON.parse(readFileSync(join(dir, 'smoke-seal-spec.json'), 'utf8'))).toEqual({
      specPaths: ['e2e/qa_readonly.spec.ts'],
      teamConfig: 'playwright.config.ts',
      grep: '@qa-readonly',
    });
    // The config uses top-level await: the copy keeps the repository's "type": "module".
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    // Staged as the function stages it (bundled-playwright-specs.ts): beside a link to the function's
    // packages, `@playwright/test` resolves to the copy's shim and through it to the function's playwright.
    const staged = join(work, 'staged');
    mkdirSync(staged, { recursive: true });
    cpSync(dir, join(staged, 'studio'), { recursive: true });
    symlinkSync(join(asset, 'node_modules'), join(staged, 'node_modules'), 'dir');
    const result = spawnSync(
      process.execPath,
      ['-e', "console.log(require.resolve('@playwright/test'), require.resolve('playwright/test'))"],
      { cwd: join(staged, 'studio', 'e2e'), encoding: 'utf8' },
    );
    expect(result.stdout, result.stderr).toContain(join(staged, 'studio', 'node_modules/@playwright/test'));
    expect(result.stdout).toContain(join(realpathSync(asset), 'node_modules/playwright'));
  });

  it('keeps the deployment configuration out of the bundles, in the configuration layer', () => {
    for (const kind of ['seal', 'relay'] as const) {
      const bundle = readFileSync(join(assetOf(kind), 'index.mjs'), 'utf8');
      expect(bundle).not.toContain('shop.example.com');
    }
    const config = JSON.parse(readFileSync(join(configLayerDir(), 'deploy-config.json'), 'utf8'));
    expect(config.apps.map((app: { name: string }) => app.name)).toEqual(['studio', 'shop']);
  });

  it('changes only the configuration layer when an app is added: every code asset, Chromium included, keeps its hash', () => {
    const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8'));
    const more = structuredClone(cdkJson.context.smokeSeal);
    more.apps.push({ name: 'one-more', url: 'https://one-more.example.com' });
    const moreOut = join(work, 'cdk-more.out');
    const again = cdkSynth(moreOut, '--context', `smokeSeal=${JSON.stringify(more)}`);
    expect(again.status, again.output).toBe(0);
    const before = codeKeys(template);
    const after = codeKeys(JSON.parse(readFileSync(join(moreOut, 'SmokeSeal.template.json'), 'utf8')));
    for (const kind of ['seal', 'relay', 'fanOut', 'check'] as const) expect(after[kind]).toBe(before[kind]);
    expect(after.layer).not.toBe(before.layer);
  }, 1_240_000);

  it('gives the relay a bundle with no node_modules to install', () => {
    expect(existsSync(join(assetOf('relay'), 'node_modules'))).toBe(false);
  });

  it('produces an ES module bundle that loads and exports the handler', () => {
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('./index.mjs'); console.log(typeof m.handler);"],
      {
        cwd: assetOf('seal'),
        encoding: 'utf8',
        env: {
          ...process.env,
          SEAL_TABLE_NAME: 'seals',
          EVIDENCE_BUCKET_NAME: 'evidence',
          SEAL_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:seals',
          DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
          SEAL_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/seals',
          SMOKE_SEAL_CONFIG_DIR: configLayerDir(),
          AWS_REGION: 'eu-west-1',
        },
      },
    );
    expect(result.stdout.trim(), result.stderr).toBe('function');
  });
});

describe('npx cdk synth with a bad configuration', () => {
  it.each([
    [
      'a missing spec file',
      { files: 'e2e/nope.spec.ts' },
      'smokeSeal.apps[0].spec.playwright.files: "e2e/nope.spec.ts" does not exist',
    ],
    [
      'no test matching grep',
      { files: 'e2e/qa_readonly.spec.ts', grep: '@nightly-only' },
      'smokeSeal.apps[0].spec.playwright.grep: no test in ',
    ],
  ])(
    'fails before bundling on %s in spec.playwright, naming the field',
    (_what, playwright, message) => {
      const bad = JSON.stringify({
        apps: [{ name: 'shop', url: 'https://shop.example.com', spec: { playwright } }],
      });
      const synth = cdkSynth(join(work, 'bad-spec.out'), '--context', `smokeSeal=${bad}`);
      expect(synth.status).not.toBe(0);
      expect(synth.output).toContain(message);
      expect(synth.output).not.toContain('Bundling asset');
    },
    620_000,
  );

  // A second synth (it stops before bundling, but still loads the CDK app): room for a busy machine.
  it('fails before bundling, naming the field and the fix', () => {
    const bad = JSON.stringify({ apps: [{ name: 'shop', url: 'http://shop.example.com' }] });
    const synth = cdkSynth(join(work, 'bad.out'), '--context', `smokeSeal=${bad}`);
    expect(synth.status).not.toBe(0);
    expect(synth.output).toContain(
      'smokeSeal.apps[0].url: expected an https URL (http only for 127.0.0.1/localhost, or with "allowHttp": true for an app on a private network), got "http://shop.example.com"',
    );
    expect(synth.output).not.toContain('Bundling asset');
  }, 620_000);
});

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

/** The S3 keys (content hashes) of the four functions' code and of the configuration layer. */
function codeKeys(template: Template): Record<'seal' | 'relay' | 'fanOut' | 'check' | 'layer', string> {
  const resources = Object.values(template.Resources);
  const fn = (part: string) => {
    const found = resources.find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && String(resource.Properties.Description).includes(part),
    );
    if (!found) throw new Error(`no function described "${part}" in the template`);
    return (found.Properties.Code as { S3Key: string }).S3Key;
  };
  const layer = resources.find((resource) => resource.Type === 'AWS::Lambda::LayerVersion');
  if (!layer) throw new Error('no configuration layer in the template');
  return {
    seal: fn('seals a release'),
    relay: fn('relays'),
    fanOut: fn('nightly fan-out'),
    check: fn('missing-seal check'),
    layer: (layer.Properties.Content as { S3Key: string }).S3Key,
  };
}
