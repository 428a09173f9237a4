import { defineConfig } from '@playwright/test';
import { baseURL, launchOptions } from '../../chromium-launch';

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 15_000, toHaveScreenshot: { maxDiffPixelRatio: 0.01 } },
  workers: 2,
  use: { baseURL, launchOptions, viewport: { width: 640, height: 400 } },
});
