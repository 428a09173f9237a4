import type { CheckResult, SealStatus } from './seal';

export interface Verdict {
  readonly status: SealStatus;
  /** One line, e.g. `red: 2 of 6 checks failed: /up answered 503; tasks: uncaught ReferenceError`. */
  readonly summary: string;
}

/**
 * Green when every check passed; red when production failed any check (even if others were cut
 * off); inconclusive when the checker broke (no browser, the deadline or a browser crash left
 * checks unfinished).
 */
export function decideVerdict(checks: readonly CheckResult[], toolingError: string | null): Verdict {
  if (toolingError !== null && checks.every((check) => check.outcome !== 'failed')) {
    const ran = checks.filter((check) => check.outcome === 'passed').length;
    const detail = checks.length > 0 ? ` (${ran} of ${checks.length} checks passed before it)` : '';
    return { status: 'inconclusive', summary: `inconclusive: ${toolingError}${detail}` };
  }
  const failed = checks.filter((check) => check.outcome === 'failed');
  if (failed.length > 0) {
    const reasons = failed.map(describeFailure).join('; ');
    const noun = checks.length === 1 ? 'check' : 'checks';
    return {
      status: 'red',
      summary: `red: ${failed.length} of ${checks.length} ${noun} failed: ${reasons}`,
    };
  }
  const unfinished = checks.filter((check) => check.outcome === 'unfinished');
  if (unfinished.length > 0) {
    const reasons = unfinished.map((check) => `${check.name} (${check.error ?? 'unfinished'})`).join('; ');
    return {
      status: 'inconclusive',
      summary: `inconclusive: ${unfinished.length} of ${checks.length} checks could not finish: ${reasons}`,
    };
  }
  const noun = checks.length === 1 ? 'check' : 'checks';
  return { status: 'green', summary: `green: all ${checks.length} ${noun} passed` };
}

function describeFailure(check: CheckResult): string {
  const error = check.error ?? 'failed';
  // Status checks already speak in paths ("/up answered 503"); name the others.
  return error.startsWith(check.path) ? error : `${check.name}: ${error}`;
}
