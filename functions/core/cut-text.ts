// The one cut for text (docs/architecture.md, "Text: bounded once, cut once per channel"): where page text
// enters a seal, the storage budget, and each channel's limit all cut through here.

/** What ends a text cut where it enters a seal; the storage budget and the messages say `… [truncated]`. */
export const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` UTF-16 units (what JavaScript, Discord and SNS count), ending with `marker`.
 * Never splits a surrogate pair: a lone surrogate is not valid UTF-8, and DynamoDB refuses it.
 */
export function cutText(text: string, max: number, marker = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= marker.length) return marker.slice(0, Math.max(0, max));
  let end = max - marker.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${marker}`;
}
