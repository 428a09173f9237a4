// The judges of the data checks (status and page) on a loaded page, plugged into the attempt engine
// (page-attempt.ts) by check-judges.ts.
import type { Page, Response } from 'playwright-core';
import { SIGN_IN_EXPIRED } from '../core/checker-fault';
import { describeLandmark } from '../core/describe-landmark';
import { judgeStatus } from '../core/judge-status';
import { isNotFoundPage, notFoundHeading, notFoundMessage } from '../core/not-found-fingerprint';
import type { PageCheck, StatusCheck } from '../core/spec';
import { AttemptEvidence } from './attempt-evidence';
import { landmarkLocator } from './landmark-locator';
import { type NotFoundProbe, PROBE_QUIET_MS } from './not-found-probe';
import type { PageActivity } from './page-activity';
import { readHeadings, readPagePrint } from './page-print';
import { settledTitle } from './settled-title';
import { waitForLandmark, waitUntilSettled } from './wait-for-landmark';

/** What a judge sees of one attempt: the loaded page, its response, and the attempt's budget. */
export interface DataCheckContext {
  readonly page: Page;
  readonly response: Response | null;
  readonly baseUrl: string;
  readonly pageErrors: readonly string[];
  readonly activity: PageActivity;
  readonly notFound: NotFoundProbe;
  /** Milliseconds left in this attempt's budget. */
  readonly left: () => number;
  /** The attempt's budget, for messages. */
  readonly timeoutMs: number;
  /** The seal signed in with a storage state: a sign-in page where the landmark should be means it expired. */
  readonly signedIn?: boolean;
}

/** Judges a status check: the first answer's status (and redirect target). Null when it passed. */
export async function judgeStatusCheck(
  check: StatusCheck,
  { response, baseUrl }: DataCheckContext,
): Promise<string | null> {
  const first = await AttemptEvidence.firstResponse(response);
  return judgeStatus(check, baseUrl, {
    firstStatus: first.status,
    firstLocation: first.location,
    finalStatus: response?.status() ?? null,
  });
}

/** Judges a page check: rendered, landmark visible, not a soft 404, no page error. Null when it passed. */
export async function judgePageCheck(check: PageCheck, context: DataCheckContext): Promise<string | null> {
  const { page, response, pageErrors, left } = context;
  const status = response?.status() ?? null;
  if (status === null || status < 200 || status > 299) {
    return `${check.path} answered ${status ?? 'nothing'}`;
  }
  if (pageErrors.length > 0) return pageErrors[0]!;
  // Started now so it loads beside this page; it is shared by every page check of the seal.
  const notFound = context.notFound.forBase(context.baseUrl, left());
  const wait = await waitForLandmark(page, landmarkLocator(page, check.landmark), context.activity, left);
  if (wait !== 'visible' && context.signedIn && (await showsSignIn(page, check.path))) return SIGN_IN_EXPIRED;
  if (wait === 'settled-without') return `landmark ${describeLandmark(check.landmark)} not visible`;
  if (wait === 'timeout') {
    return `landmark ${describeLandmark(check.landmark)} not visible within ${context.timeoutMs} ms`;
  }
  // Read on a settled document: a page that navigates itself must not flake to an empty title.
  if (check.requireTitle && (await settledTitle(page, left())).trim() === '')
    return 'the page has an empty title';
  const probe = await notFound;
  // The landmark may be the layout's (a header heading) drawn before the route's own content: judge
  // the settled page, or a single-page app's late not-found page passes as the page asked for.
  await waitUntilSettled(page, context.activity, left, PROBE_QUIET_MS);
  if (probe) {
    const print = await readPagePrint(page, status);
    if (isNotFoundPage(probe.print, print, check.path, probe.path)) return notFoundMessage(probe.print);
  }
  if (!('name' in check.landmark && check.landmark.name && notFoundHeading([check.landmark.name]))) {
    const heading = notFoundHeading(await readHeadings(page));
    if (heading) return notFoundMessage({ status, title: '', heading, text: '' });
  }
  // An exception thrown while we looked for the landmark counts too.
  return pageErrors[0] ?? null;
}

/** Where a login redirect lands: /login, /sign_in, /users/sign_in, /signin, /session/new, /auth/… */
const SIGN_IN_PATH = /\/(log-?in|sign[-_]?in|session\/new|auth)(\/|$|\.)/i;

/** The page is a sign-in page: a visible password field, or a login path the check did not ask for. */
async function showsSignIn(page: Page, checkPath: string): Promise<boolean> {
  const password = await page
    .locator('input[type="password" i]')
    .filter({ visible: true })
    .count()
    .catch(() => 0);
  if (password > 0) return true;
  let path: string;
  try {
    path = new URL(page.url()).pathname;
  } catch {
    return false;
  }
  return SIGN_IN_PATH.test(path) && !SIGN_IN_PATH.test(checkPath);
}
