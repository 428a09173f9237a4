// The apps' loaded Playwright specs, for the browser adapter: it runs a `kind: "test"` check through here.
import type { BrowserContext } from 'playwright-core';
import type { AttemptOutcome, RunCheckOptions } from '../../core/ports';
import type { TestCheck } from '../../core/spec';
import { runPlaywrightTests } from './run-playwright-test';
import type { SelectedCheck } from './select-tests';
import { TestSession } from './test-session';

export class PlaywrightTests {
  private readonly specs = new Map<string, readonly SelectedCheck[]>();

  /** Registers the selected checks of one spec; their check ids are `<key>#<index>` (see testChecks). */
  add(key: string, checks: readonly SelectedCheck[]): void {
    this.specs.set(key, checks);
  }

  /** A seal's run of the tests in its browser context. */
  session(context: BrowserContext, baseUrl: string): PlaywrightTestRun {
    const session = new TestSession(context, baseUrl);
    return {
      run: (check, options) => {
        const at = check.test.lastIndexOf('#');
        const selected = this.specs.get(check.test.slice(0, at))?.[Number(check.test.slice(at + 1))];
        if (!selected) throw new Error(`no loaded Playwright test "${check.test}" (${check.name})`);
        return runPlaywrightTests(selected.tests, session, { ...options, checkId: check.test });
      },
      finish: () => session.finish(),
    };
  }
}

export interface PlaywrightTestRun {
  run(check: TestCheck, options: RunCheckOptions): Promise<AttemptOutcome>;
  /** afterAll hooks, before the browser closes. */
  finish(): Promise<void>;
}
