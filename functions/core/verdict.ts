import { cutText } from './cut-text';
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
    const detail = ran > 0 ? ` (${ran} of ${checks.length} checks passed before it)` : '';
    return { status: 'inconclusive', summary: `inconclusive: ${toolingError}${detail}` };
  }
  const failed = checks.filter((check) => check.outcome === 'failed');
  if (failed.length > 0) {
    const reasons = describeFailures(failed);
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
  // A skipped test (test.skip, test.fixme) counts neither way; a seal of skips alone proves nothing.
  const skipped = checks.filter((check) => check.outcome === 'skipped').length;
  if (skipped > 0 && skipped === checks.length) {
    return { status: 'inconclusive', summary: `inconclusive: all ${skipped} checks were skipped` };
  }
  const ran = checks.length - skipped;
  const noun = ran === 1 ? 'check' : 'checks';
  const note = skipped > 0 ? ` (${skipped} skipped)` : '';
  return { status: 'green', summary: `green: all ${ran} ${noun} passed${note}` };
}

/**
 * One phrase per distinct failure. Status-like errors already speak in paths ("/up answered 503");
 * paths that failed the same way share one phrase, so an outage reads
 * `/, /sign_in, /tasks unreachable: connection refused`, not the same words six times.
 * Other errors are named by their check (`tasks: uncaught ReferenceError: …`).
 */
function describeFailures(failed: readonly CheckResult[]): string {
  const phrases = new Map<string, { paths: string[]; checks: number; text: string }>();
  for (const check of failed) {
    const error = oneLine(check.error ?? 'failed');
    if (error.startsWith(`${check.path} `)) {
      const tail = error.slice(check.path.length + 1);
      const group = phrases.get(`path ${tail}`);
      if (!group) phrases.set(`path ${tail}`, { paths: [check.path], checks: 1, text: tail });
      else {
        group.checks++;
        // Several checks of one path (renamed or added checks) name it once.
        if (!group.paths.includes(check.path)) group.paths.push(check.path);
      }
    } else {
      phrases.set(`check ${check.name}`, { paths: [], checks: 1, text: `${check.name}: ${error}` });
    }
  }
  return [...phrases.values()]
    .map(({ paths, checks, text }) => {
      if (paths.length === 0) return text;
      const count = checks > paths.length ? ` (${checks} checks)` : '';
      return `${paths.join(', ')} ${text}${count}`;
    })
    .join('; ');
}

/** A Playwright failure spans lines (and a call log): the summary keeps what precedes the log, on one line. */
function oneLine(error: string): string {
  if (!error.includes('\n')) return error;
  const flat = error
    .split(/\n\s*Call log:/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return cutText(flat, 200);
}
