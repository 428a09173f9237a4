// Stock Playwright Test for the default lane: `npx playwright test e2e/qa_readonly.spec.ts` against the demo
// site (started here), or against your app with BASE_URL=https://… . Uses the Chromium inside
// @sparticuz/chromium, so nothing is downloaded. A team can copy this next to its own spec.

import { defineConfig } from '@playwright/test';
import chromium from '@sparticuz/chromium';

const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:4173';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  grep: /@qa-readonly/,
  fullyParallel: true,
  retries: 1,
  timeout: 15_000,
  reporter: [['list']],
  outputDir: '.smoke-seal/playwright-results',
  use: {
    baseURL,
    headless: true,
    serviceWorkers: 'block',
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: await chromium.executablePath(),
      // The seal's flags minus the insecure ones and --single-process: Playwright Test closes a context
      // per test, and a single-process Chromium dies with the first one (bench/run-peer.ts does the same).
      args: chromium.args.filter(
        (flag) =>
          ![
            '--single-process',
            '--disable-web-security',
            '--allow-running-insecure-content',
            '--disable-site-isolation-trials',
          ].includes(flag),
      ),
    },
  },
  ...(process.env.BASE_URL
    ? {}
    : {
        webServer: {
          command: 'npx tsx e2e/serve-demo-site.ts',
          url: `${baseURL}/up`,
          reuseExistingServer: true,
        },
      }),
});
