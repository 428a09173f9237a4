// Smoke Seal's Playwright Test reporter: each test's result as one bounded JSON line in a file the seal reads.

/** What a reporter line may hold at most, per text field (a message, a title path). */
export const REPORTED_TEXT_CHARS = 4_000;
/** Tests reported at most; past it the run's end line says how many were left out. */
export const MAX_REPORTED_TESTS = 2_000;

/**
 * CommonJS source of the reporter (Playwright's Reporter API), written next to the overlay config at
 * run time. Options: `{ out }`, the JSON-lines file. Lines:
 * - `{ "type": "begin", "tests": n, "listed": [test lines without type, outcome or results] }`: the suite
 *   as the runner loaded it (every test, per project; at most MAX_REPORTED_TESTS listed). Zero tests
 *   means the spec selects none, or did not load (its errors follow as error lines). A run reads this
 *   where a separate `--list` would have been needed;
 * - `{ "type": "test", "id", "project", "file", "line", "column", "titlePath", "expectedStatus",
 *   "outcome", "results": [{ "status", "retry", "workerIndex", "startMs", "durationMs", "error", "guard",
 *   "attachments" }] }`,
 *   once per test, when its last attempt ended (`outcome` is Playwright's: expected, unexpected,
 *   flaky, skipped);
 * - `{ "type": "error", "message" }` for an error outside any test (config, globalSetup, a worker);
 * - `{ "type": "end", "status", "notRun": [test lines with no results] }`.
 * Spec output (onStdOut/onStdErr) is not written here: it goes to the runner's stderr, which the seal logs.
 */
export const SEAL_REPORTER_SOURCE = String.raw`'use strict';
const fs = require('node:fs');
const path = require('node:path');
const MAX_TEXT = ${REPORTED_TEXT_CHARS};
const MAX_TESTS = ${MAX_REPORTED_TESTS};
const MARK = 'smoke-seal guard:';
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const cut = (text) => {
  const plain = String(text ?? '').replace(ANSI, '');
  return plain.length > MAX_TEXT ? plain.slice(0, MAX_TEXT - 1) + '…' : plain;
};
const errorText = (error) => {
  if (!error) return null;
  const parts = [error.message ?? error.value ?? ''];
  for (let cause = error.cause, depth = 0; cause && depth < 3; cause = cause.cause, depth++) {
    parts.push('[cause]: ' + (cause.message ?? cause.value ?? ''));
  }
  return parts.join('\n');
};
class SealReporter {
  constructor(options) {
    this.out = options.out;
    this.written = 0;
    this.left = 0;
    this.root = null;
    this.done = new Set();
    fs.writeFileSync(this.out, '');
  }
  // True, so Playwright adds no reporter of its own; the spec's output is passed on to stderr (the seal's log).
  printsToStdio() {
    return true;
  }
  onStdOut(chunk) {
    process.stderr.write(chunk);
  }
  onStdErr(chunk) {
    process.stderr.write(chunk);
  }
  write(line) {
    fs.appendFileSync(this.out, JSON.stringify(line) + '\n');
  }
  onBegin(config, suite) {
    this.rootDir = config.rootDir;
    this.root = suite;
    const tests = suite.allTests();
    this.write({ type: 'begin', tests: tests.length, listed: tests.slice(0, MAX_TESTS).map((test) => this.describe(test)) });
  }
  describe(test) {
    const project = test.parent.project();
    const [, , file, ...titles] = test.titlePath();
    return {
      id: test.id,
      project: project ? project.name : '',
      file: cut(path.relative(this.rootDir, test.location.file).split(path.sep).join('/') || file),
      line: test.location.line,
      column: test.location.column,
      titlePath: titles.map(cut),
      expectedStatus: test.expectedStatus,
    };
  }
  onTestEnd(test, result) {
    // The last attempt: a retry follows a failure unless retries ran out.
    const willRetry = result.status !== 'passed' && result.status !== 'skipped' && result.status !== test.expectedStatus && test.results.length <= test.retries && result.status !== 'interrupted';
    if (willRetry) return;
    this.done.add(test.id);
    if (this.written >= MAX_TESTS) {
      this.left++;
      return;
    }
    this.written++;
    this.write(this.testLine(test));
  }
  testLine(test) {
    return {
      type: 'test',
      ...this.describe(test),
      outcome: test.outcome(),
      results: test.results.slice(0, 5).map((attempt) => {
        const errors = (attempt.errors && attempt.errors.length ? attempt.errors : attempt.error ? [attempt.error] : []).map(errorText);
        const text = errors.join('\n\n');
        return {
          status: attempt.status,
          retry: attempt.retry,
          workerIndex: attempt.workerIndex,
          startMs: attempt.startTime instanceof Date ? attempt.startTime.getTime() : null,
          durationMs: attempt.duration,
          error: text ? cut(text) : null,
          guard: text.includes(MARK),
          attachments: attempt.attachments
            .filter((attachment) => attachment.path)
            .slice(0, 10)
            .map((attachment) => ({ name: cut(attachment.name).slice(0, 100), contentType: String(attachment.contentType).slice(0, 100), path: attachment.path })),
        };
      }),
    };
  }
  onError(error) {
    this.write({ type: 'error', message: cut(errorText(error)) });
  }
  onEnd(result) {
    const notRun = [];
    for (const test of this.root ? this.root.allTests() : []) {
      if (this.done.has(test.id)) continue;
      if (this.written >= MAX_TESTS) {
        this.left++;
        continue;
      }
      this.written++;
      // Ended without a last attempt (stopped by the global timeout, or by a worker that died).
      if (test.results.length > 0) this.write(this.testLine(test));
      else notRun.push(this.describe(test));
    }
    this.write({ type: 'end', status: result.status, notRun, leftOut: this.left });
  }
}
module.exports = SealReporter;
`;
