// The apps' Playwright specs in the seal function: bundled at synth into playwright-specs/<app>.mjs, loaded once per container.
import { join } from 'node:path';
import { loadPreparedSpec } from '../adapters/playwright-spec/load-prepared-spec';
import type { PlaywrightTests } from '../adapters/playwright-spec/playwright-tests';
import { testChecks } from '../adapters/playwright-spec/select-tests';
import { errorText } from '../core/error-text';
import type { ResolvedApp } from '../core/find-app';
import type { Spec, TestCheck } from '../core/spec';
import { withTestChecks } from '../core/with-test-checks';

export interface AppSpec {
  readonly spec: Spec;
  /** The app's spec could not be used: the seal is inconclusive with this reason (never red). */
  readonly specError?: string;
}

export type PlaywrightSpecSource = (app: ResolvedApp) => Promise<AppSpec>;

/** Loads `<specDir>/<app>.mjs` the first time an app is sealed, and registers its tests with the launcher's runtime. */
export function bundledPlaywrightSpecs(specDir: string, tests: PlaywrightTests): PlaywrightSpecSource {
  const loaded = new Map<string, Promise<TestCheck[]>>();
  return async (app) => {
    const playwright = app.spec?.playwright;
    if (!playwright) return { spec: app.resolvedSpec };
    const where = `apps["${app.name}"].spec.playwright`;
    let checks = loaded.get(app.name);
    if (!checks) {
      checks = loadPreparedSpec(join(specDir, `${app.name}.mjs`), playwright, where).then((selected) => {
        tests.add(app.name, selected);
        return testChecks(app.name, selected);
      });
      loaded.set(app.name, checks);
    }
    try {
      return { spec: withTestChecks(app.resolvedSpec, await checks, where) };
    } catch (error) {
      return {
        spec: app.resolvedSpec,
        specError: `the app's Playwright spec could not be used: ${errorText(error)}`,
      };
    }
  };
}
