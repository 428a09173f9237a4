/** Text from a page or a response, safe for a terminal: control characters shown as "?", bounded. */
export function terminalText(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
