// Loads a bundled spec and selects its tests; no esbuild here, so the seal function can import it.
import type { PlaywrightSpecConfig } from '../../core/spec';
import { loadPlaywrightSpec } from './load-playwright-spec';
import { type SelectedCheck, selectTests } from './select-tests';

/** Loads a bundle made by preparePlaywrightSpec (in the Lambda, the one in the function's asset) and selects its tests. */
export async function loadPreparedSpec(
  bundleFile: string,
  config: Pick<PlaywrightSpecConfig, 'grep' | 'grepInvert'>,
  where: string,
): Promise<SelectedCheck[]> {
  return selectTests(await loadPlaywrightSpec(bundleFile, where), config, where);
}
