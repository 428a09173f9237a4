// The storage budget of a seal: whatever it ran and saw, the stored seal fits DynamoDB's 400 KB item
// (the seal item, and the latest pointer's copy of it). Detail is cut, never the verdict: a seal is never
// refused for its size. The report in the evidence store keeps the whole (docs/data-model.md, "Size").
import { cutText } from './cut-text';
import type { Attempt, CheckResult, Seal } from './seal';
import { TRUNCATED_MARKER, truncateDelivery, truncateSeal } from './truncate-seal';

/** A seal this small is stored with the normal text limits. */
export const SOFT_SEAL_BYTES = 64 * 1024;
/**
 * The most a stored seal may take, as JSON: DynamoDB's limit is 400 KB per item, and the item adds its
 * keys and TTL (well under 1 KB) to the seal; JSON counts at least what DynamoDB counts for these values.
 */
export const MAX_SEAL_BYTES = 300 * 1024;

/** What was cut, from nothing to the last resort; each level includes the ones before it. */
export type SealCut =
  | 'none'
  | 'texts'
  | 'texts-tight'
  | 'passing-detail'
  | 'messages'
  | 'failing-attempts'
  | 'passing-checks-bare'
  | 'checks-bare'
  | 'checks-dropped';

export interface FittedSeal {
  readonly seal: Seal;
  readonly cut: SealCut;
  readonly bytes: number;
}

/** The size a seal takes as stored (UTF-8 JSON). */
export function sealBytes(seal: Seal): number {
  return Buffer.byteLength(JSON.stringify(seal), 'utf8');
}

/**
 * The seal's size if it is at most `limit`, else a number above `limit`, measured check by check so a
 * seal of many megabytes costs only what it takes to see it does not fit (a seal is stored inside its
 * time budget: fitting one must not take seconds).
 */
function bytesUpTo(seal: Seal, limit: number): number {
  // `"checks":[]` plus each check and the commas between them: exactly what JSON.stringify gives.
  let bytes =
    Buffer.byteLength(JSON.stringify({ ...seal, checks: [] }), 'utf8') - (seal.checks.length > 0 ? 1 : 0);
  for (const check of seal.checks) {
    if (bytes > limit) return bytes;
    bytes += Buffer.byteLength(JSON.stringify(check), 'utf8') + 1;
  }
  return bytes;
}

/**
 * The seal cut to the storage budget. In order, until it fits: long texts (normal, then tight limits);
 * the passing checks' attempts; messages (errors short, page and console lists, failed requests, stacks,
 * redirect chains, refused URLs); the failing checks' attempts; the passing checks' URLs and names; every
 * check's URL and error. Status, transition, rollback command, every check's outcome and HTTP status, and
 * the failing checks' names are kept. Only a seal of thousands of checks reaches the last resort: checks
 * are dropped from the end (passing ones first) and the summary says how many.
 */
export function fitSeal(seal: Seal, maxBytes = MAX_SEAL_BYTES, softBytes = SOFT_SEAL_BYTES): FittedSeal {
  const soft = Math.min(softBytes, maxBytes);
  const normal = truncateSeal(seal, 'normal');
  if (bytesUpTo(normal, soft) <= soft) {
    const bytes = sealBytes(normal);
    return { seal: normal, cut: bytesUpTo(seal, bytes) === bytes ? 'none' : 'texts', bytes };
  }
  let current = truncateSeal(seal, 'tight');
  for (const [cut, step] of LADDER) {
    current = step(current);
    if (bytesUpTo(current, maxBytes) <= maxBytes) return { seal: current, cut, bytes: sealBytes(current) };
  }
  return dropChecks(current, maxBytes);
}

const isPassing = (check: CheckResult) => check.outcome === 'passed' || check.outcome === 'skipped';

const LADDER: readonly (readonly [SealCut, (seal: Seal) => Seal])[] = [
  ['texts-tight', (seal) => seal],
  [
    'passing-detail',
    (seal) => mapChecks(seal, (check) => (isPassing(check) ? { ...check, attempts: [] } : check)),
  ],
  [
    'messages',
    (seal) => ({
      ...mapChecks(seal, (check) => ({
        ...check,
        error: short(check.error, 120),
        attempts: check.attempts.map(bareAttempt),
      })),
      summary: short(seal.summary, 300),
      toolingError: short(seal.toolingError, 300),
      evidence: { ...seal.evidence, error: short(seal.evidence.error, 300) },
      refused: { count: seal.refused.count, requests: [] },
      deliveries: Object.fromEntries(
        Object.entries(seal.deliveries).map(([channel, state]) => [
          channel,
          { ...truncateDelivery(state, 'tight'), detail: short(state.detail, 120) },
        ]),
      ),
    }),
  ],
  ['failing-attempts', (seal) => mapChecks(seal, (check) => ({ ...check, attempts: [] }))],
  [
    'passing-checks-bare',
    (seal) =>
      mapChecks(seal, (check) =>
        isPassing(check)
          ? { ...check, name: short(check.name, 60), path: short(check.path, 60), url: short(check.url, 60) }
          : check,
      ),
  ],
  [
    'checks-bare',
    (seal) =>
      mapChecks(seal, (check) => ({
        ...check,
        path: short(check.path, 60),
        url: short(check.url, 60),
        error: short(check.error, 40),
      })),
  ],
];

function bareAttempt(attempt: Attempt): Attempt {
  return {
    outcome: attempt.outcome,
    url: short(attempt.url, 200),
    finalUrl: short(attempt.finalUrl, 200),
    httpStatus: attempt.httpStatus,
    durationMs: attempt.durationMs,
    error: short(attempt.error, 120),
    pageErrors:
      attempt.pageErrors.length > 0 ? [`${TRUNCATED_MARKER} ${attempt.pageErrors.length} not kept`] : [],
    consoleErrors:
      attempt.consoleErrors.length > 0
        ? [`${TRUNCATED_MARKER} ${attempt.consoleErrors.length} not kept`]
        : [],
    screenshot: attempt.screenshot,
    ...(attempt.fullPageScreenshot !== undefined && { fullPageScreenshot: attempt.fullPageScreenshot }),
  };
}

/** The last resort: keeps the failing and unfinished checks first, in order, and as many as fit. */
function dropChecks(seal: Seal, maxBytes: number): FittedSeal {
  const order = [...seal.checks.filter((check) => !isPassing(check)), ...seal.checks.filter(isPassing)];
  let low = 0;
  let high = order.length;
  const attempt = (kept: number): Seal => {
    const keep = new Set(order.slice(0, kept));
    const dropped = order.length - kept;
    return {
      ...seal,
      summary: `${short(seal.summary, 200)} (${dropped} of ${order.length} checks not kept in this record; the report has them all)`,
      checks: seal.checks.filter((check) => keep.has(check)),
    };
  };
  // The largest number of checks that fits (the seal without checks always does).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytesUpTo(attempt(mid), maxBytes) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  const fitted = attempt(low);
  return { seal: fitted, cut: 'checks-dropped', bytes: sealBytes(fitted) };
}

function mapChecks(seal: Seal, map: (check: CheckResult) => CheckResult): Seal {
  return { ...seal, checks: seal.checks.map(map) };
}

function short<T extends string | null>(value: T, max: number): T {
  return (value === null ? null : cutText(value, max, TRUNCATED_MARKER)) as T;
}
