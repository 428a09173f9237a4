/** The app's Playwright spec cannot be used: missing file, does not compile, refused import or API, no test matches. */
export class PlaywrightSpecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlaywrightSpecError';
  }
}
