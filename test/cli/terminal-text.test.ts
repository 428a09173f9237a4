import { describe, expect, it } from 'vitest';
import { terminalText } from '../../bin/cli/terminal-text';

describe('terminalText', () => {
  it('makes a clipboard write, a line erase and a carriage return visible, keeping newlines and tabs', () => {
    const text = 'a\u001b]52;c;b3duZWQ=\u0007b\u001b[2K\rc\n\td\u009b31m\u202eevil';
    expect(terminalText(text)).toBe(
      'a\\u001b]52;c;b3duZWQ=\\u0007b\\u001b[2K\\u000dc\n\td\\u009b31m\\u202eevil',
    );
  });

  it('keeps JSON valid and meaning the same', () => {
    const value = { title: '\u009b2J\u202e' };
    expect(JSON.parse(terminalText(JSON.stringify(value)))).toEqual(value);
  });

  it('is idempotent', () => {
    const once = terminalText('\u001b[2K');
    expect(terminalText(once)).toBe(once);
  });
});
