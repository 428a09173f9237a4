// The six checks of e2e/default-spec.ts as a team would write them for a Playwright Test smoke lane.
import { expect, type Page, test } from '@playwright/test';

const pages = [
  { name: 'home', path: '/', role: 'heading' },
  { name: 'sign-in', path: '/sign_in', role: 'form' },
  { name: 'tasks', path: '/tasks', role: 'list' },
] as const;

const statuses = [
  { name: 'up', path: '/up', status: 200 },
  { name: 'devops', path: '/devops', status: 404 },
  { name: 'devops-cycle', path: '/devops/cycle', status: 404 },
] as const;

/** Read-only, like the seal: mutating requests and WebSockets never leave the browser. */
async function guard(page: Page): Promise<void> {
  await page
    .context()
    .route('**/*', (route) =>
      ['GET', 'HEAD', 'OPTIONS'].includes(route.request().method()) ? route.fallback() : route.abort(),
    );
  await page.context().routeWebSocket(/.*/, (socket) => socket.close());
}

for (const check of pages) {
  test(`${check.name} renders`, async ({ page }) => {
    await guard(page);
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    const response = await page.goto(check.path, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);
    await expect(page.getByRole(check.role).first()).toBeVisible();
    expect((await page.title()).trim()).not.toBe('');
    expect(errors).toEqual([]);
    await page.screenshot({ type: 'png' });
  });
}

for (const check of statuses) {
  test(`${check.path} answers ${check.status}`, async ({ page }) => {
    await guard(page);
    const response = await page.goto(check.path, { waitUntil: 'load' });
    expect(response?.status()).toBe(check.status);
    await page.screenshot({ type: 'png' });
  });
}
