import { afterEach, describe, expect, it, vi } from 'vitest';

const CONFIG = JSON.stringify({
  apps: [{ name: 'studio', url: 'https://studio.example.com', discordThreadId: '112233445566778899' }],
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the relay Lambda entry', () => {
  it('fails at start naming the missing environment variable', async () => {
    vi.stubEnv('SMOKE_SEAL_CONFIG', CONFIG);
    vi.stubEnv('SEAL_TABLE_NAME', '');
    await expect(import('../../functions/relay/handler')).rejects.toThrow(/SEAL_TABLE_NAME/);
  });

  it('builds its adapters once at load, with no secret configured, and exports a handler', async () => {
    vi.stubEnv('SMOKE_SEAL_CONFIG', CONFIG);
    vi.stubEnv('SEAL_TABLE_NAME', 'seals');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const module = await import('../../functions/relay/handler');
    expect(typeof module.handler).toBe('function');
    // An empty batch touches nothing.
    expect(await module.handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });
});
