/** The first line of an error's message: what a one-line summary or a table cell can hold. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}
