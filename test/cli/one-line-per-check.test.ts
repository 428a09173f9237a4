import { describe, expect, it } from 'vitest';
import { ProgressPrinter } from '../../bin/cli/progress-printer';
import { renderSealTable } from '../../bin/cli/render-seal';
import { makeCheck, makeSeal } from '../fixtures/seal-factory';

// Page text (an error message, a test title) with line breaks must not split a check's line.
const MULTI_LINE =
  'expect(locator).toBeVisible() failed\n\nLocator: heading "My page"\r\nExpected: visible\u2028done';

describe('one line per check whatever the page wrote', () => {
  it('prints a progress line per check even when the error and the name hold newlines', () => {
    const written: string[] = [];
    const printer = new ProgressPrinter({ isTTY: false, write: (text: string) => written.push(text) }, {});
    printer.start('https://shop.example.com', 1);
    printer.checkFinished({
      name: 'home\nrenders',
      path: '/\tx',
      outcome: 'failed',
      durationMs: 10,
      attempts: 1,
      error: MULTI_LINE,
    });
    printer.stop();
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('home renders');
    expect(lines[1]).toContain('Locator: heading "My page" Expected: visible done');
  });

  it('renders a table row per check even when the error and the name hold newlines', () => {
    const seal = makeSeal({
      status: 'red',
      summary: 'home failed:\nsee below',
      checks: [
        makeCheck({ name: 'home\nrenders', outcome: 'failed', error: MULTI_LINE }),
        makeCheck({ name: 'up answers 200' }),
      ],
    });
    const lines = renderSealTable(seal).split('\n');
    // heading line, column header, two checks, blank, summary
    expect(lines.slice(0, 6).map((line) => line.slice(0, 2))).toEqual(['RE', '  ', '✗ ', '✓ ', '', 'ho']);
    expect(lines[2]).toContain('Locator: heading "My page" Expected: visible done');
    expect(lines[5]).toBe('home failed: see below');
  });
});
