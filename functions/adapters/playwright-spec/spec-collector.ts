// Smoke Seal's own `test` of @playwright/test: collects describes, tests, hooks, modifiers and fixtures
// while a spec bundle is imported, and answers test.skip(), test.info(), test.step() while one runs.
import { currentTest, type SealTestInfo, TestSkipped } from './current-test';
import { fixtureNeeds } from './fixture-needs';
import type { FixtureDefinition, Hook, HookKind, Modifier, Scope, TestCase, UseOptions } from './spec-tree';

/** Fixtures every test may ask for; beforeAll/afterAll get the ones that are not per test. */
export const TEST_FIXTURES = ['page', 'context', 'request', 'baseURL', 'browserName'] as const;
export const SCOPE_FIXTURES = ['request', 'baseURL', 'browserName'] as const;

/** test.use options applied per page, since every check shares the seal's one browser context. */
const PAGE_OPTIONS = ['viewport', 'extraHTTPHeaders', 'colorScheme', 'actionTimeout', 'navigationTimeout'];
/** Options for the runner or the launch that mean nothing in a seal: accepted and ignored. */
const IGNORED_OPTIONS = ['headless', 'screenshot', 'trace', 'video', 'testIdAttribute'];

type Fn = (...args: unknown[]) => unknown;
interface Details {
  tag?: string | string[];
  annotation?: { type: string; description?: string } | { type: string; description?: string }[];
}

export interface SpecCollector {
  /** The `test` a spec imports from @playwright/test. */
  readonly test: unknown;
  enterFile(file: string): void;
  /** Ends collection: later test declarations are refused. */
  finish(): TestCase[];
}

export function createSpecCollector(): SpecCollector {
  const tests: TestCase[] = [];
  let file = '';
  let current: Scope = newScope('', null, '');
  let collecting = true;

  function where(): string {
    return file || 'the spec';
  }

  function fail(message: string): never {
    throw new Error(`${where()}: ${message}`);
  }

  function newScope(title: string, parent: Scope | null, inFile: string, tags: string[] = []): Scope {
    return {
      title,
      parent,
      file: inFile,
      mode: parent?.mode === 'serial' ? 'serial' : 'default',
      modifiers: [],
      hooks: [],
      tags,
      use: {},
      timeout: undefined,
    };
  }

  function needsOf(fn: Fn, what: string, known: readonly string[], fixtures: readonly FixtureDefinition[]) {
    let needs: string[];
    try {
      needs = fixtureNeeds(fn as never, what);
    } catch (error) {
      fail((error as Error).message);
    }
    const all = [...known, ...fixtures.map((fixture) => fixture.name)];
    for (const need of needs) {
      if (!all.includes(need)) {
        fail(
          `${what} asks for the fixture "${need}", which a seal does not provide (provided: ${[...new Set(all)].join(', ')})`,
        );
      }
    }
    return needs;
  }

  function tagsOf(details: Details | undefined): string[] {
    const tag = details?.tag;
    const tags = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag];
    for (const one of tags) {
      if (typeof one !== 'string' || !one.startsWith('@'))
        fail(`tag ${JSON.stringify(one)} must start with "@"`);
    }
    return tags;
  }

  function annotationsOf(details: Details | undefined) {
    const annotation = details?.annotation;
    return annotation === undefined ? [] : Array.isArray(annotation) ? annotation : [annotation];
  }

  function declare(
    title: unknown,
    second: unknown,
    third: unknown,
    fixtures: readonly FixtureDefinition[],
    modifiers: Modifier[],
  ): void {
    if (!collecting) fail('tests are declared when the spec loads, not while a test runs');
    if (typeof title !== 'string') fail('test(title, body): the title must be a string');
    const details = (typeof second === 'function' ? undefined : second) as Details | undefined;
    const body = (typeof second === 'function' ? second : third) as Fn | undefined;
    if (typeof body !== 'function')
      fail(`test "${title}": missing its body, test(title, async ({ page }) => …)`);
    tests.push({
      id: tests.length,
      title,
      scope: current,
      file,
      fn: body,
      needs: needsOf(body, `test "${title}"`, TEST_FIXTURES, fixtures),
      fixtures,
      tags: tagsOf(details),
      annotations: annotationsOf(details),
      modifiers,
    });
  }

  function describe(args: unknown[], mode: Scope['mode'] | null, modifier: Modifier | null): void {
    let title = '';
    let details: Details | undefined;
    let body: Fn | undefined;
    if (typeof args[0] === 'function') body = args[0] as Fn;
    else {
      title = String(args[0] ?? '');
      if (typeof args[1] === 'function') body = args[1] as Fn;
      else {
        details = args[1] as Details | undefined;
        body = args[2] as Fn | undefined;
      }
    }
    if (typeof body !== 'function') fail(`test.describe("${title}"): missing its callback`);
    const scope = newScope(title, current, file, tagsOf(details));
    if (mode) scope.mode = mode;
    if (modifier) scope.modifiers.push(modifier);
    const parent = current;
    current = scope;
    try {
      const result = body();
      if (result instanceof Promise) fail(`test.describe("${title}"): the callback must not be async`);
    } finally {
      current = parent;
    }
  }

  /** test.skip / fixme / fail / slow in all their call forms. */
  function modifier(kind: Modifier['kind'], fixtures: readonly FixtureDefinition[]) {
    return (...args: unknown[]) => {
      const state = currentTest.getStore();
      if (typeof args[0] === 'string' && kind !== 'slow') {
        // test.skip(title, body): a test declared with the modifier.
        declare(args[0], args[1], args[2], fixtures, [
          { kind, condition: true, needs: [], description: undefined },
        ]);
        return;
      }
      const [condition = true, description] = args as [unknown, string | undefined];
      if (state) {
        if (typeof condition === 'function')
          fail(`test.${kind}(callback) belongs at describe level, not inside a test`);
        applyInTest(state.info, kind, Boolean(condition), description);
        return;
      }
      if (!collecting) fail(`test.${kind}() called outside a test`);
      const needs =
        typeof condition === 'function'
          ? needsOf(condition as Fn, `test.${kind}(callback)`, SCOPE_FIXTURES, fixtures)
          : [];
      current.modifiers.push({
        kind,
        condition:
          typeof condition === 'function' ? (condition as Modifier['condition']) : Boolean(condition),
        needs,
        description,
      });
    };
  }

  function hook(kind: HookKind, fixtures: readonly FixtureDefinition[]) {
    return (...args: unknown[]) => {
      if (!collecting) fail(`test.${kind}: hooks are declared when the spec loads`);
      const title = typeof args[0] === 'string' ? args[0] : `${kind} hook`;
      const fn = (typeof args[0] === 'function' ? args[0] : args[1]) as Fn;
      if (typeof fn !== 'function') fail(`test.${kind}: missing its callback`);
      const known = kind === 'beforeEach' || kind === 'afterEach' ? TEST_FIXTURES : SCOPE_FIXTURES;
      const hookEntry: Hook = {
        kind,
        title,
        fn,
        needs: needsOf(fn, `test.${kind}`, known, fixtures),
        fixtures,
      };
      current.hooks.push(hookEntry);
    };
  }

  function use(options: Record<string, unknown>, fixtures: readonly FixtureDefinition[]): void {
    if (!collecting) fail('test.use belongs at file or describe level');
    const target = current.use as Partial<UseOptions> & Record<string, unknown>;
    for (const [key, value] of Object.entries(options ?? {})) {
      if (fixtures.some((fixture) => fixture.name === key)) {
        target.fixtureValues = { ...(target.fixtureValues ?? {}), [key]: value };
      } else if (PAGE_OPTIONS.includes(key)) {
        target[key] = value;
      } else if (key === 'browserName' && value === 'chromium') {
        // The seal's browser already.
      } else if (IGNORED_OPTIONS.includes(key)) {
        // Runner-only.
      } else if (key === 'baseURL') {
        fail(
          "test.use({ baseURL }) is not supported: a seal points baseURL at its target (production or the event's smoke URL); remove it",
        );
      } else {
        fail(
          `test.use({ ${key} }) is not supported in a seal: every check shares one browser context (supported: ${[...PAGE_OPTIONS, ...IGNORED_OPTIONS].join(', ')})`,
        );
      }
    }
  }

  function extend(base: readonly FixtureDefinition[], definitions: Record<string, unknown>) {
    const layer = base.length === 0 ? 1 : Math.max(...base.map((fixture) => fixture.layer)) + 1;
    const added: FixtureDefinition[] = [];
    for (const [name, raw] of Object.entries(definitions ?? {})) {
      const [value, options] = Array.isArray(raw) && raw.length === 2 && isOptions(raw[1]) ? raw : [raw, {}];
      const opts = options as { scope?: string; auto?: boolean; option?: boolean };
      if (opts.scope !== undefined && opts.scope !== 'test' && opts.scope !== 'worker') {
        fail(`test.extend: fixture "${name}" has an unknown scope "${opts.scope}"`);
      }
      const isFunction = typeof value === 'function';
      const known = [...TEST_FIXTURES, name];
      added.push({
        name,
        value,
        isFunction,
        needs: isFunction ? needsOf(value as Fn, `fixture "${name}"`, known, [...base, ...added]) : [],
        auto: opts.auto === true,
        option: opts.option === true,
        layer,
      });
    }
    return makeTest([...base, ...added]);
  }

  function info(): SealTestInfo {
    const state = currentTest.getStore();
    if (!state) fail('test.info() is only available while a test runs');
    return state.info;
  }

  async function step(title: string, body: () => unknown): Promise<unknown> {
    const state = currentTest.getStore();
    if (!state) fail(`test.step("${title}") is only available while a test runs`);
    state.steps.push(String(title));
    try {
      return await body();
    } catch (error) {
      if (error instanceof Error && !(error instanceof TestSkipped) && !('sealStep' in error)) {
        Object.assign(error, { sealStep: [...state.steps] });
      }
      throw error;
    } finally {
      state.steps.pop();
    }
  }

  function refuse(api: string, why: string) {
    return () => fail(`${api} is not supported in a seal: ${why}`);
  }

  function makeTest(fixtures: readonly FixtureDefinition[]): unknown {
    const test = Object.assign((...args: unknown[]) => declare(args[0], args[1], args[2], fixtures, []), {
      only: refuse('test.only', 'a focused test would silently drop the rest of the lane; remove .only'),
      skip: modifier('skip', fixtures),
      fixme: modifier('fixme', fixtures),
      fail: modifier('fail', fixtures),
      slow: modifier('slow', fixtures),
      beforeEach: hook('beforeEach', fixtures),
      afterEach: hook('afterEach', fixtures),
      beforeAll: hook('beforeAll', fixtures),
      afterAll: hook('afterAll', fixtures),
      use: (options: Record<string, unknown>) => use(options, fixtures),
      step,
      info,
      extend: (definitions: Record<string, unknown>) => extend(fixtures, definitions),
      setTimeout: (ms: number) => {
        const state = currentTest.getStore();
        if (state) state.onTimeoutChange(ms);
        else current.timeout = ms;
      },
      describe: guarded(
        Object.assign((...args: unknown[]) => describe(args, null, null), {
          serial: Object.assign((...args: unknown[]) => describe(args, 'serial', null), {
            only: refuse('test.describe.serial.only', 'remove .only'),
          }),
          parallel: Object.assign((...args: unknown[]) => describe(args, 'parallel', null), {
            only: refuse('test.describe.parallel.only', 'remove .only'),
          }),
          skip: (...args: unknown[]) =>
            describe(args, null, { kind: 'skip', condition: true, needs: [], description: undefined }),
          fixme: (...args: unknown[]) =>
            describe(args, null, { kind: 'fixme', condition: true, needs: [], description: undefined }),
          only: refuse(
            'test.describe.only',
            'a focused describe would silently drop the rest of the lane; remove .only',
          ),
          configure: (options: { mode?: Scope['mode']; retries?: number; timeout?: number }) => {
            if (options?.mode) current.mode = options.mode;
            if (options?.timeout !== undefined) current.timeout = options.timeout;
          },
        }),
        'test.describe',
      ),
    });
    return guarded(test, 'test');
  }

  return {
    test: makeTest([]),
    enterFile(name: string) {
      file = name;
      current = newScope('', null, name);
    },
    finish() {
      collecting = false;
      return tests;
    },
  };
}

function applyInTest(info: SealTestInfo, kind: Modifier['kind'], condition: boolean, description?: string) {
  if (!condition) return;
  if (kind === 'skip' || kind === 'fixme') throw new TestSkipped(kind, description);
  if (kind === 'fail') info.fail(true, description);
  if (kind === 'slow') info.slow(true, description);
}

function isOptions(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((key) => ['scope', 'auto', 'option', 'timeout', 'title', 'box'].includes(key))
  );
}

const HARMLESS = new Set([
  'then',
  'toJSON',
  'constructor',
  'prototype',
  'length',
  'name',
  'caller',
  'arguments',
]);

/** Reading an API the runtime does not have fails loudly, naming it, instead of `undefined is not a function`. */
function guarded<T extends object>(target: T, label: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object || HARMLESS.has(property)) {
        return Reflect.get(object, property, receiver);
      }
      throw new Error(
        `${label}.${property} is not supported by Smoke Seal's Playwright runtime (docs/spec.md lists what is)`,
      );
    },
  });
}
