// The history timeline as a person sees it: rendered by Chromium, bars in order, coloured, sized, marked.
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../../functions/adapters/chromium-browser';
import { renderHistoryHtml } from '../../functions/core/history-html';
import type { Seal } from '../../functions/core/seal';
import { makeSeal } from '../fixtures/seal-factory';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: chromiumArgs(),
    headless: true,
  });
});
afterAll(() => browser.close());

const changed: NonNullable<Seal['changes']> = {
  state: 'compared',
  note: null,
  baseline: {
    sealId: 'shop:release:r2',
    checkedAt: '2026-12-02T00:00:00Z',
    releaseId: 'r2',
    version: null,
    commit: null,
  },
  checks: [
    {
      name: 'tasks',
      path: '/tasks',
      changed: true,
      note: null,
      visual: { percent: 12, sizeChanged: false, baseline: null, overlay: null },
      aria: null,
      timings: [],
      newConsoleErrors: [],
    },
  ],
  failOn: [],
  commits: null,
  baselineUpdated: true,
};

// Newest first, as the store lists them.
const seals: Seal[] = [
  makeSeal({ id: 'shop:release:r4', checkedAt: '2026-12-04T00:00:00Z', status: 'red', durationMs: 9_000 }),
  makeSeal({
    id: 'shop:release:r3',
    checkedAt: '2026-12-03T00:00:00Z',
    status: 'green',
    durationMs: 6_000,
    changes: changed,
  }),
  makeSeal({
    id: 'shop:release:r2',
    checkedAt: '2026-12-02T00:00:00Z',
    status: 'inconclusive',
    durationMs: 3_000,
  }),
  makeSeal({
    id: 'shop:release:r1<x>',
    checkedAt: '2026-12-01T00:00:00Z',
    status: 'green',
    durationMs: 3_000,
  }),
];

describe('renderHistoryHtml in a browser', () => {
  it('draws the seals oldest to newest, coloured by status, as tall as they took, the changed one marked', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await page.setContent(renderHistoryHtml('shop', 'production', seals));
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Seals of shop (production)');
      const bars = page.locator('.timeline .seal');
      expect(await bars.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-seal')))).toEqual([
        'shop:release:r1<x>',
        'shop:release:r2',
        'shop:release:r3',
        'shop:release:r4',
      ]);
      const boxes = await bars.evaluateAll((nodes) =>
        nodes.map((node) => {
          const box = node.getBoundingClientRect();
          return { x: box.x, height: box.height, colour: getComputedStyle(node).backgroundColor };
        }),
      );
      // Left to right in time, the slowest seal the tallest (9 s is three times 3 s).
      expect(boxes.map((box) => box.x)).toEqual([...boxes.map((box) => box.x)].sort((a, b) => a - b));
      expect(boxes[3]!.height).toBeGreaterThan(boxes[2]!.height);
      expect(boxes[3]!.height / boxes[0]!.height).toBeCloseTo(3, 0);
      expect(boxes.map((box) => box.colour)).toEqual([
        'rgb(26, 127, 55)',
        'rgb(154, 103, 0)',
        'rgb(26, 127, 55)',
        'rgb(207, 34, 46)',
      ]);
      // The dot marks the seal that changed since the last green one, and its title says what changed.
      const dots = await bars.evaluateAll((nodes) =>
        nodes.map((node) => getComputedStyle(node, '::after').content !== 'none'),
      );
      expect(dots).toEqual([false, false, true, false]);
      expect(await bars.nth(2).getAttribute('title')).toContain(
        '1 page changed since the last green seal (release r2): /tasks 12 % of pixels',
      );
      expect(await page.locator('.timeline-table tr').count()).toBe(5);
    } finally {
      await page.close();
    }
  });

  it('says when there is nothing to draw', async () => {
    expect(renderHistoryHtml('shop', 'staging', [])).toContain('No seals yet.');
  });
});
