import { cutText } from '../cut-text';

/** What replaces the end of a text that was cut to fit a channel's limit. */
export const TRUNCATION_MARKER = '… [truncated]';

/**
 * Cuts `text` to at most `max` UTF-16 units (what Discord and SNS count, or more), ending with the
 * marker. Never splits a surrogate pair, and never leaves a lone escaping backslash before the marker.
 */
export function truncate(text: string, max: number, marker = TRUNCATION_MARKER): string {
  const cut = cutText(text, max, marker);
  if (cut === text || max <= marker.length) return cut;
  // Markdown: a backslash left just before the marker would escape its first character.
  const head = cut.slice(0, cut.length - marker.length);
  const trailingBackslashes = /\\+$/.exec(head)?.[0].length ?? 0;
  return trailingBackslashes % 2 === 1 ? `${head.slice(0, -1)}${marker}` : cut;
}
