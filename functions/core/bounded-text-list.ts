// The first few texts of a kind (page errors, console errors), each cut, with an exact count of all of them.
import { boundText, MAX_TEXT_CHARS } from './bound-text';

/** How many page errors or console lines an attempt keeps. */
export const MAX_TEXTS_LISTED = 20;

export class BoundedTextList {
  private readonly kept: string[] = [];
  private total = 0;

  constructor(
    private readonly maxItems = MAX_TEXTS_LISTED,
    private readonly maxChars = MAX_TEXT_CHARS,
  ) {}

  /** Counts one more; reads the text (a function, so a huge one is never produced past the cap) only while under the cap. */
  add(text: string | (() => string)): void {
    this.total++;
    if (this.kept.length >= this.maxItems) return;
    this.kept.push(boundText(typeof text === 'function' ? text() : text, this.maxChars));
  }

  get count(): number {
    return this.total;
  }

  get first(): string | undefined {
    return this.kept[0];
  }

  /** The kept texts, plus one line saying how many were left out. */
  list(noun: string): string[] {
    const left = this.total - this.kept.length;
    return left > 0 ? [...this.kept, `… and ${left} more ${noun} (${this.total} in all)`] : [...this.kept];
  }
}
