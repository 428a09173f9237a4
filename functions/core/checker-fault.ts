// Decides, in one place, whose fault an error is: production's (a failed check, red) or the checker's (unfinished, inconclusive).

/** The attempt's error when the seal's deadline cut it off. */
export const CUT_OFF_BY_DEADLINE = 'cut off by the seal deadline';
/** The attempt's error, and the seal's tooling error, when the browser died or was closed under a check. */
export const BROWSER_CRASHED = 'the browser crashed (or closed)';
/** The attempt's error, and the seal's tooling error, when the browser stopped answering (a page kept it busy). */
export const BROWSER_UNRESPONSIVE = 'the browser stopped responding (a page kept its main thread busy)';

/**
 * The attempt's error when the seal signed in with a storage state and the page showed the sign-in
 * form (or a login redirect) instead of its landmark: the seal's session expired, production is fine.
 */
export const SIGN_IN_EXPIRED =
  'sign-in expired: the page showed the sign-in form instead of its landmark (renew the storage state)';

export type ErrorOwner = 'production' | 'checker';

/** What the browser adapter knows about the browser when an attempt ended. */
export interface BrowserHealth {
  /** The browser or its context closed or disconnected without the seal closing it. */
  readonly browserGone?: boolean;
  /** This attempt's page crashed (`page.on('crash')`). */
  readonly pageCrashed?: boolean;
  /** The browser did not answer a trivial evaluation in time: a page (this one or a sibling) wedged it. */
  readonly unresponsive?: boolean;
}

/**
 * Playwright's words for "the browser went away under us": a closed target, a lost connection, a
 * protocol error, a crash. None of these says anything about production.
 */
const CHECKER_ERROR_PATTERNS: readonly RegExp[] = [
  /Target page, context or browser has been closed/i,
  /\bTarget closed\b/i,
  /\bBrowser has been closed\b/i,
  /\bbrowser has disconnected\b/i,
  /\bBrowser closed\b/i,
  /\bProtocol error\b/i,
  /\bTarget crashed\b/i,
  /\bPage crashed\b/i,
  /\bbrowserContext\.newPage\b/i,
];

/**
 * Whose fault an error is. The checker's: the browser, context or page closed under a check, a
 * protocol error, a crash, a browser that stopped answering. A timeout is production's only when the
 * page itself was slow, i.e. when the browser was healthy: a timeout in a crashed or wedged browser is
 * the checker's. Everything else a page did (status, exception, missing landmark) is production's.
 */
export function classifyError(error: unknown, health: BrowserHealth = {}): ErrorOwner {
  if (health.browserGone || health.pageCrashed || health.unresponsive) return 'checker';
  const text = error instanceof Error ? error.message : String(error);
  return CHECKER_ERROR_PATTERNS.some((pattern) => pattern.test(text.slice(0, 2_000)))
    ? 'checker'
    : 'production';
}

/** The attempt error that names a checker fault, from the same facts. */
export function checkerFaultText(health: BrowserHealth): string {
  return health.unresponsive && !health.browserGone && !health.pageCrashed
    ? BROWSER_UNRESPONSIVE
    : BROWSER_CRASHED;
}
