/** Where the bridge module of a spec bundle finds Smoke Seal's Playwright runtime while the bundle loads. */
export const PLAYWRIGHT_RUNTIME_KEY = Symbol.for('smoke-seal.playwright-runtime');
