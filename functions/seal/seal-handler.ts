// The seal function's edge, with its dependencies passed in (handler.ts builds them once per container).
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { DeadLetter } from '../adapters/sqs-dead-letter';
import type { BaselinePorts } from '../core/changes-since-green';
import { cutUtf8 } from '../core/cut-utf8';
import type { DeployConfig } from '../core/deploy-config';
import { PRODUCTION, sealEnvironment } from '../core/environment-of';
import { errorText } from '../core/error-text';
import { ConfigError, EventError } from '../core/errors';
import { findApp, type ResolvedApp } from '../core/find-app';
import type {
  BrowserLauncher,
  Clock,
  EvidenceStore,
  SealPublisher,
  SealStore,
  TargetAuth,
} from '../core/ports';
import type { SealStatus } from '../core/seal';
import { parseSealEvent } from '../core/seal-event';
import { sealTrigger } from '../core/seal-trigger';
import { triggerFromEvent } from '../core/trigger-from-event';
import { unavailableLauncher } from '../core/unavailable-launcher';
import type { PlaywrightSpecSource } from './bundled-playwright-specs';

export interface SealHandlerDeps {
  readonly config: DeployConfig;
  readonly launcher: BrowserLauncher;
  readonly store: SealStore;
  readonly evidence: EvidenceStore;
  readonly publisher: SealPublisher;
  readonly deadLetter: DeadLetter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Kept back from the Lambda's remaining time for storing, uploading and publishing. */
  readonly marginMs: number;
  /** The apps' own Playwright specs (bundled at synth); without it an app with `spec.playwright` is inconclusive. */
  readonly playwrightSpecs?: PlaywrightSpecSource;
  /** The baseline store and differ: each seal is compared with the app's last green one (issue 21). */
  readonly baselines?: BaselinePorts;
  /** The app's sign-in material (apps[].auth secrets), cached by the loader; absent: no app signs in. */
  readonly loadAuth?: (app: ResolvedApp) => Promise<TargetAuth | undefined>;
}

export type SealHandlerResult =
  | {
      readonly outcome: 'sealed' | 'duplicate';
      readonly sealId: string;
      readonly status: SealStatus;
      readonly summary: string;
      readonly published: boolean;
    }
  | { readonly outcome: 'refused'; readonly reason: string }
  /** A release of an app another stack seals (events.foreignApps "ignore"): nothing run, parked or alarmed. */
  | { readonly outcome: 'ignored'; readonly reason: string };

/** Longest wait for an app's sign-in secrets before the seal goes ahead as inconclusive. */
const AUTH_TIMEOUT_MS = 5_000;

/** Below this, a seal could not even launch the browser: the deadline is clamped up to it. */
const MIN_DEADLINE_MS = 5_000;
/** The longest refusal reason logged, parked and returned. */
const MAX_REASON_BYTES = 1_000;

export function createSealHandler(deps: SealHandlerDeps) {
  const { config, logger, metrics } = deps;
  return async (event: unknown, context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>) => {
    logger.addContext(context as Context);
    try {
      let prepared: ReturnType<typeof prepare>;
      try {
        prepared = prepare(event, context.awsRequestId);
      } catch (error) {
        if (error instanceof EventError) return await refuse(event, error);
        throw error;
      }
      if ('ignored' in prepared) {
        logger.info('release of an app this stack does not seal; ignored', { reason: prepared.ignored });
        metrics.addMetric('ForeignAppEvent', MetricUnit.Count, 1);
        return { outcome: 'ignored', reason: prepared.ignored } satisfies SealHandlerResult;
      }
      const { app, trigger } = prepared;
      logger.appendKeys({
        app: app.name,
        trigger: trigger.trigger,
        releaseId: 'release' in trigger ? trigger.release.releaseId : undefined,
      });
      const signIn = await loadSignIn(app);
      const deadlineMs = Math.max(MIN_DEADLINE_MS, context.getRemainingTimeInMillis() - deps.marginMs);
      let outcome: Awaited<ReturnType<typeof sealTrigger>>;
      try {
        const appSpec = deps.playwrightSpecs
          ? await deps.playwrightSpecs(app)
          : {
              spec: app.resolvedSpec,
              ...(app.spec?.playwright ? { specError: 'no Playwright spec bundle in this function' } : {}),
            };
        outcome = await sealTrigger(
          { ...app, ...appSpec, auth: signIn.auth },
          trigger,
          {
            launcher: signIn.launcher,
            store: deps.store,
            evidence: deps.evidence,
            clock: deps.clock,
            publisher: deps.publisher,
            baselines: deps.baselines,
          },
          deadlineMs,
        );
      } catch (error) {
        // The smokeUrl allowlist is checked before anything runs or is written.
        if (error instanceof EventError) return await refuse(event, error);
        throw error;
      }
      const { seal, duplicate, published } = outcome;
      logger.appendKeys({
        sealId: seal.id,
        releaseId: seal.release?.releaseId,
        environment: sealEnvironment(seal),
      });
      metrics.addDimension('app', seal.app);
      // Production keeps the metrics its alarms watch; another environment's seals are their own series.
      const environment = sealEnvironment(seal);
      if (environment !== PRODUCTION) metrics.addDimension('environment', environment);
      if (duplicate) {
        metrics.addMetric('DuplicateEvent', MetricUnit.Count, 1);
        logger.info('seal already recorded; nothing ran', { status: seal.status, republished: published });
      } else {
        metrics.addMetric('SealRecorded', MetricUnit.Count, 1);
        metrics.addMetric(`Seal${seal.status[0]!.toUpperCase()}${seal.status.slice(1)}`, MetricUnit.Count, 1);
        metrics.addMetric('SealDuration', MetricUnit.Milliseconds, seal.durationMs);
        metrics.addMetric('RefusedRequests', MetricUnit.Count, seal.refused.count);
        logger.info('seal recorded', {
          status: seal.status,
          summary: seal.summary,
          transition: seal.transition,
          durationMs: seal.durationMs,
          refused: seal.refused.count,
        });
      }
      return {
        outcome: duplicate ? 'duplicate' : 'sealed',
        sealId: seal.id,
        status: seal.status,
        summary: seal.summary,
        published,
      } satisfies SealHandlerResult;
    } finally {
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };

  function prepare(
    event: unknown,
    requestId: string,
  ): { app: ResolvedApp; trigger: ReturnType<typeof triggerFromEvent> } | { ignored: string } {
    const parsed = parseSealEvent(event, config.events);
    const name = parsed.kind === 'release' ? parsed.event.detail.app : parsed.event.app;
    let app: ReturnType<typeof findApp>;
    try {
      app = findApp(config, name);
    } catch (error) {
      if (error instanceof ConfigError) {
        // A fleet split into stacks on one bus: each stack seals its own apps and lets the others pass.
        if (parsed.kind === 'release' && config.events.foreignApps === 'ignore') {
          return { ignored: cutUtf8(`detail.app: "${name}" is not an app of this stack`, MAX_REASON_BYTES) };
        }
        const field = parsed.kind === 'release' ? 'detail.app' : 'app';
        throw new EventError(`${field}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    const trigger = triggerFromEvent(parsed, {
      requestId,
      now: deps.clock.now(),
      timeZone: config.nightly.timeZone,
    });
    return { app, trigger };
  }

  /**
   * A sign-in that will not load (secret missing, unreadable, malformed, too slow) is the checker's
   * fault: the browser does not start, and the seal is stored inconclusive with the reason, never red.
   */
  async function loadSignIn(app: ResolvedApp): Promise<{ auth?: TargetAuth; launcher: BrowserLauncher }> {
    if (!deps.loadAuth) return { launcher: deps.launcher };
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${AUTH_TIMEOUT_MS} ms`)),
          AUTH_TIMEOUT_MS,
        );
      });
      const auth = await Promise.race([deps.loadAuth(app), timeout]);
      return { auth, launcher: deps.launcher };
    } catch (error) {
      const reason = `sign-in for ${app.name} could not be loaded: ${errorText(error)}`;
      logger.error('sign-in not loaded; the seal will be inconclusive', { reason });
      return { launcher: unavailableLauncher(reason) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Nothing is run, stored or sent; the event is parked where an operator sees it, and not retried. */
  async function refuse(event: unknown, error: EventError): Promise<SealHandlerResult> {
    // A reason may quote the event (an unknown app's name): bounded, so a huge event cannot make a huge log line.
    const reason = cutUtf8(error.message, MAX_REASON_BYTES);
    logger.error('event refused', { reason });
    metrics.addMetric('InvalidEvent', MetricUnit.Count, 1);
    await deps.deadLetter.park(event, reason);
    return { outcome: 'refused', reason };
  }
}
