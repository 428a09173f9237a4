import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const CONFIG = JSON.stringify({
  apps: [{ name: 'studio', url: 'https://studio.example.com', discordThreadId: '112233445566778899' }],
});

/** A folder laid out as the configuration layer (lib/config-layer.ts). */
let configDir: string;
beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'relay-config-'));
  writeFileSync(join(configDir, 'deploy-config.json'), CONFIG);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the relay Lambda entry', () => {
  it('fails at start naming the missing environment variable', async () => {
    vi.stubEnv('SMOKE_SEAL_CONFIG_DIR', configDir);
    vi.stubEnv('SEAL_TABLE_NAME', '');
    await expect(import('../../functions/relay/handler')).rejects.toThrow(/SEAL_TABLE_NAME/);
  });

  it('builds its adapters once at load, with no secret configured, and exports a handler', async () => {
    vi.stubEnv('SMOKE_SEAL_CONFIG_DIR', configDir);
    vi.stubEnv('SEAL_TABLE_NAME', 'seals');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const module = await import('../../functions/relay/handler');
    expect(typeof module.handler).toBe('function');
    // An empty batch touches nothing.
    expect(await module.handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });
});

describe('the relay Lambda entry without its configuration layer', () => {
  it('fails at start naming the file it could not read', async () => {
    vi.stubEnv('SMOKE_SEAL_CONFIG_DIR', join(tmpdir(), 'no-such-layer'));
    vi.stubEnv('SEAL_TABLE_NAME', 'seals');
    await expect(import('../../functions/relay/handler')).rejects.toThrow(
      /no-such-layer\/deploy-config\.json: cannot be read/,
    );
  });
});
