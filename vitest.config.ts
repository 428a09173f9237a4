import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Decompresses @sparticuz/chromium once, before workers race to do it.
    globalSetup: ['test/global-setup.ts'],
    // Deadlines with room: on a busy 2-core machine (CI right after a working day) a synth in a hook or a
    // seal in a test takes several times what it takes on a quiet one; a hung test still fails.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // Two cores here; Chromium-heavy files would starve each other beyond this.
    maxWorkers: 2,
    reporters: ['default'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
