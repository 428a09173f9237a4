// apps[].baseline: how a seal compares with the last green one, and when a change turns it red.
import { z } from 'zod';
import { TimingMetricSchema } from './seal-changes';

const MaskRectSchema = z
  .object({
    x: z.number().int().nonnegative(),
    y: z.number().int().nonnegative(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  })
  .strict();
export type MaskRect = z.infer<typeof MaskRectSchema>;

const ariaPattern = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected a regular expression (JavaScript syntax), e.g. "^- text: Tip"' },
  );

export const BaselineSettingsSchema = z
  .object({
    /** Compare with the last green seal and keep a baseline. @default true */
    enabled: z.boolean().default(true),
    /**
     * Regions left out of the picture comparison (clocks, ads), per check, keyed by the check's name or
     * path, in CSS pixels of the 1280x800 viewport: { "/tasks": [{ "x": 0, "y": 0, "width": 200, "height": 40 }] }.
     */
    mask: z.record(z.string().min(1).max(300), z.array(MaskRectSchema).max(20)).default({}),
    /**
     * ARIA snapshot lines left out of the comparison (a rotating tip, a ticker), per check, keyed by the
     * check's name or path: regular expressions tested on each line of Playwright's snapshot,
     * { "/": ["^- text: (Hold down|Enable or disable)"] }. Generated ids, UUIDs, long numbers, dates and clock
     * times are already masked (aria-diff.ts).
     */
    ariaIgnore: z.record(z.string().min(1).max(300), z.array(ariaPattern).max(20)).default({}),
    /** Share of pixels (percent) that may differ before a page counts as changed. @default 0.1 */
    visualTolerancePercent: z.number().min(0).max(100).default(0.1),
    /** pixelmatch's per-pixel colour threshold (0 strict .. 1 lax); anti-aliased pixels are ignored. @default 0.1 */
    pixelThreshold: z.number().min(0).max(1).default(0.1),
    /**
     * A timing regressed only when it grew by at least this many ms AND by `timingRatio`. @default 3000
     * (a trivial page's LCP swung from 1.3 s to 3.2 s between two seals on a loaded machine: docs/performance.md)
     */
    timingMinMs: z.number().int().nonnegative().default(3_000),
    /** @default 2 */
    timingRatio: z.number().min(1).default(2),
    /**
     * Which timings count as a change. @default ["ttfbMs"]: the server's answer. DOMContentLoaded, load, LCP
     * and CLS depend on the checker's CPU: on a loaded machine a trivial page's LCP swung from 1.3 s to
     * 5.5 s between seals (docs/changes.md), so they are measured and shown but judged only when named here.
     */
    timingMetrics: z.array(TimingMetricSchema).min(1).default(['ttfbMs']),
    /** Changes that turn the seal red (with the reason); without it a change is only reported. */
    failOn: z
      .object({
        /** Red when a page differs by more than this share of pixels (percent). */
        visualPercent: z.number().min(0).max(100).optional(),
        /** Red when a page's ARIA snapshot (its structure and names) changed. */
        aria: z.boolean().optional(),
        /** Red when a page's Largest Contentful Paint grew by this ratio (and by timingMinMs). */
        lcpRatio: z.number().min(1).optional(),
        /** Red when a page shows console errors its baseline did not have. */
        consoleErrors: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type BaselineSettings = z.infer<typeof BaselineSettingsSchema>;

export const DEFAULT_BASELINE_SETTINGS: BaselineSettings = BaselineSettingsSchema.parse({});

/** The masks of one check: by name first, then by path. */
export function masksFor(settings: BaselineSettings, name: string, path: string): readonly MaskRect[] {
  return settings.mask[name] ?? settings.mask[path] ?? [];
}

/** The ARIA lines a check leaves out of the comparison: by name first, then by path. */
export function ariaIgnoreFor(settings: BaselineSettings, name: string, path: string): readonly RegExp[] {
  return (settings.ariaIgnore[name] ?? settings.ariaIgnore[path] ?? []).map((pattern) => new RegExp(pattern));
}
