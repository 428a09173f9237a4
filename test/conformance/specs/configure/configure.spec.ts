// describe.configure (serial, parallel, retries) and the config's retries.
import { expect, test } from '@playwright/test';

test.describe('serial', () => {
  test.describe.configure({ mode: 'serial' });
  let heading = '';

  test('first reads the heading', async ({ page }) => {
    await page.goto('/');
    heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    expect(heading).toBe('Conformance shop');
  });

  test('second sees what the first read', async () => {
    expect(heading).toBe('Conformance shop');
  });
});

test.describe('parallel', () => {
  test.describe.configure({ mode: 'parallel' });

  test('about', async ({ page }) => {
    await page.goto('/about');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('About us');
  });

  test('products', async ({ page }) => {
    await page.goto('/products');
    await expect(page.getByRole('listitem')).toHaveCount(3);
  });
});

test.describe('describe.configure retries', () => {
  test.describe.configure({ retries: 2 });

  test('passes on its second attempt (flaky)', async ({ page }, testInfo) => {
    expect(testInfo.project.retries).toBe(1);
    await page.goto('/');
    if (testInfo.retry === 0) throw new Error('first attempt fails on purpose');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
  });
});

test('config retries: passes on its retry', async ({ page }, testInfo) => {
  await page.goto('/about');
  expect(testInfo.retry).toBeLessThanOrEqual(1);
  if (testInfo.retry === 0) throw new Error('first attempt fails on purpose');
});

test('fresh context per test: nothing left from another test', async ({ page, context }) => {
  expect(await context.cookies()).toEqual([]);
  await page.goto('/');
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await page.evaluate(() => localStorage.setItem('left', 'behind'));
});

test('fresh context per test: the other order', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => localStorage.getItem('left'))).toBeNull();
  await page.evaluate(() => localStorage.setItem('left', 'behind'));
});
