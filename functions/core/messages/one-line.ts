// Page-derived text in a message must not start lines of its own: a forged "Rollback command:" line,
// a markdown heading. Everything outside printable text becomes a single space.
import { truncate } from './truncate';

/** Collapses CR, LF, tabs and other control or line-separator characters to single spaces, then caps the length. */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(flat, max);
}
