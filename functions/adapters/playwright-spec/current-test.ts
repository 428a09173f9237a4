// The test an async call chain belongs to, so test.skip(), test.info(), test.step() and expect.soft know it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface TestAnnotation {
  readonly type: string;
  readonly description?: string;
}

/** Playwright's TestInfo, the parts a smoke spec reads and calls. */
export interface SealTestInfo {
  readonly title: string;
  readonly titlePath: readonly string[];
  readonly file: string;
  readonly tags: readonly string[];
  readonly annotations: TestAnnotation[];
  readonly retry: number;
  readonly project: { readonly name: string; readonly use: { readonly baseURL: string } };
  readonly config: { readonly projects: readonly unknown[] };
  readonly errors: { message: string }[];
  readonly status: string;
  readonly expectedStatus: 'passed' | 'failed' | 'skipped';
  readonly timeout: number;
  setTimeout(ms: number): void;
  skip(condition?: unknown, description?: string): void;
  fixme(condition?: unknown, description?: string): void;
  fail(condition?: unknown, description?: string): void;
  slow(condition?: unknown, description?: string): void;
  attach(name: string, options?: unknown): Promise<void>;
  outputPath(...segments: string[]): string;
}

export interface TestState {
  readonly info: SealTestInfo;
  /** expect.soft failures, reported together when the test ends. */
  readonly softErrors: string[];
  /** test.step titles now open, outermost first. */
  readonly steps: string[];
  expectFailure: boolean;
  timeoutMs: number;
  /** Called when test.setTimeout or test.slow changes the budget of the running test. */
  onTimeoutChange: (ms: number) => void;
}

export const currentTest = new AsyncLocalStorage<TestState>();

/** Thrown by test.skip() / test.fixme() inside a test: the test is recorded as skipped. */
export class TestSkipped extends Error {
  constructor(
    readonly kind: 'skip' | 'fixme',
    description: string | undefined,
  ) {
    super(description ? `${kind}: ${description}` : kind);
    this.name = 'TestSkipped';
  }
}
