// The default lane as a Playwright Test spec: read-only, tagged @qa-readonly. Runs unchanged under
// `npx playwright test e2e/qa_readonly.spec.ts` (playwright.config.ts) and inside a seal (`run --spec`).
import { expect, test } from '@playwright/test';

test.describe('smoke @qa-readonly', () => {
  test('home renders', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.ok(), 'the home page answers 2xx').toBe(true);
    await expect(page.getByRole('heading').first()).toBeVisible();
    await expect(page).toHaveTitle(/\S/);
  });

  test('sign-in renders', async ({ page }) => {
    const response = await page.goto('/sign_in');
    expect(response?.ok(), 'the sign-in page answers 2xx').toBe(true);
    await expect(page.getByRole('form').first()).toBeVisible();
    await expect(page).toHaveTitle(/\S/);
  });

  test('tasks renders', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    const response = await page.goto('/tasks');
    expect(response?.ok(), 'the tasks page answers 2xx').toBe(true);
    await expect(page.getByRole('list').first()).toBeVisible();
    await expect(page).toHaveTitle(/\S/);
    expect(errors, 'uncaught exceptions on the tasks page').toEqual([]);
  });

  test('/up answers 200', async ({ request }) => {
    const response = await request.get('/up');
    expect(response.status()).toBe(200);
  });

  test('/devops answers 404', async ({ request }) => {
    const response = await request.get('/devops', { maxRedirects: 0 });
    expect(response.status(), 'the admin surface must not be exposed').toBe(404);
  });

  test('/devops/cycle answers 404', async ({ request }) => {
    const response = await request.get('/devops/cycle', { maxRedirects: 0 });
    expect(response.status(), 'the admin surface must not be exposed').toBe(404);
  });
});
