// Real Chromium: a title is read from a settled document, not from one still arriving.
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../../functions/adapters/chromium-browser';
import { settledTitle } from '../../functions/adapters/settled-title';
import { type BrokenSite, startBrokenSite } from '../fixtures/broken-site';

let site: BrokenSite;
let browser: Browser;
/** One page for all: with --single-process, closing a page can close the browser. */
let page: Page;

beforeAll(async () => {
  site = await startBrokenSite({ noisy: { errors: 1, consoleLines: 1, bytes: 200_000 } });
  browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: chromiumArgs() });
  page = await browser.newPage();
});
afterAll(async () => {
  await browser.close();
  await site.close();
});

describe('settledTitle', () => {
  it('waits for the document being replaced to load before reading its title', async () => {
    await page.goto(`${site.url}/late-title`, { waitUntil: 'commit' });
    expect(await settledTitle(page, 5_000)).toBe('Late');
  });

  it('cuts a huge title to a bounded length', async () => {
    await page.goto(`${site.url}/noisy`, { waitUntil: 'commit' });
    expect((await settledTitle(page, 10_000)).length).toBeLessThanOrEqual(500);
  });
});
