// The `request` fixture, read-only: a spec's write is refused before it leaves, whatever guard sits behind.
import type { APIRequestContext } from 'playwright-core';

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * context.request with post/put/patch/delete (and fetch with a mutating method) refused: the test
 * fails with a message naming the call, and nothing reaches the app. Reads go through unchanged,
 * behind the browser context's proxy.
 */
export function readOnlyRequest(request: APIRequestContext): APIRequestContext {
  return new Proxy(request, {
    get(target, property, receiver) {
      if (typeof property === 'string' && WRITES.has(property)) {
        return async (url: string) => {
          throw refused(`request.${property}(${JSON.stringify(String(url).slice(0, 200))})`);
        };
      }
      if (property === 'fetch') {
        return (urlOrRequest: unknown, options?: { method?: string }) => {
          const method = (options?.method ?? methodOf(urlOrRequest) ?? 'GET').toUpperCase();
          if (!READ_METHODS.has(method))
            return Promise.reject(refused(`request.fetch(…, { method: "${method}" })`));
          return target.fetch(urlOrRequest as string, options);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function methodOf(value: unknown): string | undefined {
  if (
    typeof value === 'object' &&
    value !== null &&
    'method' in value &&
    typeof value.method === 'function'
  ) {
    return String(value.method());
  }
  return undefined;
}

function refused(call: string): Error {
  return new Error(`${call} is refused: a seal is read-only (only GET, HEAD and OPTIONS leave the browser)`);
}
