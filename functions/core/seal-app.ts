// The one path every seal takes, from the CLI and from Lambda: run, judge, record, announce.

import { type BaselineSettings, DEFAULT_BASELINE_SETTINGS } from './baseline-settings';
import { boundText } from './bound-text';
import {
  type BaselinePorts,
  type ComparedRun,
  checkMaterials,
  compareRun,
  nextBaseline,
  readBaseline,
  releaseCommit,
} from './changes-since-green';
import { commitRange } from './commit-range';
import { PRODUCTION, sealEnvironment } from './environment-of';
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
import { redactDeep, secretRedactor } from './redact-secrets';
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
import { sealIdCandidates } from './seal-id';
import type { Spec } from './spec';
import { authSecrets } from './target-auth';
import { DECISIVE_LOOKBACK, decideTransition } from './transition';
import { decideVerdict, type Verdict } from './verdict';

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
  /** `apps[].readOnly.allow`: endpoints that only read though they take a body ("POST /api/search"). */
  readonly readOnlyAllow?: readonly string[];
  readonly spec: Spec;
  readonly rollbackTemplate: string;
  /** The release being sealed; null when none is known (a laptop run against a bare URL). */
  readonly release: ReleaseInfo | null;
  /** Milliseconds the seal may take, browser launch included. */
  readonly deadlineMs: number;
  /** The app's Playwright spec did not load (Lambda): recorded as the seal's tooling error. */
  readonly specError?: string;
  /** apps[].baseline: the comparison with the last green seal. @default compare, report only */
  readonly baseline?: BaselineSettings;
  /** apps[].repository (`github.com/org/app`): the compare link from the last green seal's commit. */
  readonly repository?: string;
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
  /** The baseline store and image differ; absent, a seal is not compared with the last green one. */
  readonly baselines?: BaselinePorts;
}

export interface SealOutcome {
  readonly seal: Seal;
  /** The seal already existed (a redelivered event): nothing ran, nothing was written. */
  readonly duplicate: boolean;
  /** Set when this call published the seal (first time, or a retry of a failed publish). */
  readonly published: boolean;
}

export async function sealApp(request: SealRequest, ports: SealPorts): Promise<SealOutcome> {
  const environment = request.environment ?? PRODUCTION;
  const found = await findSeal(request.sealId, environment, ports.store);
  if (found.existing) return finishDuplicate(found.existing, ports);
  const id = found.id;
  // A staging seal never breaks or recovers production: transitions stay within one environment.
  const recent = await ports.store.history(request.app, { limit: DECISIVE_LOOKBACK, environment });
  const lastDecisive = recent.seals.find((seal) => seal.status !== 'inconclusive');
  const checkedAt = ports.clock.now();
  const started = performance.now();
  // The seal's own secrets never leave in what it writes, however a page echoes them back.
  const redact = secretRedactor(authSecrets(request.auth));
  const onCheckFinished = ports.onCheckFinished;
  const settings = request.baseline ?? DEFAULT_BASELINE_SETTINGS;
  const baselines = settings.enabled ? ports.baselines : undefined;
  // Read while the browser runs: the comparison then costs only the diff.
  const baselineRead = baselines ? readBaseline(baselines.store, request.app, environment) : null;
  const run = await runSpec({
    spec: request.spec,
    baseUrl: request.baseUrl,
    appHosts: request.appHosts,
    auth: request.auth,
    readOnlyAllow: request.readOnlyAllow,
    launcher: ports.launcher,
    deadlineMs: request.deadlineMs,
    specError: request.specError,
    onCheckFinished: onCheckFinished && ((progress) => onCheckFinished(redactDeep(progress, redact))),
    suite: request.suite,
  });

  const evidenceErrors: string[] = [];
  // This run's own place for evidence: a concurrent run of the same seal cannot overwrite it.
  const evidenceAt = evidenceKey(id, checkedAt);
  // Redacted once: the stored checks and the baseline's material (ARIA text a page echoes) alike.
  const redactedChecks = redactDeep(run.checks, redact);
  const checks = await Promise.all(
    redactedChecks.map((check, index) =>
      withScreenshotLinks(check, index, evidenceAt, ports.evidence, evidenceErrors),
    ),
  );
  const materials = baselines ? checkMaterials(redactedChecks) : [];
  const compared =
    baselines && baselineRead ? compareRun(await baselineRead, materials, settings, baselines.differ) : null;
  const verdict = withFailOn(decideVerdict(checks, run.toolingError), compared);
  if (compared) {
    const changed = compared.changes.checks.some((check) => check.changed);
    if (verdict.status === 'red' || changed) {
      compared.changes.commits = await commitRange(
        request.repository,
        compared.changes.baseline?.commit,
        releaseCommit(request.release),
        baselines?.commits,
      );
    }
    await Promise.all(
      [...compared.pictures].map(([name, png]) =>
        storeShot(evidenceAt, name, png, ports.evidence, evidenceErrors),
      ),
    );
  }
  const rollback =
    verdict.status === 'red' && request.release
      ? renderRollbackCommand(request.rollbackTemplate, request.app, request.release)
      : null;

  const seal: Seal = {
    schemaVersion: SEAL_SCHEMA_VERSION,
    id,
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
    refused: redactDeep({ count: run.refused.count, requests: [...run.refused.requests] }, redact),
    ...(run.bodyReads
      ? {
          bodyReads: redactDeep(
            { count: run.bodyReads.count, requests: [...run.bodyReads.requests] },
            redact,
          ),
        }
      : {}),
    timings: {
      launchMs: roundOrNull(run.launchMs),
      checksMs: roundOrNull(run.checksMs),
      totalMs: Math.round(performance.now() - started),
    },
    evidence: { reportUrl: null, error: null },
    rollbackCommand: rollback?.command ?? null,
    toolingError:
      (run.toolingError === null ? null : redact(run.toolingError)) ??
      (rollback && rollback.command === null ? `rollback command: ${rollback.reason}` : null),
    deliveries: {},
    ...(compared ? { changes: compared.changes } : {}),
  };

  const report = (async () => {
    try {
      seal.evidence.reportUrl = await ports.evidence.putReport(
        evidenceAt,
        renderReportHtml(seal, { history: recent.seals }),
      );
    } catch (error) {
      evidenceErrors.push(`report: ${errorText(error)}`);
    }
  })();
  // Replaced only by a green seal: a red or inconclusive one keeps the last good picture.
  const baselineWrite =
    baselines && seal.changes && seal.status === 'green'
      ? writeBaseline(baselines, seal.changes, seal, materials, compared?.previous)
      : Promise.resolve();
  await Promise.all([report, baselineWrite]);
  // Evidence is proof, not the verdict: a verdict without pictures is still recorded.
  if (evidenceErrors.length > 0) seal.evidence.error = evidenceErrors.join('; ');

  const stored = await ports.store.put(seal);
  // Lost a race with a concurrent delivery of the same event: the winner announces, not us.
  if (stored.duplicate) return { seal: stored.seal, duplicate: true, published: false };

  const published = await publish(stored.seal, ports);
  return { seal: stored.seal, duplicate: false, published };
}

/**
 * The seal this request is a duplicate of, or the id its new seal takes. A seal of another environment
 * under the same id (a staging seal stored before ids named environments) never counts as this one.
 */
async function findSeal(
  id: string,
  environment: string,
  store: SealStore,
): Promise<{ readonly id: string; readonly existing?: Seal }> {
  const { legacy, own } = sealIdCandidates(id, environment);
  const mine = (seal: Seal | undefined) => seal !== undefined && sealEnvironment(seal) === environment;
  const atId = await store.get(id);
  if (mine(atId)) return { id, existing: atId };
  if (environment === PRODUCTION) {
    // The bare id is free, or holds an older seal of another environment: production moves aside.
    if (atId === undefined) return { id };
    const moved = await store.get(own);
    return mine(moved) ? { id: own, existing: moved } : { id: own };
  }
  if (legacy !== id) {
    const old = await store.get(legacy);
    if (mine(old)) return { id: legacy, existing: old };
  }
  return { id };
}

/** failOn turns a green seal red, with the reason; it never touches a red or inconclusive one. */
function withFailOn(verdict: Verdict, compared: ComparedRun | null): Verdict {
  const reasons = compared?.changes.failOn ?? [];
  if (verdict.status !== 'green' || reasons.length === 0) return verdict;
  return { status: 'red', summary: `red: changed since the last green seal: ${reasons.join('; ')}` };
}

async function writeBaseline(
  baselines: BaselinePorts,
  changes: NonNullable<Seal['changes']>,
  seal: Seal,
  materials: Parameters<typeof nextBaseline>[1],
  previous: Parameters<typeof nextBaseline>[2],
): Promise<void> {
  const next = nextBaseline(
    {
      id: seal.id,
      app: seal.app,
      environment: seal.environment ?? PRODUCTION,
      checkedAt: seal.checkedAt,
      release: seal.release,
    },
    materials,
    previous,
  );
  try {
    await baselines.store.write(next.baseline, next.screenshots);
    changes.baselineUpdated = true;
  } catch (error) {
    // The verdict stands; the next seal compares with the older baseline.
    const reason = `the baseline was not updated: ${boundText(errorText(error), 300)}`;
    changes.note = changes.note ? `${changes.note}; ${reason}` : reason;
  }
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
    // The material (ARIA snapshot, timings) feeds the comparison only: it is not part of the stored seal.
    check.attempts.map(
      async (
        { screenshotPng, fullPagePng, material: _material, artifactBytes, ...attempt },
        attemptIndex,
      ) => {
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
      },
    ),
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
