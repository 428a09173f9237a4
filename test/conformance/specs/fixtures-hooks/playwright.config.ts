import { defineConfig } from '@playwright/test';
import { baseURL, launchOptions } from '../../chromium-launch';
import type { ShopOptions } from './shop-fixtures';

export default defineConfig<ShopOptions>({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // An option fixture set in the config; test.use overrides it in one describe.
  use: { baseURL, launchOptions, greeting: 'from the config' },
});
