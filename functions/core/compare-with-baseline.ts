// Compares one seal's per-check material with the app's baseline: pictures, structure, timings, console.
import { describeAriaDiff, diffAriaSnapshots } from './aria-diff';
import type { CheckMaterial, StoredBaseline } from './baseline';
import { ariaIgnoreFor, type BaselineSettings, masksFor } from './baseline-settings';
import { boundText } from './bound-text';
import { errorText } from './error-text';
import type { ImageDiffer } from './ports';
import {
  type CheckChange,
  MAX_ARIA_DIFF_LINES,
  MAX_ARIA_LINE_CHARS,
  MAX_NEW_CONSOLE_ERRORS,
} from './seal-changes';
import { describeTiming, grew, slowestOf, timingRegressions } from './timing-regressions';

export interface Comparison {
  readonly checks: readonly CheckChange[];
  /** The failOn rules tripped, as sentences naming the page. */
  readonly failOn: readonly string[];
  /** Pictures for the report (baseline and overlay of each changed page), by evidence name. */
  readonly pictures: ReadonlyMap<string, Uint8Array>;
}

export function compareWithBaseline(
  stored: StoredBaseline,
  materials: readonly CheckMaterial[],
  settings: BaselineSettings,
  differ: ImageDiffer,
): Comparison {
  const pictures = new Map<string, Uint8Array>();
  const failOn: string[] = [];
  const checks = materials.map((material, index): CheckChange => {
    const before = stored.baseline.checks.find((check) => check.name === material.name);
    const base = {
      name: material.name,
      path: material.path,
      changed: false,
      note: null,
      visual: null,
      aria: null,
      timings: [],
      newConsoleErrors: [],
    } satisfies CheckChange;
    if (!before) return { ...base, note: 'no baseline for this check yet' };

    const notes: string[] = [];
    let visual: CheckChange['visual'] = null;
    const beforePng = stored.screenshots.get(material.name);
    if (beforePng && material.screenshotPng) {
      try {
        const diff = differ.diff(beforePng, material.screenshotPng, {
          masks: masksFor(settings, material.name, material.path),
          threshold: settings.pixelThreshold,
        });
        const percent = diff.totalPixels === 0 ? 0 : round2((100 * diff.differentPixels) / diff.totalPixels);
        if (diff.sizeChanged || percent > settings.visualTolerancePercent) {
          const stem = pictureStem(index, material.name);
          pictures.set(`${stem}-baseline.png`, beforePng);
          if (diff.overlayPng) pictures.set(`${stem}-diff.png`, diff.overlayPng);
          visual = {
            percent,
            sizeChanged: diff.sizeChanged,
            baseline: `${stem}-baseline.png`,
            overlay: diff.overlayPng ? `${stem}-diff.png` : null,
          };
        }
      } catch (error) {
        notes.push(`pictures not compared: ${boundText(errorText(error), 200)}`);
      }
    } else if (beforePng || material.screenshotPng) {
      notes.push(material.screenshotPng ? 'no baseline picture' : 'no picture this time');
    }

    let aria: CheckChange['aria'] = null;
    if (before.ariaSnapshot !== null && material.ariaSnapshot !== null) {
      const diff = diffAriaSnapshots(before.ariaSnapshot, material.ariaSnapshot, {
        ignore: ariaIgnoreFor(settings, material.name, material.path),
      });
      if (diff.added.length + diff.removed.length > 0) {
        aria = {
          added: diff.added.slice(0, MAX_ARIA_DIFF_LINES).map((line) => boundText(line, MAX_ARIA_LINE_CHARS)),
          removed: diff.removed
            .slice(0, MAX_ARIA_DIFF_LINES)
            .map((line) => boundText(line, MAX_ARIA_LINE_CHARS)),
          addedCount: diff.added.length,
          removedCount: diff.removed.length,
          headline: describeAriaDiff(diff),
        };
      }
    }

    // Against the slowest of the recent green seals: a loaded machine's noise is inside that envelope.
    const envelope = slowestOf([before.timings, ...(before.timingSamples ?? [])]);
    const timings = timingRegressions(envelope, material.timings, {
      minMs: settings.timingMinMs,
      ratio: settings.timingRatio,
      metrics: settings.timingMetrics,
    });
    const known = new Set(before.consoleErrors.map(normalizeConsole));
    const newConsoleErrors = material.consoleErrors
      .filter((text) => !known.has(normalizeConsole(text)))
      .slice(0, MAX_NEW_CONSOLE_ERRORS)
      .map((text) => boundText(text, 300));

    const change: CheckChange = {
      ...base,
      changed: visual !== null || aria !== null || timings.length > 0 || newConsoleErrors.length > 0,
      note: notes.length > 0 ? notes.join('; ') : null,
      visual,
      aria,
      timings,
      newConsoleErrors,
    };
    failOn.push(...failOnReasons(change, envelope?.lcpMs ?? null, material, settings));
    return change;
  });
  return { checks, failOn, pictures };
}

function failOnReasons(
  change: CheckChange,
  lcpBefore: number | null,
  material: CheckMaterial,
  settings: BaselineSettings,
): string[] {
  const rules = settings.failOn;
  if (!rules) return [];
  const reasons: string[] = [];
  const where = change.path;
  if (rules.visualPercent !== undefined && change.visual && change.visual.percent > rules.visualPercent) {
    reasons.push(
      `${where}: ${change.visual.percent} % of pixels changed (failOn.visualPercent is ${rules.visualPercent})`,
    );
  }
  if (rules.aria && change.aria) reasons.push(`${where}: ${change.aria.headline} (failOn.aria)`);
  const lcpNow = material.timings?.lcpMs ?? null;
  if (
    rules.lcpRatio !== undefined &&
    lcpBefore !== null &&
    lcpNow !== null &&
    grew('lcpMs', lcpBefore, lcpNow, settings.timingMinMs, rules.lcpRatio)
  ) {
    reasons.push(
      `${where}: ${describeTiming({ metric: 'lcpMs', before: lcpBefore, now: lcpNow })} (failOn.lcpRatio is ${rules.lcpRatio})`,
    );
  }
  if (rules.consoleErrors && change.newConsoleErrors.length > 0) {
    reasons.push(`${where}: ${change.newConsoleErrors.length} new console errors (failOn.consoleErrors)`);
  }
  return reasons;
}

/** Numbers differ between runs (ids, line:column, timestamps): an error is the same error without them. */
function normalizeConsole(text: string): string {
  return text.replace(/\d+/g, '#');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Names beside the report: `03-tasks-baseline.png`, `03-tasks-diff.png`. */
function pictureStem(index: number, name: string): string {
  const safe = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 64);
  return `change-${String(index + 1).padStart(2, '0')}-${safe}`;
}
