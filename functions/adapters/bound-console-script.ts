// Runs in every document of a seal before the page's own scripts: console output bounded at the source.

/** How many console calls a document may make before the rest are dropped in the page. */
export const MAX_CONSOLE_CALLS_PER_DOCUMENT = 200;
/** How long one string argument of a console call may be when it leaves the page. */
export const MAX_CONSOLE_ARGUMENT_CHARS = 2_000;
/** How many uncaught errors (and unhandled rejections) of a document reach the driver; the rest stay in the page. */
export const MAX_UNCAUGHT_ERRORS_PER_DOCUMENT = 20;

/**
 * Wraps the page's console methods so a page that logs without end (600 lines of 200 KB) cannot make
 * Chromium build, and Playwright parse in this process, hundreds of megabytes of protocol messages:
 * string arguments are cut and calls past the cap never reach the protocol. The seal keeps the first
 * 20 console errors anyway (attempt-evidence.ts); this bounds what it must receive to get them.
 * Likewise uncaught errors past the first few of a document are cancelled in the page (the error
 * event's preventDefault), so their (possibly huge) messages are never sent: the check has failed on
 * the first one already.
 * Plain JavaScript in a string: a bundler's helpers (esbuild's keepNames) must not leak into the page.
 */
export const BOUND_CONSOLE_SCRIPT = `(() => {
  const maxCalls = ${MAX_CONSOLE_CALLS_PER_DOCUMENT};
  const maxChars = ${MAX_CONSOLE_ARGUMENT_CHARS};
  let calls = 0;
  let uncaught = 0;
  const maxUncaught = ${MAX_UNCAUGHT_ERRORS_PER_DOCUMENT};
  const quieten = (event) => {
    if (event.type === 'error' && !(event instanceof ErrorEvent)) return;
    uncaught++;
    if (uncaught > maxUncaught) event.preventDefault();
  };
  window.addEventListener('error', quieten);
  window.addEventListener('unhandledrejection', quieten);
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'dirxml', 'table', 'assert']) {
    const original = console[level];
    if (typeof original !== 'function') continue;
    console[level] = function (...args) {
      calls++;
      if (calls > maxCalls) return;
      const cut = args.map((arg) =>
        typeof arg === 'string' && arg.length > maxChars ? arg.slice(0, maxChars) + '… [cut]' : arg,
      );
      if (calls === maxCalls) cut.push('(smoke-seal: further console output of this page is dropped)');
      return original.apply(this, cut);
    };
  }
})();`;
