// biome-ignore-all lint/correctness/noEmptyPattern: a Playwright fixture names what it needs by destructuring; {} is none.
// Fixtures as teams write them: test-scoped and worker-scoped, an automatic one, an option, and mergeTests.
import { test as base, expect, mergeTests, type Page } from '@playwright/test';

export interface ShopOptions {
  greeting: string;
}

let workerSetups = 0;

export const shopTest = base.extend<
  ShopOptions & { productsPage: Page; autoLog: string[] },
  { workerToken: { id: number; setups: number } }
>({
  greeting: ['default greeting', { option: true }],
  productsPage: async ({ page }, use) => {
    await page.goto('/products');
    await expect(page.getByRole('listitem').first()).toBeVisible();
    await use(page);
  },
  workerToken: [
    async ({}, use, workerInfo) => {
      workerSetups += 1;
      await use({ id: workerInfo.workerIndex, setups: workerSetups });
    },
    { scope: 'worker' },
  ],
  autoLog: [
    async ({}, use) => {
      const log: string[] = ['auto fixture ran'];
      await use(log);
    },
    { auto: true },
  ],
});

export const headingTest = base.extend<{ homeHeading: string }>({
  homeHeading: async ({ page }, use) => {
    await page.goto('/');
    await use((await page.getByRole('heading', { level: 1 }).textContent()) ?? '');
  },
});

export const test = mergeTests(shopTest, headingTest);
export { expect };
