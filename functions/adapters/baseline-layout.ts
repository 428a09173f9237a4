// Where a baseline's files go, the same on S3 and on disk: <app>/<environment>/baseline.json and its pictures.
import { createHash } from 'node:crypto';
import type { Baseline } from '../core/baseline';

export const BASELINE_MANIFEST = 'baseline.json';

export const baselineLayout = {
  /** `<app>/<environment>`, each part safe as a path segment (a URL-named app is "127.0.0.1:8080"). */
  folder(app: string, environment: string): string {
    return `${safe(app)}/${safe(environment)}`;
  },
  /**
   * The manifest names each picture with its seal, so a new baseline never overwrites the files the
   * current manifest points at: the manifest is written last, and a reader sees the old or the new one whole.
   */
  withPictureNames(baseline: Baseline, screenshots: ReadonlyMap<string, Uint8Array>): Baseline {
    const stem = createHash('sha256').update(baseline.sealId).digest('hex').slice(0, 12);
    return {
      ...baseline,
      checks: baseline.checks.map((check, index) => ({
        ...check,
        screenshot: screenshots.has(check.name) ? `${stem}-${String(index + 1).padStart(2, '0')}.png` : null,
      })),
    };
  },
};

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || '_';
}
