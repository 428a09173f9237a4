// What loading an app's Playwright spec produces: its describe scopes, tests, hooks and fixtures.

/** A fixture a spec defines with `test.extend`: a value, or `async (fixtures, use, testInfo) => …`. */
export interface FixtureDefinition {
  readonly name: string;
  readonly value: unknown;
  /** Defined as a function: set up per test, torn down after it. */
  readonly isFunction: boolean;
  /** The fixtures its function asks for (its first parameter's destructured names). */
  readonly needs: readonly string[];
  /** `{ auto: true }`: set up for every test even when not asked for. */
  readonly auto: boolean;
  /** `{ option: true }`: `test.use({ name: value })` may replace its value. */
  readonly option: boolean;
  /** Where it stands in the `test.extend` chain: a fixture that asks for its own name gets the one below. */
  readonly layer: number;
}

export type HookKind = 'beforeEach' | 'afterEach' | 'beforeAll' | 'afterAll';

export interface Hook {
  readonly kind: HookKind;
  readonly title: string;
  readonly fn: (...args: unknown[]) => unknown;
  readonly needs: readonly string[];
  readonly fixtures: readonly FixtureDefinition[];
}

/** test.skip / fixme / fail / slow, declared on a scope or a test: always, when a boolean holds, or from fixtures. */
export interface Modifier {
  readonly kind: 'skip' | 'fixme' | 'fail' | 'slow';
  readonly condition: boolean | ((fixtures: Record<string, unknown>) => unknown);
  readonly needs: readonly string[];
  readonly description: string | undefined;
}

/** The options of `test.use` a seal honours, per page (the browser context is shared). */
export interface UseOptions {
  viewport?: { width: number; height: number } | null;
  extraHTTPHeaders?: Record<string, string>;
  colorScheme?: 'light' | 'dark' | 'no-preference' | null;
  actionTimeout?: number;
  navigationTimeout?: number;
  /** Values of option fixtures (`test.extend({ name: [value, { option: true }] })`). */
  fixtureValues: Record<string, unknown>;
}

export interface Scope {
  readonly title: string;
  readonly parent: Scope | null;
  /** The file the scope was declared in (a file's root scope has an empty title). */
  readonly file: string;
  mode: 'default' | 'serial' | 'parallel';
  readonly modifiers: Modifier[];
  readonly hooks: Hook[];
  readonly tags: readonly string[];
  readonly use: Partial<UseOptions>;
  timeout: number | undefined;
}

export interface TestCase {
  readonly id: number;
  readonly title: string;
  readonly scope: Scope;
  readonly file: string;
  readonly fn: ((...args: unknown[]) => unknown) | null;
  readonly needs: readonly string[];
  readonly fixtures: readonly FixtureDefinition[];
  readonly tags: readonly string[];
  readonly annotations: readonly { readonly type: string; readonly description?: string }[];
  readonly modifiers: readonly Modifier[];
}

export interface LoadedSpec {
  readonly files: readonly string[];
  readonly tests: readonly TestCase[];
}

/** The describe titles from the file's root down to (and including) this scope. */
export function scopeTitles(scope: Scope): string[] {
  const titles: string[] = [];
  for (let at: Scope | null = scope; at; at = at.parent) if (at.title) titles.unshift(at.title);
  return titles;
}

/** The scope chain from the file's root down to this scope. */
export function scopeChain(scope: Scope): Scope[] {
  const chain: Scope[] = [];
  for (let at: Scope | null = scope; at; at = at.parent) chain.unshift(at);
  return chain;
}

/** Playwright's title path, as the seal names a check: `studio @qa-readonly › home renders`. */
export function titlePath(test: TestCase): string[] {
  return [...scopeTitles(test.scope), test.title];
}

/** All tags: `{ tag }` details and the @words of every title on the path. */
export function testTags(test: TestCase): string[] {
  const tags = new Set<string>();
  for (const scope of scopeChain(test.scope)) for (const tag of scope.tags) tags.add(tag);
  for (const tag of test.tags) tags.add(tag);
  for (const title of titlePath(test)) for (const tag of title.match(/@[\w:-]+/g) ?? []) tags.add(tag);
  return [...tags];
}

/** The outermost serial scope a test is in: such a group runs as one check, in order. */
export function serialGroup(test: TestCase): Scope | null {
  return scopeChain(test.scope).find((scope) => scope.mode === 'serial') ?? null;
}
