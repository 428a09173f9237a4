import { describe, expect, it } from 'vitest';
import { REDACTED, redactDeep, secretRedactor } from '../../functions/core/redact-secrets';

const SECRET = 'pw "Secret"/é<&> 7731';

describe('secretRedactor', () => {
  it('removes a secret as is, URL-encoded, base64, JSON-escaped and HTML-escaped', () => {
    const redact = secretRedactor([SECRET]);
    const forms = [
      SECRET,
      encodeURIComponent(SECRET),
      // Lower-case escapes, as some servers write them.
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      Buffer.from(SECRET).toString('base64'),
      Buffer.from(SECRET).toString('base64url'),
      JSON.stringify(SECRET).slice(1, -1),
      SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    ];
    for (const form of forms) expect(redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
  });

  it('leaves text alone when there are no secrets, and ignores secrets under 4 characters', () => {
    expect(secretRedactor([])('a b c')).toBe('a b c');
    expect(secretRedactor(['abc'])('abc abc')).toBe('abc abc');
  });

  it('redacts every string in a value, leaving bytes and numbers', () => {
    const png = new Uint8Array([1, 2, 3]);
    const out = redactDeep({ a: [`x ${SECRET}`], n: 3, png }, secretRedactor([SECRET]));
    expect(out).toEqual({ a: [`x ${REDACTED}`], n: 3, png });
    expect(out.png).toBe(png);
  });
});
