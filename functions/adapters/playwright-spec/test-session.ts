// One seal's run of an app's Playwright tests: beforeAll once per describe scope, afterAll at the end.
import type { BrowserContext } from 'playwright-core';
import { FixtureResolver } from './resolve-fixtures';
import type { Hook, Scope } from './spec-tree';

/** How long each afterAll hook may take when the seal's browser closes. */
const AFTER_ALL_MS = 5_000;

export class TestSession {
  private readonly beforeAlls = new Map<Scope, Promise<void>>();
  private readonly started = new Set<Scope>();
  private readonly attempts = new Map<string, number>();
  /** Set when the seal's browser context closed (a crash, or the end). */
  contextClosed = false;

  constructor(
    readonly context: BrowserContext,
    readonly baseUrl: string,
  ) {
    context.on('close', () => {
      this.contextClosed = true;
    });
  }

  /** Which attempt of this check starts now (0 first, 1 the retry): testInfo.retry. */
  nextAttempt(id: string): number {
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    return attempt;
  }

  /** The scope-level fixtures: what beforeAll, afterAll and modifier callbacks may ask for. */
  scopeBuiltins() {
    return {
      // The context's request goes through the seal's read-only proxy like the pages (docs/spec.md).
      request: () => this.context.request,
      baseURL: () => this.baseUrl,
      browserName: () => 'chromium',
    };
  }

  /** Runs the beforeAll hooks of every scope in the chain once, outermost first; a failure stays. */
  async beforeAll(chain: readonly Scope[]): Promise<void> {
    for (const scope of chain) {
      this.started.add(scope);
      let done = this.beforeAlls.get(scope);
      if (!done) {
        done = this.runHooks(scope.hooks.filter((hook) => hook.kind === 'beforeAll'));
        this.beforeAlls.set(scope, done);
      }
      await done;
    }
  }

  /**
   * The afterAll hooks of every scope a test ran in, innermost first, just before the browser
   * closes. They are cleanup: their failures do not change the verdict (a read-only spec has nothing to undo).
   */
  async finish(): Promise<void> {
    const scopes = [...this.started].sort((a, b) => depth(b) - depth(a));
    for (const scope of scopes) {
      const hooks = scope.hooks.filter((hook) => hook.kind === 'afterAll');
      if (hooks.length === 0 || this.contextClosed) continue;
      await withTimeout(this.runHooks(hooks), AFTER_ALL_MS).catch(() => undefined);
    }
  }

  private async runHooks(hooks: readonly Hook[]): Promise<void> {
    for (const hook of hooks) {
      const resolver = new FixtureResolver(this.scopeBuiltins(), hook.fixtures, {}, undefined);
      try {
        await hook.fn(await resolver.object(hook.needs), undefined);
      } catch (error) {
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
          sealHook: hook.kind,
        });
      } finally {
        await resolver.tearDown();
      }
    }
  }
}

function depth(scope: Scope): number {
  let count = 0;
  for (let at = scope.parent; at; at = at.parent) count++;
  return count;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
