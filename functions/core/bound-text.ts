// Text from a page, a response or an event is cut where it enters: a hostile page cannot grow a seal.
import { cutText } from './cut-text';

/** Longest error, console line or title a seal keeps. */
export const MAX_TEXT_CHARS = 500;
/** Longest URL a seal keeps. */
export const MAX_URL_CHARS = 2_000;

/** `text` cut to `max` characters; an ellipsis marks the cut. */
export function boundText(text: string, max = MAX_TEXT_CHARS): string {
  return cutText(text, max);
}
