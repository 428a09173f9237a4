// biome-ignore-all lint/suspicious/noFocusedTests: this case is about test.only.
// test.only: only the focused test runs; the others are not run at all.
import { expect, test } from '@playwright/test';

test.only('focused test runs', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
});

test('unfocused test does not run', async () => {
  throw new Error('must not run while another test is focused');
});

test.describe
  .only('focused group', () => {
    test('runs too', async ({ page }) => {
      await page.goto('/about');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('About us');
    });
  });
