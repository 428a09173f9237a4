// A BrowserLauncher that cannot start, for a seal whose browser must not run (its sign-in could not be loaded).
import type { BrowserLauncher } from './ports';

/** Every launch fails with `reason`: the seal is inconclusive (a checker fault), stored and announced as such. */
export function unavailableLauncher(reason: string): BrowserLauncher {
  return {
    launch: async () => {
      throw new Error(reason);
    },
  };
}
