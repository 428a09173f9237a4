// Imports a spec bundle with Smoke Seal's runtime installed for its bridge, and returns the tests it declared.
import { pathToFileURL } from 'node:url';
import { PlaywrightSpecError } from './playwright-spec-error';
import { refuseNodeNetworkToSpecs, whileLoadingSpec } from './refuse-node-network';
import { PLAYWRIGHT_RUNTIME_KEY } from './runtime-key';
import { createSealExpect } from './seal-expect';
import { createSpecCollector } from './spec-collector';
import type { LoadedSpec } from './spec-tree';

let loading: Promise<unknown> = Promise.resolve();
let loads = 0;

/**
 * One bundle at a time: the runtime is a global while the bundle's top level runs. `where` names
 * the spec in errors (`apps[0].spec.playwright`, `--spec`).
 */
export function loadPlaywrightSpec(bundleFile: string, where: string): Promise<LoadedSpec> {
  const next = loading.then(() => loadNow(bundleFile, where));
  loading = next.catch(() => undefined);
  return next;
}

async function loadNow(bundleFile: string, where: string): Promise<LoadedSpec> {
  // Playwright's expect (and its devices) are loaded only when an app brings a spec.
  const [{ expect }, { devices }] = await Promise.all([import('playwright/test'), import('playwright-core')]);
  refuseNodeNetworkToSpecs();
  const collector = createSpecCollector();
  const files: string[] = [];
  const global = globalThis as Record<symbol, unknown>;
  global[PLAYWRIGHT_RUNTIME_KEY] = {
    test: collector.test,
    expect: createSealExpect(expect),
    devices,
    enterFile: (file: string) => {
      files.push(file);
      collector.enterFile(file);
    },
  };
  try {
    // A query of its own per load: an ES module is evaluated once per URL, and each load needs its declarations.
    await whileLoadingSpec(() => import(`${pathToFileURL(bundleFile).href}?load=${++loads}`));
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    // Name the file being loaded when the message does not already.
    const file = files.at(-1);
    const located = file && !message.startsWith(`${file}:`) ? `${file}: ${message}` : message;
    throw new PlaywrightSpecError(`${where}: the spec failed to load: ${located}`, {
      cause: error,
    });
  } finally {
    delete global[PLAYWRIGHT_RUNTIME_KEY];
  }
  return { files, tests: collector.finish() };
}
