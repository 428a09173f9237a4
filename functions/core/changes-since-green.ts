// The seal's side of issue 21: read the baseline, compare this run's material with it, make the next baseline.
import {
  BASELINE_SCHEMA_VERSION,
  type Baseline,
  type CheckMaterial,
  MAX_ARIA_SNAPSHOT_CHARS,
  MAX_BASELINE_CHECKS,
  MAX_BASELINE_CONSOLE_ERRORS,
  MAX_TIMING_SAMPLES,
  type StoredBaseline,
} from './baseline';
import type { BaselineSettings } from './baseline-settings';
import { boundText } from './bound-text';
import { compareWithBaseline } from './compare-with-baseline';
import { errorText } from './error-text';
import type { BaselineStore, CommitHistory, ImageDiffer } from './ports';
import type { CheckRun } from './run-spec';
import type { ReleaseInfo } from './seal';
import type { SealChanges } from './seal-changes';

export interface BaselinePorts {
  readonly store: BaselineStore;
  readonly differ: ImageDiffer;
  /** GitHub's compare API, when a token is configured; without it the seal carries only the link. */
  readonly commits?: CommitHistory;
}

/** What reading the baseline gave: the baseline, none yet, or why it could not be read. */
export type BaselineRead =
  | { readonly kind: 'found'; readonly stored: StoredBaseline }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly reason: string };

/** Started before the browser, so the read overlaps the run. */
export function readBaseline(store: BaselineStore, app: string, environment: string): Promise<BaselineRead> {
  return store.read(app, environment).then(
    (stored): BaselineRead => (stored ? { kind: 'found', stored } : { kind: 'none' }),
    (error: unknown): BaselineRead => ({
      kind: 'failed',
      reason: `the baseline could not be read: ${boundText(errorText(error), 300)}`,
    }),
  );
}

/**
 * The checks that take part: pages of the default lane, and any check whose attempt carries material
 * (a Playwright test once its runner hands an ARIA snapshot and timings over). Only what production
 * answered (passed or failed) is compared; an unfinished check shows the checker's state.
 */
export function checkMaterials(checks: readonly CheckRun[]): CheckMaterial[] {
  const materials: CheckMaterial[] = [];
  for (const check of checks) {
    if (check.outcome !== 'passed' && check.outcome !== 'failed') continue;
    const last = check.attempts.at(-1);
    if (!last || (check.kind !== 'page' && !last.material)) continue;
    materials.push({
      name: check.name,
      path: check.path,
      screenshotPng: last.screenshotPng,
      ariaSnapshot: last.material?.ariaSnapshot ?? null,
      timings: last.material?.timings ?? null,
      consoleErrors: last.consoleErrors,
    });
  }
  return materials.slice(0, MAX_BASELINE_CHECKS);
}

/** Why a seal without comparable checks was not compared (a Playwright spec's tests hand over no material yet). */
export const NOTHING_TO_COMPARE =
  "no check of this seal has a picture or page structure to compare (a Playwright spec's tests are not compared yet)";

export interface ComparedRun {
  readonly changes: SealChanges;
  readonly pictures: ReadonlyMap<string, Uint8Array>;
  /** The baseline compared with, whose timing samples the next baseline carries on. */
  readonly previous?: Baseline;
}

export function compareRun(
  read: BaselineRead,
  materials: readonly CheckMaterial[],
  settings: BaselineSettings,
  differ: ImageDiffer,
): ComparedRun {
  const empty = () => ({ checks: [], failOn: [], commits: null, baselineUpdated: false, baseline: null });
  if (materials.length === 0) {
    // Nothing of this seal could be compared: saying "unchanged" (or "first seal") would claim a look
    // that never happened.
    return { changes: { ...empty(), state: 'unavailable', note: NOTHING_TO_COMPARE }, pictures: new Map() };
  }
  if (read.kind === 'none') {
    return { changes: { ...empty(), state: 'first', note: null }, pictures: new Map() };
  }
  if (read.kind === 'failed') {
    return { changes: { ...empty(), state: 'unavailable', note: read.reason }, pictures: new Map() };
  }
  const { baseline } = read.stored;
  const compared = compareWithBaseline(read.stored, materials, settings, differ);
  return {
    changes: {
      ...empty(),
      state: 'compared',
      note: null,
      baseline: {
        sealId: baseline.sealId,
        checkedAt: baseline.checkedAt,
        releaseId: baseline.release?.releaseId || null,
        version: baseline.release?.version ?? null,
        commit: baseline.release?.commit ?? null,
      },
      checks: [...compared.checks],
      failOn: [...compared.failOn],
    },
    pictures: compared.pictures,
    previous: baseline,
  };
}

/** The commit a seal speaks for: the merge commit on the deploy branch, else the release's commit. */
export function releaseCommit(release: ReleaseInfo | null): string | null {
  return release?.mergeCommit ?? release?.commit ?? null;
}

/** The next baseline, from a green seal's material. */
export function nextBaseline(
  seal: {
    readonly id: string;
    readonly app: string;
    readonly environment: string;
    readonly checkedAt: string;
    readonly release: ReleaseInfo | null;
  },
  materials: readonly CheckMaterial[],
  previous?: Baseline,
): { readonly baseline: Baseline; readonly screenshots: ReadonlyMap<string, Uint8Array> } {
  const screenshots = new Map<string, Uint8Array>();
  const checks = materials.map((material) => {
    if (material.screenshotPng) screenshots.set(material.name, material.screenshotPng);
    // The timings of earlier green seals travel on, newest first, so the envelope outlives one seal.
    const before = previous?.checks.find((check) => check.name === material.name);
    const timingSamples = before
      ? [before.timings, ...(before.timingSamples ?? [])]
          .filter((sample) => sample !== null)
          .slice(0, MAX_TIMING_SAMPLES - 1)
      : [];
    return {
      name: boundText(material.name, 300),
      path: boundText(material.path, 2_000),
      screenshot: null,
      ariaSnapshot:
        material.ariaSnapshot === null ? null : material.ariaSnapshot.slice(0, MAX_ARIA_SNAPSHOT_CHARS),
      timings: material.timings,
      timingSamples,
      consoleErrors: material.consoleErrors
        .slice(0, MAX_BASELINE_CONSOLE_ERRORS)
        .map((text) => boundText(text, 500)),
    };
  });
  return {
    baseline: {
      schemaVersion: BASELINE_SCHEMA_VERSION,
      app: seal.app,
      environment: seal.environment,
      sealId: seal.id,
      checkedAt: seal.checkedAt,
      release: seal.release
        ? {
            releaseId: seal.release.releaseId,
            version: seal.release.version,
            commit: releaseCommit(seal.release),
          }
        : null,
      checks,
    },
    screenshots,
  };
}
