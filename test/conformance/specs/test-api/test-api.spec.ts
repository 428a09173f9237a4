// test(), describe, the modifiers (skip, fixme, fail, slow), steps, testInfo, console output, outputPath,
// page.screenshot({ path }).
import { readFile, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('home shows the shop heading', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
});

test.describe('navigation', () => {
  test('about page opens from the nav', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: 'About' }).click();
    await expect(page).toHaveURL(/\/about$/);
    await expect(page.getByRole('heading', { name: 'About us' })).toBeVisible();
  });

  test.describe('nested', () => {
    test('products link is there', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('link', { name: 'Products' })).toHaveAttribute('href', '/products');
    });
  });
});

test.skip('skipped outright', async ({ page }) => {
  await page.goto('/nowhere');
  throw new Error('never runs');
});

test('skipped on a condition', async ({ page, browserName }) => {
  test.skip(browserName === 'chromium', 'chromium only in this run');
  await page.goto('/nowhere');
});

test.fixme('fixme outright', async () => {
  throw new Error('never runs');
});

test('expected to fail and failing', async ({ page }) => {
  test.fail(true, 'the about page has no cart');
  await page.goto('/about');
  await expect(page.getByRole('button', { name: 'Cart' })).toBeVisible({ timeout: 1_000 });
});

test('slow test', async ({ page }) => {
  test.slow();
  expect(test.info().timeout).toBe(3 * 60_000);
  await page.goto('/');
});

test('steps, nested', async ({ page }) => {
  const seen: string[] = [];
  await test.step('open home', async () => {
    await page.goto('/');
    seen.push('open');
    await test.step('check heading', async () => {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Conformance shop');
      seen.push('heading');
    });
  });
  const value = await test.step('a step returns a value', async () => 42);
  expect(value).toBe(42);
  expect(seen).toEqual(['open', 'heading']);
});

test('testInfo: title, annotations, attachments, project', async ({ page }, testInfo) => {
  expect(testInfo.title).toBe('testInfo: title, annotations, attachments, project');
  expect(testInfo.titlePath.at(-1)).toBe(testInfo.title);
  testInfo.annotations.push({ type: 'issue', description: 'conformance' });
  expect(typeof testInfo.project.name).toBe('string');
  expect(testInfo.retry).toBe(0);
  await page.goto('/');
  await testInfo.attach('note', { body: 'hello', contentType: 'text/plain' });
  expect(testInfo.attachments.some((a) => a.name === 'note')).toBe(true);
});

test('console.log in a test', async ({ page }) => {
  console.log('a line from the spec: it goes to the log, not to the seal JSON');
  console.error('and one on stderr');
  await page.goto('/');
});

test('testInfo.outputPath and page.screenshot({ path })', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('notes.txt');
  await writeFile(file, 'written by the test');
  expect(await readFile(file, 'utf8')).toBe('written by the test');
  await page.goto('/');
  const shot = testInfo.outputPath('home.png');
  const bytes = await page.screenshot({ path: shot });
  expect((await readFile(shot)).length).toBe(bytes.length);
});
