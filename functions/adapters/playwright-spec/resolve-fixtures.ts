// Sets up the fixtures one test (or hook) asks for, in Playwright's way, and tears them down after it.
import type { FixtureDefinition } from './spec-tree';

/** A fixture could not be set up or torn down: the checker's fault, not production's. */
export class FixtureBroke extends Error {
  constructor(name: string, cause: unknown) {
    super(`fixture "${name}" broke: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'FixtureBroke';
  }
}

export type Builtins = Readonly<Record<string, () => unknown>>;

export class FixtureResolver {
  private readonly values = new Map<string, Promise<unknown>>();
  private readonly teardowns: { name: string; run: () => Promise<void> }[] = [];

  constructor(
    private readonly builtins: Builtins,
    private readonly definitions: readonly FixtureDefinition[],
    private readonly optionValues: Readonly<Record<string, unknown>>,
    private readonly testInfo: unknown,
  ) {}

  /** The fixtures object for a function asking for `needs`. */
  async object(needs: readonly string[]): Promise<Record<string, unknown>> {
    const fixtures: Record<string, unknown> = {};
    for (const name of needs) fixtures[name] = await this.get(name);
    return fixtures;
  }

  /** Sets up the `{ auto: true }` fixtures. */
  async auto(): Promise<void> {
    for (const definition of this.definitions) if (definition.auto) await this.get(definition.name);
  }

  get(name: string, below = Number.POSITIVE_INFINITY): Promise<unknown> {
    const definition = this.definitions.findLast((entry) => entry.name === name && entry.layer < below);
    const key = `${name}@${definition?.layer ?? 0}`;
    let value = this.values.get(key);
    if (!value) {
      value = this.setUp(name, definition);
      this.values.set(key, value);
    }
    return value;
  }

  private async setUp(name: string, definition: FixtureDefinition | undefined): Promise<unknown> {
    if (!definition) {
      const builtin = this.builtins[name];
      if (!builtin) throw new FixtureBroke(name, new Error('no such fixture'));
      try {
        return await builtin();
      } catch (error) {
        throw new FixtureBroke(name, error);
      }
    }
    if (definition.option && name in this.optionValues) return this.optionValues[name];
    if (!definition.isFunction) return definition.value;
    const deps: Record<string, unknown> = {};
    for (const need of definition.needs) {
      deps[need] = await this.get(need, need === name ? definition.layer : Number.POSITIVE_INFINITY);
    }
    let provide!: (value: unknown) => void;
    let release!: () => void;
    const provided = new Promise<unknown>((resolve) => {
      provide = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fn = definition.value as (
      fixtures: Record<string, unknown>,
      use: (value: unknown) => Promise<void>,
      info: unknown,
    ) => Promise<void>;
    const running = Promise.resolve().then(() =>
      fn(
        deps,
        async (value) => {
          provide(value);
          await gate;
        },
        this.testInfo,
      ),
    );
    const finishedEarly = running.then(
      () => {
        throw new FixtureBroke(name, new Error('it finished without calling use()'));
      },
      (error: unknown) => {
        throw error instanceof FixtureBroke ? error : new FixtureBroke(name, error);
      },
    );
    const value = await Promise.race([provided, finishedEarly]);
    finishedEarly.catch(() => undefined);
    this.teardowns.push({
      name,
      run: async () => {
        release();
        try {
          await running;
        } catch (error) {
          throw new FixtureBroke(name, error);
        }
      },
    });
    return value;
  }

  /** Tears down in reverse order; the first failure is returned, every teardown still runs. */
  async tearDown(): Promise<FixtureBroke | null> {
    let first: FixtureBroke | null = null;
    for (const teardown of this.teardowns.reverse()) {
      try {
        await teardown.run();
      } catch (error) {
        first ??= error as FixtureBroke;
      }
    }
    this.teardowns.length = 0;
    return first;
  }
}
