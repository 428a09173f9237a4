// What the comparison with the last green seal adds to a warm seal, and what it stores per check (issue 21).
// `npm run bench:baseline` (BASELINE_ROUNDS=n): warm seals of the demo site in one process, alternating.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { startDemoSite } from '../e2e/demo-site';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { FileBaselineStore } from '../functions/adapters/file-baseline-store';
import { FileEvidenceStore } from '../functions/adapters/file-evidence-store';
import { PixelmatchImageDiffer } from '../functions/adapters/pixelmatch-image-differ';
import { BaselineSettingsSchema } from '../functions/core/baseline-settings';
import { compareWithBaseline } from '../functions/core/compare-with-baseline';
import { defaultSpec } from '../functions/core/default-spec';
import { describeChanges } from '../functions/core/describe-changes';
import { sealApp } from '../functions/core/seal-app';
import {
  type CheckChange,
  MAX_ARIA_DIFF_LINES,
  MAX_ARIA_LINE_CHARS,
  MAX_CHANGE_COMMITS,
  MAX_NEW_CONSOLE_ERRORS,
} from '../functions/core/seal-changes';
import { MemorySealStore } from '../test/fixtures/memory-seal-store';
import { formatMs, formatRatio, median, type Summary, summarize } from './stats';

export const BASELINE_START = '<!-- bench:baseline:start (npm run bench:baseline rewrites this block) -->';
export const BASELINE_END = '<!-- bench:baseline:end -->';
/** Issue 21: the comparison may make a warm seal at most 10 % slower. */
export const BASELINE_TARGET_RATIO = 1.1;

export interface BaselineCost {
  readonly rounds: number;
  readonly on: Summary;
  readonly off: Summary;
  readonly ratio: number;
  /** One page's comparison when its picture differs (decode both, pixelmatch, encode the overlay). */
  readonly changedCompare: Summary;
  readonly stored: { readonly checks: number; readonly manifestBytes: number; readonly pngBytes: number };
  readonly sealBytes: {
    readonly unchangedPerCheck: number;
    readonly worstPerCheck: number;
    readonly commits: number;
  };
  readonly load: readonly [number, number];
  /** Seals compared with a baseline, and the lines of those that said the unchanged site changed. */
  readonly falseChanges: { readonly compared: number; readonly flagged: readonly string[] };
}

export async function measureBaselineCost(options: {
  readonly baseUrl: string;
  readonly executablePath: string;
  readonly rounds: number;
}): Promise<BaselineCost> {
  const work = await mkdtemp(join(tmpdir(), 'smoke-seal-baseline-bench-'));
  try {
    const store = new MemorySealStore();
    const evidence = new FileEvidenceStore(join(work, 'reports'));
    const baselineStore = new FileBaselineStore(join(work, 'baselines'));
    const differ = new PixelmatchImageDiffer();
    const launchers = {
      on: new ChromiumLauncher({ executablePath: options.executablePath }),
      off: new ChromiumLauncher({ executablePath: options.executablePath, pageMaterial: false }),
    };
    let n = 0;
    let compared = 0;
    const falseChanges: string[] = [];
    const once = async (variant: 'on' | 'off'): Promise<number> => {
      n++;
      const started = performance.now();
      const { seal } = await sealApp(
        {
          sealId: `demo:manual:bench-${n}`,
          app: 'demo',
          trigger: 'manual',
          baseUrl: options.baseUrl,
          appHosts: [new URL(options.baseUrl).host],
          spec: defaultSpec,
          rollbackTemplate: 'x',
          release: null,
          deadlineMs: 60_000,
        },
        {
          launcher: launchers[variant],
          store,
          evidence,
          clock: { now: () => new Date() },
          ...(variant === 'on' ? { baselines: { store: baselineStore, differ } } : {}),
        },
      );
      const took = performance.now() - started;
      if (seal.status !== 'green') throw new Error(`a ${variant} seal of the demo site was ${seal.summary}`);
      if (variant === 'on' && seal.changes?.state === 'compared') {
        compared++;
        // The demo site does not change: anything flagged is a false "changed", counted and reported.
        const flagged = seal.changes.checks.filter((check) => check.changed);
        if (flagged.length > 0) falseChanges.push(describeChanges(seal.changes));
      }
      return took;
    };
    const loadBefore = loadavg()[0] ?? 0;
    await once('on'); // also makes the first baseline
    await once('off');
    const samples = { on: [] as number[], off: [] as number[] };
    const ratios: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      const pair: Partial<Record<'on' | 'off', number>> = {};
      for (const variant of order) pair[variant] = await once(variant);
      samples.on.push(pair.on!);
      samples.off.push(pair.off!);
      ratios.push(pair.on! / pair.off!);
    }

    // The stored baseline, and one page compared against a changed picture of itself.
    const stored = (await baselineStore.read('demo', 'production'))!;
    const folder = join(work, 'baselines', 'demo', 'production');
    const files = await readdir(folder);
    const sizes = await Promise.all(
      files.map(async (file) => [file, (await stat(join(folder, file))).size] as const),
    );
    const [name, png] = [...stored.screenshots][0]!;
    const changedPng = await shifted(png);
    const check = stored.baseline.checks.find((entry) => entry.name === name)!;
    const settings = BaselineSettingsSchema.parse({});
    const compareTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      compareWithBaseline(
        { baseline: { ...stored.baseline, checks: [check] }, screenshots: new Map([[name, png]]) },
        [
          {
            name,
            path: check.path,
            screenshotPng: changedPng,
            ariaSnapshot: check.ariaSnapshot,
            timings: check.timings,
            consoleErrors: [],
          },
        ],
        settings,
        differ,
      );
      compareTimes.push(performance.now() - started);
    }
    return {
      rounds: options.rounds,
      on: summarize(samples.on),
      off: summarize(samples.off),
      ratio: median(ratios),
      changedCompare: summarize(compareTimes),
      stored: {
        checks: stored.baseline.checks.length,
        manifestBytes: sizes.find(([file]) => file === 'baseline.json')?.[1] ?? 0,
        pngBytes: sizes.filter(([file]) => file.endsWith('.png')).reduce((sum, [, size]) => sum + size, 0),
      },
      sealBytes: sealSizes(),
      falseChanges: { compared, flagged: falseChanges },
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The same picture, its top 200 rows moved down by 40 (like a banner that appeared): a real decode and diff. */
async function shifted(png: Uint8Array): Promise<Uint8Array> {
  const { PNG } = await import('pngjs');
  const image = PNG.sync.read(Buffer.from(png));
  const row = image.width * 4;
  image.data.copyWithin(40 * row, 0, 200 * row);
  image.data.fill(0, 0, 40 * row);
  return PNG.sync.write(image);
}

/** What `changes` adds to a seal per check: an unchanged one, and the largest its bounds allow. */
function sealSizes(): BaselineCost['sealBytes'] {
  const unchanged: CheckChange = {
    name: 'sign-in',
    path: '/sign_in',
    changed: false,
    note: null,
    visual: null,
    aria: null,
    timings: [],
    newConsoleErrors: [],
  };
  const line = 'x'.repeat(MAX_ARIA_LINE_CHARS);
  const worst: CheckChange = {
    ...unchanged,
    changed: true,
    note: 'x'.repeat(200),
    visual: {
      percent: 12.34,
      sizeChanged: true,
      baseline: `change-01-${'x'.repeat(64)}-baseline.png`,
      overlay: `change-01-${'x'.repeat(64)}-diff.png`,
    },
    aria: {
      added: Array(MAX_ARIA_DIFF_LINES).fill(line),
      removed: Array(MAX_ARIA_DIFF_LINES).fill(line),
      addedCount: 99,
      removedCount: 99,
      headline: 'heading renamed (+99 −99 lines)',
    },
    timings: ['ttfbMs', 'domContentLoadedMs', 'loadMs', 'lcpMs', 'cls'].map((metric) => ({
      metric: metric as 'lcpMs',
      before: 1234.567,
      now: 9876.543,
    })),
    newConsoleErrors: Array(MAX_NEW_CONSOLE_ERRORS).fill('x'.repeat(300)),
  };
  const commits = {
    compareUrl: `https://github.com/acme/app/compare/${'a'.repeat(40)}...${'b'.repeat(40)}`,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    commits: Array(MAX_CHANGE_COMMITS).fill({
      sha: 'c'.repeat(40),
      title: 'x'.repeat(120),
      author: 'x'.repeat(80),
    }),
    total: 999,
    error: null,
  };
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  return { unchangedPerCheck: bytes(unchanged), worstPerCheck: bytes(worst), commits: bytes(commits) };
}

export function renderBaselineCost(cost: BaselineCost, when: Date): string {
  const verdict = cost.ratio <= BASELINE_TARGET_RATIO ? 'met' : 'missed';
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return `## What the comparison with the last green seal costs (issue 21)

_Written by bench/baseline-cost.ts (\`npm run bench:baseline\`, BASELINE_ROUNDS=n). Last run: ${when.toISOString()}._

Warm seals of the demo site (default spec: 3 pages, 3 status checks, concurrency 4) through \`sealApp\` in
one process, ${cost.rounds} rounds after one untimed warm-up of each, alternating which goes first. "With"
reads each page's ARIA snapshot and timings in the browser, reads the baseline from the state folder while
the browser runs, compares pictures (pixelmatch), structure, timings and console, and writes the new
baseline (every seal here is green and unchanged, as a nightly seal of a healthy app is). "Without" is the
same launcher with the page material off and no baseline port. Seal time is the whole \`sealApp\` call
(launch, checks, close, verdict, evidence, record). The 1-minute load average was ${cost.load[0].toFixed(1)}
before and ${cost.load[1].toFixed(1)} after (2 cores, shared with other work).

| Variant | Seal |
|---|---|
| with the comparison | ${formatMs(cost.on)} |
| without | ${formatMs(cost.off)} |

With ÷ without (median of per-round ratios): **${formatRatio(cost.ratio)}**; target at most
${formatRatio(BASELINE_TARGET_RATIO)}: **${verdict}**.

False "changed" on the unchanged demo site: **${cost.falseChanges.flagged.length} of ${cost.falseChanges.compared}**
compared seals${cost.falseChanges.flagged.length > 0 ? ` (${cost.falseChanges.flagged.map((line) => `"${line}"`).join('; ')})` : ''}.

One page whose picture changed (both pictures decoded, pixelmatch on 1280x800, the overlay encoded),
10 times: ${formatMs(cost.changedCompare)}. An unchanged page usually costs no decoding at all: its
capture is byte-identical to the baseline's.

**Stored per app and environment** (the demo site's baseline, ${cost.stored.checks} pages): manifest
${kb(cost.stored.manifestBytes)}, pictures ${kb(cost.stored.pngBytes)}, so about
${kb((cost.stored.manifestBytes + cost.stored.pngBytes) / Math.max(1, cost.stored.checks))} per check.
Bounds: 50 checks, an ARIA snapshot of 16,000 characters, 20 console lines of 500 characters, one
viewport PNG per check.

**Added to the seal** (\`changes\`, DynamoDB item): ${cost.sealBytes.unchangedPerCheck} bytes per unchanged check,
at most ${cost.sealBytes.worstPerCheck} bytes per changed check (10 + 10 ARIA lines of 160 characters,
5 console lines of 300, 5 timings), plus at most ${cost.sealBytes.commits} bytes for the commit range
(20 commits) and about 300 bytes for the baseline's identity.`;
}

export function spliceBaselineCost(existing: string, block: string): string {
  const wrapped = `${BASELINE_START}\n${block.trim()}\n${BASELINE_END}`;
  const start = existing.indexOf(BASELINE_START);
  const end = existing.indexOf(BASELINE_END);
  if (start < 0 || end < start) return `${existing.trimEnd()}\n\n${wrapped}\n`;
  return `${existing.slice(0, start)}${wrapped}${existing.slice(end + BASELINE_END.length)}`;
}

async function main(): Promise<void> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rounds = Number(process.env.BASELINE_ROUNDS ?? 6);
  const executablePath = await sparticuz.executablePath();
  const site = await startDemoSite();
  try {
    const cost = await measureBaselineCost({ baseUrl: site.url, executablePath, rounds });
    const block = renderBaselineCost(cost, new Date());
    const docPath = join(repoRoot, 'docs', 'performance.md');
    const existing = existsSync(docPath) ? await readFile(docPath, 'utf8') : '# Performance\n';
    await writeFile(docPath, spliceBaselineCost(existing, block));
    process.stdout.write(`${block}\n\nWrote ${docPath}\n`);
  } finally {
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
