// The request fixture, page.request, and playwright.request.newContext: GET only.
import { expect, test } from '@playwright/test';

test('request fixture GETs the API', async ({ request }) => {
  const response = await request.get('/api/products');
  expect(response.ok()).toBe(true);
  expect(await response.json()).toHaveLength(3);
});

test('request carries the config extraHTTPHeaders', async ({ request }) => {
  const response = await request.get('/api/echo-headers');
  expect((await response.json()).headers).toMatchObject({ 'x-team': 'shop' });
});

test('page.request shares the page', async ({ page }) => {
  await page.goto('/');
  const response = await page.request.get('/api/products');
  await expect(response).toBeOK();
});

test('playwright.request.newContext', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'x-client': 'new-context' },
  });
  try {
    const products = await api.get('/api/products');
    await expect(products).toBeOK();
    const echo = await api.get('/api/echo-headers');
    expect((await echo.json()).headers).toMatchObject({ 'x-client': 'new-context' });
  } finally {
    await api.dispose();
  }
});
