// Playwright's own `expect`, with the one part that needs its runner done here: expect.soft.
import { currentTest } from './current-test';

// biome-ignore lint/suspicious/noExplicitAny: Playwright's expect is a deeply generic callable object.
type AnyExpect = any;

/**
 * Web-first matchers, expect.poll, expect.configure and messages are Playwright's; a soft assertion
 * records its failure on the running test (which fails at its end with every message) instead of throwing.
 */
export function createSealExpect(base: AnyExpect): AnyExpect {
  const soft = (actual: unknown, messageOrOptions?: unknown) => softMatchers(base(actual, messageOrOptions));
  const wrap = (configured: AnyExpect): AnyExpect =>
    new Proxy(configured, {
      get(target, property, receiver) {
        if (property === 'soft') return soft;
        if (property === 'configure') {
          return (options: { soft?: boolean } & Record<string, unknown>) => {
            const { soft: isSoft, ...rest } = options ?? {};
            const next = target.configure(rest);
            if (!isSoft) return wrap(next);
            const softExpect = (actual: unknown, message?: unknown) => softMatchers(next(actual, message));
            return Object.assign(softExpect, {
              soft: softExpect,
              poll: next.poll,
              configure: wrap(next).configure,
            });
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
  return wrap(base);
}

function softMatchers(matchers: AnyExpect): AnyExpect {
  return new Proxy(matchers, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'not' || property === 'resolves' || property === 'rejects') return softMatchers(value);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = value.apply(target, args);
          if (result && typeof result.then === 'function') return result.catch(record);
          return result;
        } catch (error) {
          record(error);
        }
      };
    },
  });
}

function record(error: unknown): void {
  const state = currentTest.getStore();
  // Outside a test there is nowhere to keep it: behave like a hard assertion.
  if (!state) throw error;
  state.softErrors.push(error instanceof Error ? error.message : String(error));
}
