// test.use options and the config's use and projects: locale, timezoneId, viewport, storageState,
// extraHTTPHeaders, devices['Pixel 5'] / isMobile, colorScheme, javaScriptEnabled, testIdAttribute.
import { devices, expect, test } from '@playwright/test';

test('testIdAttribute from the config', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('promo')).toHaveText('Spring sale');
});

test('the project decides the viewport', async ({ page }, testInfo) => {
  await page.goto('/browser');
  const width = testInfo.project.name === 'mobile' ? '393' : '1280';
  await expect(page.locator('#width')).toHaveText(width);
});

test('a test gated on the project name', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'mobile', 'mobile only');
  await page.goto('/browser');
  await expect(page.locator('#mobile')).toHaveText('mobile');
  await expect(page.locator('#touch')).toHaveText('true');
});

test.describe('locale and time zone', () => {
  test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  test('the page sees them', async ({ page }) => {
    await page.goto('/browser');
    await expect(page.locator('#language')).toHaveText('de-DE');
    await expect(page.locator('#timeZone')).toHaveText('Europe/Berlin');
    await expect(page.locator('#number')).toHaveText('1.234,5');
  });
});

test.describe('viewport', () => {
  test.use({ viewport: { width: 800, height: 600 } });
  test('test.use viewport wins over the project', async ({ page }) => {
    await page.goto('/browser');
    await expect(page.locator('#width')).toHaveText('800');
  });
});

test.describe('colour scheme', () => {
  test.use({ colorScheme: 'dark' });
  test('dark', async ({ page }) => {
    await page.goto('/browser');
    await expect(page.locator('#scheme')).toHaveText('dark');
  });
});

test.describe('JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  test('the noscript text shows', async ({ page }) => {
    await page.goto('/browser');
    await expect(page.locator('#noscript')).toHaveText('JavaScript is off');
  });
});

test.describe('storageState', () => {
  test.use({
    storageState: {
      cookies: [
        {
          name: 'session',
          value: 'ada',
          domain: '127.0.0.1',
          path: '/',
          expires: -1,
          httpOnly: false,
          secure: false,
          sameSite: 'Lax',
        },
      ],
      origins: [],
    },
  });
  test('signed in from the state', async ({ page }) => {
    await page.goto('/account');
    await expect(page.locator('#who')).toHaveText('Signed in as Ada');
  });
});

test.describe('storageState from a file', () => {
  test.use({ storageState: new URL('./signed-in.json', import.meta.url).pathname });
  test('signed in from the file', async ({ page }) => {
    await page.goto('/account');
    await expect(page.locator('#who')).toHaveText('Signed in as Ada');
  });
});

test.describe('extraHTTPHeaders', () => {
  test.use({ extraHTTPHeaders: { 'x-team': 'shop', 'x-trace': 'conformance' } });
  test('on the page and on request', async ({ page, request }) => {
    const fromPage = await page.goto('/api/echo-headers');
    expect((await fromPage!.json()).headers).toMatchObject({ 'x-team': 'shop', 'x-trace': 'conformance' });
    const fromRequest = await request.get('/api/echo-headers');
    expect((await fromRequest.json()).headers).toMatchObject({ 'x-team': 'shop', 'x-trace': 'conformance' });
  });
});

// A device's defaultBrowserType cannot be set in a describe (it would force a new worker): the rest can.
const { defaultBrowserType: _browser, ...pixel5 } = devices['Pixel 5'];

test.describe('a device in test.use', () => {
  test.use(pixel5);
  test('Pixel 5 is mobile', async ({ page, isMobile }) => {
    expect(isMobile).toBe(true);
    await page.goto('/browser');
    await expect(page.locator('#width')).toHaveText('393');
    await expect(page.locator('#mobile')).toHaveText('mobile');
  });
});
