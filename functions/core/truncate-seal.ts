// Keeps a seal item far below DynamoDB's 400 KB: long texts are cut with a visible marker, long lists capped.
import { MAX_TEXT_CHARS, MAX_URL_CHARS } from './bound-text';
import { cutText } from './cut-text';
import type { Attempt, CheckResult, DeliveryState, Seal } from './seal';

export const TRUNCATED_MARKER = '… [truncated]';

interface TextLimits {
  readonly summary: number;
  readonly error: number;
  readonly url: number;
  readonly listedError: number;
  readonly listedErrors: number;
  readonly refusedRequests: number;
}

/** The texts as they entered (core/bound-text.ts): a seal of ordinary size is stored as it was made. */
const NORMAL: TextLimits = {
  summary: 1_000,
  error: 2_000,
  url: MAX_URL_CHARS,
  listedError: MAX_TEXT_CHARS,
  listedErrors: 10,
  refusedRequests: 50,
};

/** For a seal that is still too large with the normal limits (hundreds of checks or attempts). */
const TIGHT: TextLimits = {
  summary: 500,
  error: 300,
  url: 300,
  listedError: 200,
  listedErrors: 3,
  refusedRequests: 10,
};

/**
 * Returns a copy of the seal with texts and lists cut to the budget. Verdict fields (status, outcomes,
 * counts, timings) and the rollback command are never altered: a cut command must not be pasted.
 */
export function truncateSeal(seal: Seal, budget: 'normal' | 'tight' = 'normal'): Seal {
  const limits = budget === 'tight' ? TIGHT : NORMAL;
  const text = (value: string, max: number) => cut(value, max);
  const nullable = (value: string | null, max: number) => (value === null ? null : cut(value, max));
  return {
    ...seal,
    summary: text(seal.summary, limits.summary),
    targetUrl: text(seal.targetUrl, limits.url),
    checks: seal.checks.map((check) => truncateCheck(check, limits)),
    refused: {
      count: seal.refused.count,
      requests: seal.refused.requests.slice(0, limits.refusedRequests).map((request) => ({
        method: text(request.method, 20),
        url: text(request.url, limits.url),
        reason: text(request.reason, limits.listedError),
        count: request.count,
      })),
    },
    timings: { ...seal.timings },
    evidence: {
      reportUrl: nullable(seal.evidence.reportUrl, limits.url),
      error: nullable(seal.evidence.error, limits.error),
    },
    toolingError: nullable(seal.toolingError, limits.error),
    deliveries: Object.fromEntries(
      Object.entries(seal.deliveries).map(([channel, state]) => [channel, truncateDelivery(state, budget)]),
    ),
  };
}

/** A delivery state as stored: its detail is a free text from a remote API. */
export function truncateDelivery(state: DeliveryState, budget: 'normal' | 'tight' = 'normal'): DeliveryState {
  const max = budget === 'tight' ? TIGHT.error : NORMAL.error;
  return { ...state, detail: state.detail === null ? null : cut(state.detail, max) };
}

function truncateCheck(check: CheckResult, limits: TextLimits): CheckResult {
  return {
    ...check,
    url: cut(check.url, limits.url),
    error: check.error === null ? null : cut(check.error, limits.error),
    attempts: check.attempts.map((attempt) => truncateAttempt(attempt, limits)),
  };
}

function truncateAttempt(attempt: Attempt, limits: TextLimits): Attempt {
  return {
    ...attempt,
    url: cut(attempt.url, limits.url),
    finalUrl: attempt.finalUrl === null ? null : cut(attempt.finalUrl, limits.url),
    error: attempt.error === null ? null : cut(attempt.error, limits.error),
    pageErrors: capList(attempt.pageErrors, limits),
    consoleErrors: capList(attempt.consoleErrors, limits),
    screenshot: attempt.screenshot === null ? null : cut(attempt.screenshot, limits.url),
    ...(attempt.redirectChain && {
      redirectChain: attempt.redirectChain.map((hop) => ({ ...hop, url: cut(hop.url, limits.url) })),
    }),
    ...(attempt.failedRequests && {
      failedRequests: attempt.failedRequests.slice(0, limits.listedErrors * 2).map((request) => ({
        ...request,
        url: cut(request.url, limits.url),
        failure: request.failure === null ? null : cut(request.failure, limits.listedError),
      })),
    }),
    ...(attempt.pageErrorDetails && {
      pageErrorDetails: attempt.pageErrorDetails.slice(0, limits.listedErrors).map((detail) => ({
        message: cut(detail.message, limits.listedError),
        stack: detail.stack === null ? null : cut(detail.stack, limits.error),
      })),
    }),
  };
}

/** Keeps the first entries, each cut, and says how many were dropped in a last entry. */
function capList(list: readonly string[], limits: TextLimits): string[] {
  const kept = list.length > limits.listedErrors ? list.slice(0, limits.listedErrors - 1) : list;
  const out = kept.map((entry) => cut(entry, limits.listedError));
  if (kept.length < list.length) out.push(`${TRUNCATED_MARKER} ${list.length - kept.length} more not kept`);
  return out;
}

function cut(value: string, max: number): string {
  return cutText(value, max, TRUNCATED_MARKER);
}
