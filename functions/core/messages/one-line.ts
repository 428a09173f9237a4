// Page-derived text in a message must not start lines of its own: a forged "Rollback command:" line,
// a markdown heading. Everything outside printable text becomes a single space.
import { truncate } from './truncate';

/** Collapses CR, LF, tabs and other control or line-separator characters to single spaces, then caps the length. */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(flat, max);
}
