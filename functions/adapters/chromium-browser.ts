// BrowserLauncher on headless Chromium from @sparticuz/chromium, driven by playwright-core: the launch
// (behind the read-only proxy), the session's health and its close. Each attempt runs in page-attempt.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { type BrowserContext, chromium as playwright } from 'playwright-core';
import type {
  AttemptOutcome,
  BrowserLauncher,
  BrowserSession,
  BrowserTarget,
  RefusedRequests,
  RunCheckOptions,
  StorageState,
} from '../core/ports';
import { RefusalTally } from '../core/refusal-tally';
import { settleWithin } from '../core/settle-within';
import type { Check } from '../core/spec';
import { BOUND_CONSOLE_SCRIPT } from './bound-console-script';
import { browserProcesses } from './browser-processes';
import { type BrowserFault, watchBrowser } from './browser-watchdog';
import { type CheckJudges, checkJudges, type ScriptCheckFn } from './check-judges';
import { chromiumExecutable } from './chromium-binary';
import { killBrowserProcesses } from './kill-browser-processes';
import { NotFoundProbe } from './not-found-probe';
import { AttemptEngine, type SessionHealth } from './page-attempt';
import { ReadOnlyProxy, type ReadOnlyProxyOptions } from './read-only-proxy';

export type { ScriptCheckFn } from './check-judges';

/**
 * @sparticuz/chromium's defaults that weaken the browser's security model. A smoke check must see
 * production as a user's browser does, so these go.
 */
export const INSECURE_CHROMIUM_FLAGS: readonly string[] = [
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

/**
 * What keeps every byte of the browser inside the read-only proxy: no QUIC (it would not use the proxy),
 * WebRTC limited to proxied traffic (no UDP leaves), the proxy's leaf key trusted for this browser only.
 */
export function guardArgs(leafSpkiSha256: string): string[] {
  return [
    '--disable-quic',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--webrtc-ip-handling-policy=disable_non_proxied_udp',
    `--ignore-certificate-errors-spki-list=${leafSpkiSha256}`,
  ];
}
/** Chromium's bypass rule that subtracts loopback from the implicit bypass list: loopback goes through the proxy. */
export const LOOPBACK_THROUGH_PROXY = '<-loopback>';
/** How many URLs the guard refused as destinations are remembered to name a navigation that ended there. */
const MAX_REFUSED_DESTINATIONS = 1_000;
/** Closing the browser at the end of a seal: past it, the browser is SIGKILLed (it is of no more use). */
const BROWSER_CLOSE_GRACE_MS = 500;

export interface ChromiumLauncherOptions {
  /** Named script checks that a spec can reference (`kind: "script"`). */
  readonly scripts?: Readonly<Record<string, ScriptCheckFn>>;
  /** Defaults to the binary inside @sparticuz/chromium, decompressed to /tmp on first use. */
  readonly executablePath?: string;
  /** Extra flags, e.g. for measurements. */
  readonly extraArgs?: readonly string[];
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Probe the app's not-found page once per seal (docs/spec.md); off only for measurements. */
  readonly notFoundProbe?: boolean;
  /** AWS_LAMBDA_RUNTIME_API ("host:port"), never reachable from the browser. Defaults to the environment's. */
  readonly runtimeApi?: string;
  /** Seams of the read-only proxy: a name resolver and an address classification (tests), an extra upstream CA. */
  readonly guard?: Pick<ReadOnlyProxyOptions, 'lookup' | 'classifyAddress' | 'extraCa'>;
  /**
   * The bench's guard-cost measurement only (bench/guard-cost.ts): `'off'` launches without the proxy.
   * Nothing in configuration, the CLI or the handlers reaches it. @default 'proxy'
   */
  readonly guardMode?: 'proxy' | 'off';
  /** Where the per-seal profile directory is made (default: the temp folder). */
  readonly profileRoot?: string;
  /** Read each page's ARIA snapshot and timings for the baseline (issue 21); off only for measurements. @default true */
  readonly pageMaterial?: boolean;
}

/** The Chromium flags a seal runs with: the library's serverless set minus the insecure ones. */
export function chromiumArgs(extra: readonly string[] = []): string[] {
  return [...sparticuz.args.filter((flag) => !INSECURE_CHROMIUM_FLAGS.includes(flag)), ...extra];
}

export class ChromiumLauncher implements BrowserLauncher {
  constructor(private readonly options: ChromiumLauncherOptions = {}) {}

  async launch(target: BrowserTarget): Promise<BrowserSession> {
    const executablePath = this.options.executablePath ?? (await chromiumExecutable());
    // A fresh profile per seal, removed on close: a warm Lambda must not fill /tmp.
    const userDataDir = await mkdtemp(join(this.options.profileRoot ?? tmpdir(), 'smoke-seal-profile-'));
    const tally = new RefusalTally();
    const bodyReads = new RefusalTally();
    const refusedDestinations = new Set<string>();
    let proxy: ReadOnlyProxy | null = null;
    let context: BrowserContext | null = null;
    try {
      if (this.options.guardMode !== 'off') {
        proxy = await ReadOnlyProxy.start({
          appHosts: target.appHosts,
          baseUrl: target.baseUrl,
          readOnlyAllow: target.readOnlyAllow ?? [],
          onBodyRead: (read) => bodyReads.add(read),
          runtimeApi: this.options.runtimeApi ?? process.env.AWS_LAMBDA_RUNTIME_API,
          auth: target.auth,
          ...this.options.guard,
          onRefusal: (refusal) => {
            tally.add(refusal);
            if (refusal.destination && refusedDestinations.size < MAX_REFUSED_DESTINATIONS) {
              refusedDestinations.add(refusal.url);
            }
          },
        });
      }
      // With the library's --single-process flag one context is what Chromium offers; checks run as
      // pages of it (docs/architecture.md has the measurements behind this choice).
      // A browser stopped (SIGSTOP) or killed while it starts would hold the launch to the deadline:
      // watched from outside, it fails the launch at once and is killed (docs/spec.md, "Whose fault").
      let launchFault: ((fault: BrowserFault) => void) | undefined;
      const faulted = new Promise<never>((_, reject) => {
        launchFault = (fault) =>
          reject(
            new Error(`the browser ${fault === 'stopped' ? 'stopped responding' : 'died'} while it started`),
          );
      });
      const stopLaunchWatch = watchBrowser(userDataDir, (fault) => {
        void killBrowserProcesses(userDataDir).finally(() => launchFault?.(fault));
      });
      const launching = playwright.launchPersistentContext(userDataDir, {
        executablePath,
        args: chromiumArgs([
          ...(proxy ? guardArgs(proxy.leafSpkiSha256) : []),
          ...(this.options.extraArgs ?? []),
        ]),
        headless: true,
        // Every request of every page, worker and APIRequestContext goes to the read-only proxy, loopback
        // too: `<-loopback>` named here, so no environment variable (PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_
        // PROXIED_LOOPBACK) can make Playwright leave it out and let loopback skip the guard.
        ...(proxy ? { proxy: { server: proxy.url, bypass: LOOPBACK_THROUGH_PROXY } } : {}),
        baseURL: target.baseUrl,
        serviceWorkers: 'block',
        viewport: this.options.viewport ?? { width: 1280, height: 800 },
        acceptDownloads: false,
        // Chromium and Playwright's fetch talk only to the proxy, which presents this seal's own leaves and
        // checks production's certificate itself as strictly as the browser (docs/spec.md).
        ignoreHTTPSErrors: proxy !== null,
      });
      launching.catch(() => undefined);
      try {
        context = await Promise.race([launching, faulted]);
        // Watched until the session's own watch takes over: a browser stopped right after it started
        // would otherwise hold these calls (and the seal) to the deadline.
        const ready = context;
        const setUp = (async () => {
          await ready.addInitScript({ content: BOUND_CONSOLE_SCRIPT });
          if (target.auth?.storageState) await applyStorageState(ready, target.auth.storageState);
        })();
        setUp.catch(() => undefined);
        await Promise.race([setUp, faulted]);
      } finally {
        stopLaunchWatch();
      }
      return new ChromiumSession(
        context,
        userDataDir,
        checkJudges(this.options.scripts ?? {}),
        {
          proxy,
          tally,
          bodyReads,
          refusedDestinations,
          appHosts: target.appHosts,
          signedIn: target.auth?.storageState !== undefined,
        },
        {
          probeNotFound: this.options.notFoundProbe ?? true,
          pageMaterial: this.options.pageMaterial ?? true,
        },
      );
    } catch (error) {
      await context?.close().catch(() => undefined);
      await proxy?.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
      throw error;
    }
  }
}

/** Cookies as they are; each origin's localStorage set by an init script before the page's own scripts. */
async function applyStorageState(context: BrowserContext, state: StorageState): Promise<void> {
  if (state.cookies.length > 0) await context.addCookies(state.cookies.map((cookie) => ({ ...cookie })));
  for (const { origin, localStorage } of state.origins) {
    if (localStorage.length === 0) continue;
    await context.addInitScript(
      ({ origin: wanted, entries }) => {
        if (location.origin !== wanted) return;
        for (const { name, value } of entries) window.localStorage.setItem(name, value);
      },
      { origin, entries: localStorage.map((entry) => ({ ...entry })) },
    );
  }
}

interface SessionGuard {
  readonly proxy: ReadOnlyProxy | null;
  readonly tally: RefusalTally;
  readonly bodyReads: RefusalTally;
  readonly refusedDestinations: ReadonlySet<string>;
  readonly appHosts: readonly string[];
  /** The seal signs in with a storage state (cookies, localStorage). */
  readonly signedIn: boolean;
}

class ChromiumSession implements BrowserSession {
  /** The seal is closing the browser itself: a close from now on is not a crash. */
  private closing = false;
  /** Shared with every attempt: a browser gone or wedged under one attempt ends the others' at once. */
  private readonly health: SessionHealth = { gone: false, unresponsive: false };
  /** The browser's processes, found after launch. */
  private pids: readonly number[] = [];
  private readonly engine: AttemptEngine;

  constructor(
    private readonly context: BrowserContext,
    readonly profileDir: string,
    judges: CheckJudges,
    private readonly guard: SessionGuard,
    options: { readonly probeNotFound: boolean; readonly pageMaterial: boolean },
  ) {
    this.engine = new AttemptEngine({
      context,
      judges,
      guard: {
        guarded: guard.proxy !== null,
        appHosts: guard.appHosts,
        refusedDestinations: guard.refusedDestinations,
        signedIn: guard.signedIn,
      },
      notFound: new NotFoundProbe(context, options.probeNotFound),
      health: this.health,
      pageMaterial: options.pageMaterial,
    });
    context.on('close', () => {
      if (!this.closing) this.health.gone = true;
    });
    // Found now, in the background, so a close that hangs can kill them at once (a /proc scan is slow).
    void browserProcesses(profileDir).then((pids) => {
      this.pids = pids;
    });
    // A browser stopped or killed from outside ends the seal's checks at once, as the checker's fault:
    // what is left of it is killed, so every pending call fails now instead of at the deadline.
    this.stopWatch = watchBrowser(profileDir, (fault) => {
      if (this.closing) return;
      if (fault === 'stopped') this.health.unresponsive = true;
      else this.health.gone = true;
      void killBrowserProcesses(profileDir, this.pids).then(() => {
        this.health.gone = true;
      });
    });
  }

  private readonly stopWatch: () => void;

  refusedRequests(): RefusedRequests {
    return this.guard.tally.snapshot();
  }

  bodyReads(): RefusedRequests {
    return this.guard.bodyReads.snapshot();
  }

  runCheck(check: Check, baseUrl: string, options: RunCheckOptions): Promise<AttemptOutcome> {
    return this.engine.run(check, baseUrl, options);
  }

  /** Bounded whatever the pages do: a browser that will not close in time is SIGKILLed, then its profile removed. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopWatch();
    try {
      const closed = !this.health.gone && (await settleWithin(this.context.close(), BROWSER_CLOSE_GRACE_MS));
      // Whatever the close said, nothing of this browser outlives the seal: a close that resolved can
      // still leave a process of a wedged browser behind (seen after a page spun its main thread).
      await killBrowserProcesses(this.profileDir, closed ? [] : this.pids);
    } finally {
      await this.guard.proxy?.close().catch(() => undefined);
      await rm(this.profileDir, { recursive: true, force: true });
    }
  }
}
