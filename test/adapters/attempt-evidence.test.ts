import { EventEmitter } from 'node:events';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AttemptEvidence } from '../../functions/adapters/attempt-evidence';

/** Only the events AttemptEvidence listens to: what a page emits, without a browser. */
function fakePage(): EventEmitter & Page {
  return new EventEmitter() as EventEmitter & Page;
}

const hasLoneSurrogate = (text: string) =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('AttemptEvidence', () => {
  it('cuts page errors, stacks and console errors without splitting a surrogate pair (DynamoDB refuses a lone one)', () => {
    const page = fakePage();
    const evidence = new AttemptEvidence(page);
    // "uncaught Error: " is 16 characters: the emoji straddles the 500-character cut.
    const message = `${'x'.repeat(483)}😀${'y'.repeat(100)}`;
    const error = new Error(message);
    error.stack = `${'s'.repeat(1_999)}😀tail`;
    page.emit('pageerror', error);
    page.emit('console', { type: () => 'error', text: () => `${'c'.repeat(499)}😀 and more` });

    const [pageError] = evidence.pageErrorList();
    expect(pageError?.length).toBeLessThanOrEqual(500);
    expect(hasLoneSurrogate(pageError ?? '')).toBe(false);
    expect(pageError?.endsWith('…')).toBe(true);
    const stack = evidence.pageErrorDetails[0]?.stack ?? '';
    expect(stack.length).toBeLessThanOrEqual(2_000);
    expect(hasLoneSurrogate(stack)).toBe(false);
    const [consoleError] = evidence.consoleErrorList();
    expect(consoleError?.length).toBeLessThanOrEqual(500);
    expect(hasLoneSurrogate(consoleError ?? '')).toBe(false);
  });
});
