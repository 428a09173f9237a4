import { defineConfig } from 'vitest/config';

// `npm run test:lambda`: the Lambda-like run of what `cdk synth` writes (test/lambda/, docs/deploy.md).
export default defineConfig({
  test: {
    include: ['test/lambda/**/*.lambda.ts'],
    testTimeout: 300_000,
    hookTimeout: 1_200_000,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
