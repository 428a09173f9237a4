import { defineConfig, devices } from '@playwright/test';
import { baseURL, launchOptions } from '../../chromium-launch';

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  use: { baseURL, launchOptions, testIdAttribute: 'data-qa', extraHTTPHeaders: { 'x-team': 'shop' } },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 720 } } },
    { name: 'mobile', use: { ...devices['Pixel 5'], launchOptions } },
  ],
});
