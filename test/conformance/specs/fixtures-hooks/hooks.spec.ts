// beforeAll / beforeEach / afterEach / afterAll, with fixtures (browser in beforeAll, page in beforeEach).
import { expect, test } from '@playwright/test';

const order: string[] = [];
let aboutTitle = '';

test.beforeAll(async ({ browser }) => {
  order.push('beforeAll');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/about');
  aboutTitle = await page.title();
  await context.close();
});

test.beforeEach(async ({ page }, testInfo) => {
  order.push(`beforeEach ${testInfo.title}`);
  await page.goto('/');
});

test.afterEach(async ({ page }, testInfo) => {
  order.push(`afterEach ${testInfo.title}`);
  expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
});

test.afterAll(async () => {
  expect(order[0]).toBe('beforeAll');
});

test.describe('hooks', () => {
  test.describe.configure({ mode: 'serial' });

  test('beforeAll used the browser fixture', async () => {
    expect(aboutTitle).toBe('About us');
  });

  test('beforeEach opened the home page', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
    expect(order).toContain('beforeEach beforeEach opened the home page');
  });

  test('afterEach ran after the previous test', async () => {
    expect(order).toContain('afterEach beforeEach opened the home page');
  });
});
