// The peer: the default spec's six checks as a Playwright Test suite, run by its own runner.
// The bench passes everything in: the demo site's URL, the same Chromium, its flags, where output goes.
import { defineConfig } from '@playwright/test';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through npm run bench`);
  return value;
}

export default defineConfig({
  testDir: '.',
  testMatch: 'smoke.spec.ts',
  fullyParallel: true,
  // Unset means Playwright's default: half the logical cores.
  workers: process.env.PEER_WORKERS ? Number(process.env.PEER_WORKERS) : undefined,
  retries: 1,
  timeout: 15_000,
  outputDir: required('PEER_OUTPUT_DIR'),
  reporter: [['json', { outputFile: `${required('PEER_OUTPUT_DIR')}/report.json` }]],
  use: {
    baseURL: required('PEER_BASE_URL'),
    headless: true,
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
    screenshot: 'off',
    trace: 'off',
    video: 'off',
    launchOptions: {
      executablePath: required('PEER_EXECUTABLE_PATH'),
      args: JSON.parse(required('PEER_CHROMIUM_ARGS')) as string[],
    },
  },
});
