// One table or progress line from text a page wrote: its line breaks and tabs cannot split the line.
import { terminalText } from './terminal-text';

/** Every run of whitespace (newlines, tabs, line and paragraph separators) as one space, then made terminal-safe. */
export function terminalLine(text: string, max = Number.POSITIVE_INFINITY): string {
  return terminalText(text.replace(/[\s\u0085\u2028\u2029]+/g, ' ').trim(), max);
}
