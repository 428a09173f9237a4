// Judges the data checks (status and page) on a loaded page; script checks stay with the session.
import type { Page, Response } from 'playwright-core';
import { describeLandmark } from '../core/describe-landmark';
import { judgeStatus } from '../core/judge-status';
import { isNotFoundPage, notFoundMessage } from '../core/not-found-fingerprint';
import type { PageCheck, StatusCheck } from '../core/spec';
import { AttemptEvidence } from './attempt-evidence';
import { landmarkLocator } from './landmark-locator';
import type { NotFoundProbe } from './not-found-probe';
import type { PageActivity } from './page-activity';
import { readPagePrint } from './page-print';
import { settledTitle } from './settled-title';
import { waitForLandmark } from './wait-for-landmark';

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
}

/** Returns why the check failed, or null when it passed. */
export async function judgeDataCheck(
  check: StatusCheck | PageCheck,
  context: DataCheckContext,
): Promise<string | null> {
  if (check.kind === 'status') return judgeStatusCheck(check, context);
  return judgePageCheck(check, context);
}

async function judgeStatusCheck(
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

async function judgePageCheck(check: PageCheck, context: DataCheckContext): Promise<string | null> {
  const { page, response, pageErrors, left } = context;
  const status = response?.status() ?? null;
  if (status === null || status < 200 || status > 299) {
    return `${check.path} answered ${status ?? 'nothing'}`;
  }
  if (pageErrors.length > 0) return pageErrors[0]!;
  // Started now so it loads beside this page; it is shared by every page check of the seal.
  const notFound = context.notFound.forBase(context.baseUrl, left());
  const wait = await waitForLandmark(page, landmarkLocator(page, check.landmark), context.activity, left);
  if (wait === 'settled-without') return `landmark ${describeLandmark(check.landmark)} not visible`;
  if (wait === 'timeout') {
    return `landmark ${describeLandmark(check.landmark)} not visible within ${context.timeoutMs} ms`;
  }
  // Read on a settled document: a page that navigates itself must not flake to an empty title.
  if (check.requireTitle && (await settledTitle(page, left())).trim() === '')
    return 'the page has an empty title';
  const probe = await notFound;
  if (probe) {
    const print = await readPagePrint(page, status);
    if (isNotFoundPage(probe.print, print, check.path, probe.path)) return notFoundMessage(probe.print);
  }
  // An exception thrown while we looked for the landmark counts too.
  return pageErrors[0] ?? null;
}
