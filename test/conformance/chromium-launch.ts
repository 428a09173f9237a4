// The Chromium inside @sparticuz/chromium for the conformance configs under stock `npx playwright test`
// (nothing is downloaded): the seal's flags minus --single-process and the insecure ones, as playwright.config.ts.
import chromium from '@sparticuz/chromium';

export const launchOptions = {
  executablePath: await chromium.executablePath(),
  args: chromium.args.filter(
    (flag) =>
      ![
        '--single-process',
        '--disable-web-security',
        '--allow-running-insecure-content',
        '--disable-site-isolation-trials',
      ].includes(flag),
  ),
};

/** Where the harness serves the site; a seal lays its own target over it. */
export const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:4190/';
