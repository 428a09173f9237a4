// Method-override headers and `_method` parameters: frameworks (Rails, Laravel, Express's method-override,
// ASP.NET) turn a GET or POST carrying them into the method they name.

/** The headers that override a request's method, lower case. */
export const METHOD_OVERRIDE_HEADERS: readonly string[] = [
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
];

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request is not read-only by its override (`X-HTTP-Method-Override: DELETE is not read-only`),
 * or null when it names no method, or only a read.
 */
export function methodOverrideRefusal(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  search: URLSearchParams,
): string | null {
  for (const name of METHOD_OVERRIDE_HEADERS) {
    const value = headers[name];
    for (const method of [value ?? []].flat()) {
      const named = method.trim().toUpperCase();
      if (!READS.has(named)) return `${canonical(name)}: ${named.slice(0, 20)} is not read-only`;
    }
  }
  for (const method of search.getAll('_method')) {
    const named = method.trim().toUpperCase();
    if (!READS.has(named)) return `_method=${named.slice(0, 20)} is not read-only`;
  }
  return null;
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}
