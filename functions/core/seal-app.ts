// The one path every seal takes, from the CLI and from Lambda: run, judge, record, announce.
import { PRODUCTION } from './environment-of';
import { errorText } from './error-text';
import { evidenceKey } from './evidence-key';
import type {
  ArtifactBytes,
  BrowserLauncher,
  CheckProgress,
  Clock,
  EvidenceStore,
  SealPublisher,
  SealStore,
  SpecSuite,
  TargetAuth,
} from './ports';
import { renderReportHtml } from './report-html';
import { renderRollbackCommand } from './rollback-command';
import { type CheckRun, runSpec } from './run-spec';
import {
  type Attempt,
  type CheckResult,
  type ReleaseInfo,
  SEAL_SCHEMA_VERSION,
  type Seal,
  type Trigger,
} from './seal';
import type { Spec } from './spec';
import { DECISIVE_LOOKBACK, decideTransition } from './transition';
import { decideVerdict } from './verdict';

export interface SealRequest {
  readonly sealId: string;
  readonly app: string;
  /** The environment the base URL belongs to; transitions compare within it. @default "production" */
  readonly environment?: string;
  readonly trigger: Trigger;
  readonly baseUrl: string;
  /** The app's hosts (production host and allowedHosts): the browser may reach them even when private. */
  readonly appHosts: readonly string[];
  /** Sign-in material for the app's hosts; never recorded. */
  readonly auth?: TargetAuth;
  readonly spec: Spec;
  readonly rollbackTemplate: string;
  /** The release being sealed; null when none is known (a laptop run against a bare URL). */
  readonly release: ReleaseInfo | null;
  /** Milliseconds the seal may take, browser launch included. */
  readonly deadlineMs: number;
  /** The app's Playwright spec did not load (Lambda): recorded as the seal's tooling error. */
  readonly specError?: string;
  /** The app's own Playwright suite, run by Playwright Test (its tests become checks). */
  readonly suite?: SpecSuite;
}

export interface SealPorts {
  readonly launcher: BrowserLauncher;
  readonly store: SealStore;
  readonly evidence: EvidenceStore;
  readonly clock: Clock;
  /** Absent when nothing is to be announced (a plain local run). */
  readonly publisher?: SealPublisher;
  /** Told as each check finishes: the CLI's progress lines. */
  readonly onCheckFinished?: (progress: CheckProgress) => void;
}

export interface SealOutcome {
  readonly seal: Seal;
  /** The seal already existed (a redelivered event): nothing ran, nothing was written. */
  readonly duplicate: boolean;
  /** Set when this call published the seal (first time, or a retry of a failed publish). */
  readonly published: boolean;
}

export async function sealApp(request: SealRequest, ports: SealPorts): Promise<SealOutcome> {
  const existing = await ports.store.get(request.sealId);
  if (existing) return finishDuplicate(existing, ports);

  const environment = request.environment ?? PRODUCTION;
  // A staging seal never breaks or recovers production: transitions stay within one environment.
  const recent = await ports.store.history(request.app, { limit: DECISIVE_LOOKBACK, environment });
  const lastDecisive = recent.seals.find((seal) => seal.status !== 'inconclusive');
  const checkedAt = ports.clock.now();
  const started = performance.now();
  const run = await runSpec({
    spec: request.spec,
    baseUrl: request.baseUrl,
    appHosts: request.appHosts,
    auth: request.auth,
    launcher: ports.launcher,
    deadlineMs: request.deadlineMs,
    specError: request.specError,
    onCheckFinished: ports.onCheckFinished,
    suite: request.suite,
  });

  const evidenceErrors: string[] = [];
  // This run's own place for evidence: a concurrent run of the same seal cannot overwrite it.
  const evidenceAt = evidenceKey(request.sealId, checkedAt);
  const checks = await Promise.all(
    run.checks.map((check, index) =>
      withScreenshotLinks(check, index, evidenceAt, ports.evidence, evidenceErrors),
    ),
  );
  const verdict = decideVerdict(checks, run.toolingError);
  const rollback =
    verdict.status === 'red' && request.release
      ? renderRollbackCommand(request.rollbackTemplate, request.app, request.release)
      : null;

  const seal: Seal = {
    schemaVersion: SEAL_SCHEMA_VERSION,
    id: request.sealId,
    app: request.app,
    environment,
    trigger: request.trigger,
    release: request.release,
    status: verdict.status,
    transition: decideTransition(lastDecisive, verdict.status),
    summary: verdict.summary,
    checkedAt: checkedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    targetUrl: request.baseUrl,
    checks,
    refused: { count: run.refused.count, requests: [...run.refused.requests] },
    timings: {
      launchMs: roundOrNull(run.launchMs),
      checksMs: roundOrNull(run.checksMs),
      totalMs: Math.round(performance.now() - started),
    },
    evidence: { reportUrl: null, error: null },
    rollbackCommand: rollback?.command ?? null,
    toolingError:
      run.toolingError ??
      (rollback && rollback.command === null ? `rollback command: ${rollback.reason}` : null),
    deliveries: {},
  };

  try {
    seal.evidence.reportUrl = await ports.evidence.putReport(evidenceAt, renderReportHtml(seal));
  } catch (error) {
    evidenceErrors.push(`report: ${errorText(error)}`);
  }
  // Evidence is proof, not the verdict: a verdict without pictures is still recorded.
  if (evidenceErrors.length > 0) seal.evidence.error = evidenceErrors.join('; ');

  const stored = await ports.store.put(seal);
  // Lost a race with a concurrent delivery of the same event: the winner announces, not us.
  if (stored.duplicate) return { seal: stored.seal, duplicate: true, published: false };

  const published = await publish(stored.seal, ports);
  return { seal: stored.seal, duplicate: false, published };
}

/** A seal seen again: publish it only if its first announcement never went out. */
async function finishDuplicate(seal: Seal, ports: SealPorts): Promise<SealOutcome> {
  if (!ports.publisher || seal.deliveries.published?.state === 'delivered') {
    return { seal, duplicate: true, published: false };
  }
  const published = await publish(seal, ports);
  return { seal, duplicate: true, published };
}

/** Stored first, then announced; a failed publish is thrown so the invocation is retried. */
async function publish(seal: Seal, ports: SealPorts): Promise<boolean> {
  if (!ports.publisher) return false;
  await ports.publisher.publish(seal);
  const delivered = {
    state: 'delivered' as const,
    attempts: (seal.deliveries.published?.attempts ?? 0) + 1,
    updatedAt: ports.clock.now().toISOString(),
    detail: null,
  };
  await ports.store.updateDelivery(seal.id, 'published', delivered);
  seal.deliveries.published = delivered;
  return true;
}

async function withScreenshotLinks(
  check: CheckRun,
  index: number,
  sealId: string,
  evidence: EvidenceStore,
  errors: string[],
): Promise<CheckResult> {
  const attempts: Attempt[] = await Promise.all(
    check.attempts.map(async ({ screenshotPng, fullPagePng, artifactBytes, ...attempt }, attemptIndex) => {
      const name = screenshotName(index, check.name, attemptIndex);
      const [screenshot, fullPageScreenshot, artifacts] = await Promise.all([
        storeShot(sealId, name, screenshotPng, evidence, errors),
        storeShot(sealId, name.replace(/\.png$/, '-full.png'), fullPagePng ?? null, evidence, errors),
        storeArtifacts(sealId, name.replace(/\.png$/, ''), artifactBytes ?? [], evidence, errors),
      ]);
      const stored: Attempt = fullPageScreenshot
        ? { ...attempt, screenshot, fullPageScreenshot }
        : { ...attempt, screenshot };
      return artifacts.length > 0 ? { ...stored, artifacts } : stored;
    }),
  );
  return { ...check, attempts };
}

/** Playwright's evidence of a failed test (error context, trace) beside the report, named after the attempt. */
async function storeArtifacts(
  sealId: string,
  prefix: string,
  artifacts: readonly ArtifactBytes[],
  evidence: EvidenceStore,
  errors: string[],
): Promise<NonNullable<Attempt['artifacts']>> {
  const stored: NonNullable<Attempt['artifacts']> = [];
  for (const artifact of artifacts) {
    if (!evidence.putArtifact) break;
    const safe = artifact.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
    const file = `${prefix}-${safe}`;
    try {
      await evidence.putArtifact(sealId, file, artifact.bytes, artifact.contentType);
      stored.push({ kind: artifact.kind, file });
    } catch (error) {
      errors.push(`${file}: ${errorText(error)}`);
    }
  }
  return stored;
}

async function storeShot(
  sealId: string,
  name: string,
  png: Uint8Array | null,
  evidence: EvidenceStore,
  errors: string[],
): Promise<string | null> {
  if (!png) return null;
  try {
    await evidence.putScreenshot(sealId, name, png);
    return name;
  } catch (error) {
    errors.push(`${name}: ${errorText(error)}`);
    return null;
  }
}

/** Screenshot file names are relative to the seal's evidence folder, so the report links them as is. */
export function screenshotName(checkIndex: number, checkName: string, attemptIndex: number): string {
  // A Playwright test's title path can be long: file names stay short.
  const safe = checkName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 64);
  return `${String(checkIndex + 1).padStart(2, '0')}-${safe}-attempt${attemptIndex + 1}.png`;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
