// expect: web-first assertions, soft, poll, toPass, toHaveScreenshot (baseline in expect.spec.ts-snapshots/),
// toMatchAriaSnapshot inline and from a file.
import { expect, test } from '@playwright/test';

test('web-first assertions', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Conformance shop');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Conformance/);
  await expect(page.locator('#details')).toBeHidden();
  await page.getByRole('button', { name: 'Show details' }).click();
  await expect(page.locator('#details')).toBeVisible();
  await expect(page.locator('#details')).toContainText('Free shipping');
  await expect(page.getByRole('checkbox', { name: 'I agree' })).not.toBeChecked();
  await page.getByRole('checkbox', { name: 'I agree' }).check();
  await expect(page.getByRole('checkbox', { name: 'I agree' })).toBeChecked();
  await expect(page.getByRole('link')).toHaveCount(3);
});

test('a list from the API', async ({ page }) => {
  await page.goto('/products');
  await expect(page.getByRole('listitem')).toHaveText(['Oak desk', 'Linen lamp', 'Wool rug']);
});

test('soft assertions', async ({ page }) => {
  await page.goto('/');
  await expect.soft(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
  await expect.soft(page).toHaveTitle('Conformance shop');
  expect(test.info().errors).toHaveLength(0);
});

test('expect.poll', async ({ page }) => {
  await page.goto('/counter');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { currentCount(): number }).currentCount()), {
      timeout: 20_000,
    })
    .toBe(5);
});

test('toPass', async ({ page }) => {
  await page.goto('/counter');
  await expect(async () => {
    expect(await page.locator('#count').textContent()).toBe('5');
  }).toPass({ timeout: 20_000 });
});

test('toHaveScreenshot against the committed baseline', async ({ page }) => {
  await page.goto('/visual');
  await expect(page).toHaveScreenshot('visual.png');
});

test('toMatchAriaSnapshot inline', async ({ page }) => {
  await page.goto('/aria');
  await expect(page.getByRole('navigation', { name: 'Help topics' })).toMatchAriaSnapshot(`
    - navigation "Help topics":
      - list:
        - listitem:
          - link "Orders"
        - listitem:
          - link "Returns"
        - listitem:
          - link "Contact"
  `);
});

test('toMatchAriaSnapshot from a file', async ({ page }) => {
  await page.goto('/aria');
  await expect(page.getByRole('main')).toMatchAriaSnapshot({ name: 'help-main.aria.yml' });
});
