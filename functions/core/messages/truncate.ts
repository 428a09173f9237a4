/** What replaces the end of a text that was cut to fit a channel's limit. */
export const TRUNCATION_MARKER = '… [truncated]';

/**
 * Cuts `text` to at most `max` UTF-16 units (what Discord and SNS count, or more), ending with the
 * marker. Never splits a surrogate pair, and never leaves a lone escaping backslash before the marker.
 */
export function truncate(text: string, max: number, marker = TRUNCATION_MARKER): string {
  if (text.length <= max) return text;
  if (max <= marker.length) return marker.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - marker.length);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}${marker}`;
}
