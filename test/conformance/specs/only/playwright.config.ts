import { defineConfig } from '@playwright/test';
import { baseURL, launchOptions } from '../../chromium-launch';

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  workers: 1,
  use: { baseURL, launchOptions },
});
