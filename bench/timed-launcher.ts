// Wraps a BrowserLauncher to time the two parts runSpec does not report apart: launch and close.
import type { BrowserLauncher, BrowserSession, BrowserTarget } from '../functions/core/ports';

export class TimedLauncher implements BrowserLauncher {
  launchMs: number | null = null;
  closeMs: number | null = null;

  constructor(private readonly inner: BrowserLauncher) {}

  async launch(target: BrowserTarget): Promise<BrowserSession> {
    const started = performance.now();
    const session = await this.inner.launch(target);
    this.launchMs = performance.now() - started;
    return {
      runCheck: (check, baseUrl, options) => session.runCheck(check, baseUrl, options),
      refusedRequests: () => session.refusedRequests(),
      close: async () => {
        const closing = performance.now();
        try {
          await session.close();
        } finally {
          this.closeMs = performance.now() - closing;
        }
      },
    };
  }
}
