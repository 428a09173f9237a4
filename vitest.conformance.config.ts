import { defineConfig } from 'vitest/config';

// `npm run test:conformance`: stock Playwright Test and a seal, same specs, same site, same verdicts
// (test/conformance/, docs/spec.md "Conformance"). Slow by nature: each case runs Chromium twice per site state.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.conformance.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 1_500_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    reporters: ['default'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
