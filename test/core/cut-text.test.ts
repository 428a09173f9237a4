// The one cut, and that every bound on text goes through it: where it enters, in storage, on each channel.
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../bin/cli/terminal-text';
import { boundText } from '../../functions/core/bound-text';
import { cutText, ELLIPSIS } from '../../functions/core/cut-text';
import { oneLine } from '../../functions/core/messages/one-line';
import { TRUNCATION_MARKER, truncate } from '../../functions/core/messages/truncate';
import { truncateSeal } from '../../functions/core/truncate-seal';
import { makeSeal } from '../fixtures/seal-factory';

/** True when the text survives UTF-8: no lone surrogate (DynamoDB, SNS and Discord refuse or mangle one). */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('cutText', () => {
  it('leaves a text within the limit alone', () => {
    expect(cutText('abc', 3)).toBe('abc');
  });

  it('cuts to exactly the limit, the marker included', () => {
    expect(cutText('abcdef', 4)).toBe(`abc${ELLIPSIS}`);
    expect(cutText('a'.repeat(100), 20, TRUNCATION_MARKER)).toBe(`${'a'.repeat(7)}${TRUNCATION_MARKER}`);
  });

  it('never splits a surrogate pair, and never passes the limit', () => {
    for (let max = 1; max < 12; max += 1) {
      const cut = cutText('🔥'.repeat(10), max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(wellFormed(cut)).toBe(true);
    }
  });

  it('gives what fits of the marker when the limit is smaller than the marker', () => {
    expect(cutText('abcdef', 3, TRUNCATION_MARKER)).toBe(TRUNCATION_MARKER.slice(0, 3));
  });
});

describe('every bound cuts through it', () => {
  // An emoji whose pair straddles the cut: the old entry, terminal and message cuts each split it.
  const straddling = `${'a'.repeat(498)}🔥${'b'.repeat(100)}`;

  it('where page text enters a seal (boundText)', () => {
    const bounded = boundText(straddling);
    expect(bounded.length).toBeLessThanOrEqual(500);
    expect(wellFormed(bounded)).toBe(true);
    expect(bounded.endsWith(ELLIPSIS)).toBe(true);
  });

  it('in storage (truncateSeal), the entry limits kept as they are', () => {
    const stored = truncateSeal(makeSeal({ summary: straddling.repeat(3) })).summary;
    expect(stored.length).toBeLessThanOrEqual(1_000);
    expect(wellFormed(stored)).toBe(true);
  });

  it('on a terminal (terminalText)', () => {
    const shown = terminalText(straddling, 500);
    expect(shown.length).toBeLessThanOrEqual(500);
    expect(wellFormed(shown)).toBe(true);
  });

  it('in Discord and email (truncate, oneLine), with the markdown rule kept', () => {
    expect(wellFormed(truncate(straddling, 512))).toBe(true);
    expect(oneLine(`${'x'.repeat(10)}\\${'y'.repeat(30)}`, 11 + TRUNCATION_MARKER.length)).toBe(
      `${'x'.repeat(10)}${TRUNCATION_MARKER}`,
    );
  });
});
