// Reads what the not-found comparison needs off a rendered page.

import type { Page } from 'playwright-core';
import { boundText } from '../core/bound-text';
import type { PagePrint } from '../core/not-found-fingerprint';

/** Visible text kept per page for the comparison. */
const MAX_TEXT_CHARS = 20_000;

/** A string, so no bundler helper leaks into the page. */
const READ_PAGE = `(() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  // The page's own heading, not the layout's: inside the main region when the page marks one.
  const region = document.querySelector('main, [role="main"], #main, #content') || document;
  const pick = (root) => [...root.querySelectorAll('h1, h2, h3, [role="heading"]')].filter(visible);
  const headings = pick(region).length > 0 ? pick(region) : pick(document);
  const main = headings.find((el) => el.tagName === 'H1') || headings[0];
  return {
    title: document.title || '',
    heading: main ? (main.innerText || main.textContent || '') : '',
    text: document.body ? document.body.innerText : '',
  };
})()`;

export async function readPagePrint(page: Page, status: number | null): Promise<PagePrint> {
  const read = (await page.evaluate(READ_PAGE)) as { title: string; heading: string; text: string };
  return {
    status,
    title: boundText(String(read.title), 300),
    heading: String(read.heading).slice(0, 300),
    text: String(read.text).slice(0, MAX_TEXT_CHARS),
  };
}

/** A string, so no bundler helper leaks into the page: every visible heading's text, at most 50. */
const READ_HEADINGS = `(() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')]
    .filter(visible)
    .slice(0, 50)
    .map((el) => String(el.innerText || el.textContent || '').slice(0, 300));
})()`;

/** The page's visible headings, bounded; [] when the page cannot be read. */
export async function readHeadings(page: Page): Promise<string[]> {
  const read = await page.evaluate(READ_HEADINGS).catch(() => []);
  return Array.isArray(read) ? read.map(String) : [];
}
