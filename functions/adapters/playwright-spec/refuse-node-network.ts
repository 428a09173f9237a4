// Node's own fetch and WebSocket, refused to spec code: they would reach the app around the browser's read-only guard.
import { currentTest } from './current-test';

let installed = false;
let loadingSpec = 0;

/**
 * Wraps globalThis.fetch and globalThis.WebSocket once per process: a call made while a spec loads
 * or from inside a running test throws, naming what to use instead; every other caller (the seal's
 * own adapters) is untouched. (page.evaluate(() => fetch(…)) runs in the browser, behind the guard.)
 */
export function refuseNodeNetworkToSpecs(): void {
  if (installed) return;
  installed = true;
  const global = globalThis as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource'] as const) {
    const original = global[name] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') continue;
    const refusing = new Proxy(original, {
      apply(target, self, args) {
        if (fromSpec()) throw refused(name);
        return Reflect.apply(target, self, args);
      },
      construct(target, args, newTarget) {
        if (fromSpec()) throw refused(name);
        return Reflect.construct(target, args, newTarget);
      },
    });
    global[name] = refusing;
  }
}

/** Runs a spec bundle's top level with Node's network refused to it. */
export async function whileLoadingSpec<T>(work: () => Promise<T>): Promise<T> {
  loadingSpec++;
  try {
    return await work();
  } finally {
    loadingSpec--;
  }
}

function fromSpec(): boolean {
  return loadingSpec > 0 || currentTest.getStore() !== undefined;
}

function refused(name: string): Error {
  return new Error(
    `${name} from spec code is refused in a seal: Node's ${name} would go around the browser's read-only guard; use the request fixture (request.get('/up')) or page`,
  );
}
