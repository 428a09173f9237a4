// The missing-seal check's edge: once a day, every nightly app without a recent seal, in one metric, the log and an email.
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OperatorNotice } from '../adapters/sns-operator-notice';
import type { DeployConfig } from '../core/deploy-config';
import { findMissingSeals } from '../core/find-missing-seals';
import type { Clock, SealStore } from '../core/ports';

/** The metric the "nightly seals missing" alarm watches (lib/seal-alarms.ts): one series, no app dimension. */
export const MISSING_SEALS_METRIC = 'NightlySealsMissing';
/** Names per log line: 500 of at most 40 characters stay far below Lambda's 256 KiB log event. */
const NAMES_PER_LOG_LINE = 500;
/** Names in the email; the log has them all. */
const NAMES_IN_EMAIL = 2_000;

export interface MissingSealsHandlerDeps {
  readonly config: DeployConfig;
  readonly store: Pick<SealStore, 'latest'>;
  readonly notice: OperatorNotice;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  readonly metrics: Metrics;
  /** The stack's name, in the email's subject (several stacks may mail one team). */
  readonly stackName: string;
}

export interface MissingSealsResult {
  readonly checked: number;
  readonly missing: readonly string[];
}

/**
 * Quiet when every nightly app has a seal in the last alarms.noSealHours: the metric is 0 and nothing
 * is sent. Otherwise the metric is the count (the alarm rings), the log names every app and the email
 * names them too. A check that cannot read the store throws (the function's error alarm), and emits
 * no metric, which the alarm also treats as breaching.
 */
export function createMissingSealsHandler(deps: MissingSealsHandlerDeps) {
  const { config, logger, metrics } = deps;
  return async (): Promise<MissingSealsResult> => {
    try {
      const hours = config.alarms.noSealHours;
      const checked = config.apps.filter((app) => app.nightly).length;
      const missing = await findMissingSeals(config.apps, deps.store, deps.clock.now(), hours);
      metrics.addMetric(MISSING_SEALS_METRIC, MetricUnit.Count, missing.length);
      if (missing.length === 0) {
        logger.info('every nightly app has a seal', { checked, hours });
        return { checked, missing };
      }
      for (let start = 0; start < missing.length; start += NAMES_PER_LOG_LINE) {
        logger.error('nightly seals missing', {
          missing: missing.length,
          checked,
          hours,
          apps: missing.slice(start, start + NAMES_PER_LOG_LINE),
        });
      }
      const named = missing.slice(0, NAMES_IN_EMAIL);
      const more =
        missing.length > named.length
          ? `\n…and ${missing.length - named.length} more (see the check's log).`
          : '';
      await deps.notice.send(
        `Smoke Seal ${deps.stackName}: ${missing.length} nightly seal(s) missing`,
        [
          `${missing.length} of ${checked} nightly apps have no seal recorded in the last ${hours} hours:`,
          '',
          ...named.map((name) => `- ${name}`),
          more,
          '',
          "The night did not run for them, or did not finish: see the seal queue, its dead-letter queue and the seal function's log (docs/runbook.md).",
        ].join('\n'),
      );
      return { checked, missing };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
