// What the CLI prints, made safe for a terminal: text from pages (titles, errors, console lines) cannot drive it.
import { cutText } from '../../functions/core/cut-text';

/**
 * C0 controls (ESC, BEL, CR, backspace…) other than newline and tab, DEL, C1 controls (8-bit CSI/OSC)
 * and the bidirectional overrides, which could write the clipboard (`ESC ] 52`), erase or overwrite
 * a line (`ESC [ 2K`, CR) or reorder what a reader sees.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Every unsafe character shown as its `\uXXXX` escape: visible in a table, and inside JSON output the
 * same escape JSON itself would use, so `--json` stays valid and means the same.
 */
export function terminalText(text: string, max = Number.POSITIVE_INFINITY): string {
  const bounded = cutText(text, max);
  return bounded.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
