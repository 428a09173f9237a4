// Turns one bench run into the headline table (printed) and docs/performance.md's generated block.

import type { BenchData } from './bench-data';
import { ISOLATION_VARIANTS, VARIANT_LABELS } from './bench-launcher';
import { formatUsd, LAMBDA_PRICING, nightlyCost, sealCost } from './cost';
import type { MemoryPeak } from './memory-sampler';
import { comparePeer, judgePeerRatio, PEER_TARGET_RATIO } from './peer-comparison';
import type { PeerRun } from './run-peer';
import type { SealRun } from './run-seal-job';
import { formatMiB, formatMs, formatRatio, median, type Summary, summarize } from './stats';

export interface HeadlineRow {
  readonly measure: string;
  readonly figure: string;
  readonly target: string;
  /** "met", "missed by …", or "" when there is no target. */
  readonly verdict: string;
}

const GiB_KIB = 1024 * 1024;
const MB = 1_000_000;

function of<T>(runs: readonly T[], pick: (run: T) => number): Summary | null {
  return runs.length === 0 ? null : summarize(runs.map(pick));
}

function med<T>(runs: readonly T[], pick: (run: T) => number): number | null {
  return runs.length === 0 ? null : median(runs.map(pick));
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** The figures the targets are judged on, computed once for the table and the prose. */
export function computeFigures(data: BenchData) {
  const limitRatio = med(
    data.warm,
    (run) => run.result.sealMs / (run.result.launchMs + run.result.slowestCheckMs),
  );
  const peer = comparePeer(data.peer, data.warm);
  const latencyPeer = comparePeer(data.latencyPeer, data.latencyConcurrent);
  const warmWall = med(data.warm, (run) => run.processWallMs);
  const warmSeal = med(data.warm, (run) => run.result.sealMs);
  const sealAt = (count: number) =>
    med(count === 6 ? data.warm : (data.scaling.get(count) ?? []), (run) => run.result.sealMs);
  const checksAt = (count: number) =>
    med(count === 6 ? data.warm : (data.scaling.get(count) ?? []), (run) => run.result.checksMs);
  const coldWall = med(data.cold, (run) => run.processWallMs);
  const allSeal = [...data.cold, ...data.warm];
  const peakTreeRss = allSeal.length ? Math.max(...allSeal.map((run) => run.memory.treeRssKib)) : null;
  const peakTreePss = allSeal.length ? Math.max(...allSeal.map((run) => run.memory.treePssKib)) : null;
  return {
    limitRatio,
    peer,
    latencyPeer,
    concurrencyRatio: ratio(
      med(data.sequential, (run) => run.result.checksMs),
      med(data.warm, (run) => run.result.checksMs),
    ),
    latencyRatio: ratio(
      med(data.latencySequential, (run) => run.result.checksMs),
      med(data.latencyConcurrent, (run) => run.result.checksMs),
    ),
    latencySealRatio: ratio(
      med(data.latencySequential, (run) => run.result.sealMs),
      med(data.latencyConcurrent, (run) => run.result.sealMs),
    ),
    concurrencySealRatio: ratio(
      med(data.sequential, (run) => run.result.sealMs),
      med(data.warm, (run) => run.result.sealMs),
    ),
    growth6to24: ratio(sealAt(24), sealAt(6)),
    growth1to4: ratio(sealAt(4), sealAt(1)),
    checksGrowth6to24: ratio(checksAt(24), checksAt(6)),
    sealAt,
    checksAt,
    warmWall,
    warmSeal,
    coldWall,
    peakTreeRss,
    peakTreePss,
    releaseCost: coldWall === null ? null : sealCost(coldWall, data.memoryMb),
    warmCost: warmWall === null ? null : sealCost(warmWall, data.memoryMb),
  };
}

export function headlineRows(data: BenchData): HeadlineRow[] {
  const f = computeFigures(data);
  const rows: HeadlineRow[] = [];
  rows.push({
    measure: 'Cold seal, new process, first decompression (wall)',
    figure: formatMs(of(data.cold, (run) => run.processWallMs)),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Warm seal, new process, Chromium on disk (wall)',
    figure: formatMs(of(data.warm, (run) => run.processWallMs)),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Warm seal inside the process (sealApp)',
    figure: formatMs(of(data.warm, (run) => run.result.sealMs)),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Limit: launch + slowest check (same run)',
    figure: formatMs(of(data.warm, (run) => run.result.launchMs + run.result.slowestCheckMs)),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Warm seal ÷ limit (median of per-run ratios)',
    figure: formatRatio(f.limitRatio),
    target: '≤ 1.50×',
    verdict: judgeAtMost(f.limitRatio, 1.5, (by) => `missed by ${by.toFixed(2)}×`),
  });
  rows.push({
    measure: 'Checks one at a time ÷ 4 at once (checks phase)',
    figure: formatRatio(f.concurrencyRatio),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: `Same, site answering after ${data.latencyMs} ms (network-like)`,
    figure: formatRatio(f.latencyRatio),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Seal time, 24 checks ÷ 6 checks (concurrency 4)',
    figure: formatRatio(f.growth6to24),
    target: '≤ 4.00× (linear)',
    verdict: judgeAtMost(f.growth6to24, 4, (by) => `missed by ${by.toFixed(2)}×`),
  });
  rows.push({
    measure: 'Seal time, 4 checks ÷ 1 check (under the bound)',
    figure: formatRatio(f.growth1to4),
    target: '< 2.50× (closer to flat 1× than linear 4×)',
    verdict: judgeAtMost(f.growth1to4, 2.5, (by) => `missed by ${by.toFixed(2)}×`),
  });
  const peerTarget = `≥ ${PEER_TARGET_RATIO.toFixed(2)}×`;
  rows.push({
    measure: `Playwright Test (${fastestLabel(f.peer.fastest)}) ÷ seal, instant site, process wall`,
    figure: formatRatio(f.peer.wallRatio),
    target: `${peerTarget} (the verdict of record)`,
    verdict: judgePeerRatio(f.peer.wallRatio),
  });
  rows.push({
    measure: "Same, the runner's own duration ÷ sealApp",
    figure: formatRatio(f.peer.ownRatio),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: `Playwright Test (${fastestLabel(f.latencyPeer.fastest)}) ÷ seal, site answering after ${data.latencyMs} ms, process wall`,
    figure: formatRatio(f.latencyPeer.wallRatio),
    target: `${peerTarget} (same bar, network-like)`,
    verdict: judgePeerRatio(f.latencyPeer.wallRatio),
  });
  rows.push({
    measure: "Same, the runner's own duration ÷ sealApp",
    figure: formatRatio(f.latencyPeer.ownRatio),
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Peak memory, seal process + Chromium (VmRSS sum)',
    figure: formatMiB(f.peakTreeRss),
    target: '< 1024 MiB',
    verdict:
      f.peakTreeRss === null
        ? 'not measured'
        : f.peakTreeRss < GiB_KIB
          ? 'met'
          : `missed by ${formatMiB(f.peakTreeRss - GiB_KIB)}`,
  });
  rows.push(...bundleRows(data));
  rows.push({
    measure: `Cost of a release seal (cold, ${data.memoryMb} MB)`,
    figure: f.releaseCost ? formatUsd(f.releaseCost.usd) : 'n/a',
    target: '',
    verdict: '',
  });
  rows.push({
    measure: 'Cost of a month of nightly seals, 10 apps',
    figure: f.releaseCost ? formatUsd(nightlyCost(f.releaseCost.usd, 10)) : 'n/a',
    target: '',
    verdict: '',
  });
  return rows;
}

function bundleRows(data: BenchData): HeadlineRow[] {
  const bundle = data.bundle;
  if (!bundle.measured) {
    return [
      {
        measure: 'Seal function asset (zipped)',
        figure: `not measured: ${bundle.reason}`,
        target: '< 100 MB',
        verdict: 'not measured',
      },
    ];
  }
  return [
    {
      measure: 'Seal function asset, zipped (function + layers)',
      figure: `${(bundle.zippedBytes / MB).toFixed(1)} MB`,
      target: '< 100 MB',
      verdict:
        bundle.zippedBytes < 100 * MB
          ? 'met'
          : `missed by ${((bundle.zippedBytes - 100 * MB) / MB).toFixed(1)} MB`,
    },
    {
      measure: 'Seal function asset, unzipped (function + layers)',
      figure: `${(bundle.unzippedBytes / MB).toFixed(1)} MB`,
      target: '< 250 MB (Lambda limit)',
      verdict:
        bundle.unzippedBytes < 250 * MB
          ? 'met'
          : `missed by ${((bundle.unzippedBytes - 250 * MB) / MB).toFixed(1)} MB`,
    },
  ];
}

function judgeAtMost(value: number | null, limit: number, missed: (by: number) => string): string {
  if (value === null) return 'not measured';
  return value <= limit ? 'met' : missed(value - limit);
}

function workersLabel(workers: string): string {
  return workers === 'default' ? 'default workers' : `${workers} workers`;
}

function fastestLabel(fastest: { readonly workers: string } | null): string {
  return fastest ? workersLabel(fastest.workers) : 'n/a';
}

/** A fixed-width text table for the terminal. */
export function renderText(rows: readonly HeadlineRow[]): string {
  const header: HeadlineRow = {
    measure: 'Measure',
    figure: 'This machine',
    target: 'Target',
    verdict: 'Verdict',
  };
  const all = [header, ...rows];
  const width = (key: keyof HeadlineRow) => Math.max(...all.map((row) => row[key].length));
  const widths = { measure: width('measure'), figure: width('figure'), target: width('target') };
  const line = (row: HeadlineRow) =>
    `${row.measure.padEnd(widths.measure)}  ${row.figure.padEnd(widths.figure)}  ${row.target.padEnd(widths.target)}  ${row.verdict}`;
  return [
    line(header),
    '-'.repeat(widths.measure + widths.figure + widths.target + 16),
    ...rows.map(line),
  ].join('\n');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

function memoryCells(peaks: readonly MemoryPeak[]): string[] {
  const max = (pick: (peak: MemoryPeak) => number) => (peaks.length ? Math.max(...peaks.map(pick)) : null);
  return [
    formatMiB(max((peak) => peak.rootRssKib)),
    formatMiB(max((peak) => peak.descendantsRssKib)),
    formatMiB(max((peak) => peak.treeRssKib)),
    formatMiB(max((peak) => peak.treePssKib)),
    String(max((peak) => peak.maxProcesses) ?? 'n/a'),
  ];
}

const MEMORY_HEADERS = [
  'Node RSS',
  'Chromium RSS (sum)',
  'Tree RSS (sum)',
  'Tree PSS (sum)',
  'Processes',
] as const;

function partsRow(label: string, runs: readonly SealRun[]): string[] {
  return [
    label,
    formatMs(of(runs, (run) => run.result.startupMs)),
    formatMs(of(runs, (run) => run.result.decompressMs)),
    formatMs(of(runs, (run) => run.result.launchMs)),
    formatMs(of(runs, (run) => run.result.checksMs)),
    formatMs(of(runs, (run) => run.result.closeMs)),
    formatMs(of(runs, (run) => run.result.recordMs)),
    formatMs(of(runs, (run) => run.result.sealMs)),
    formatMs(of(runs, (run) => run.processWallMs)),
  ];
}

function sealPeerRow(site: string, runs: readonly SealRun[]): string[] {
  const outcome = [...new Set(runs.map((run) => run.result.status))].join('; ');
  return [
    'Smoke Seal (warm, new process)',
    site,
    formatMs(of(runs, (run) => run.processWallMs)),
    formatMs(of(runs, (run) => run.result.sealMs)),
    '1.00×',
    ...memoryCells(runs.map((run) => run.memory)),
    outcome || 'n/a',
  ];
}

function peerRow(site: string, workers: string, runs: readonly PeerRun[], sealWall: number | null): string[] {
  const wall = med(runs, (run) => run.processWallMs);
  const outcome = runs.map(
    (run) =>
      `${run.passed} passed${run.flaky ? `, ${run.flaky} flaky` : ''}${run.failed ? `, ${run.failed} failed` : ''}`,
  );
  return [
    `Playwright Test, ${workersLabel(workers)}`,
    site,
    formatMs(of(runs, (run) => run.processWallMs)),
    formatMs(of(runs, (run) => run.reportedMs)),
    formatRatio(ratio(wall, sealWall)),
    ...memoryCells(runs.map((run) => run.memory)),
    [...new Set(outcome)].join('; '),
  ];
}

export function renderMarkdown(data: BenchData): string {
  const f = computeFigures(data);
  const m = data.machine;
  const rows = headlineRows(data);
  const scalingCounts = [...new Set([1, 4, 6, ...data.scaling.keys()])].sort((a, b) => a - b);
  const seal = (count: number) => (count === 6 ? data.warm : (data.scaling.get(count) ?? []));
  const bundle = data.bundle;
  const latencySite = `${data.latencyMs} ms latency`;

  const parts: string[] = [];
  parts.push(`# Performance

_This block is written by \`npm run bench\` (bench/seal-bench.ts); edit the analysis below it instead.
Last run: ${m.date}, ${Math.round(m.benchMs / 1000)} s._

Every figure below comes from one run of the bench on the machine described here, against the demo
site (e2e/demo-site.ts) on 127.0.0.1. Absolute times are **this machine's**; compare them only as
ratios within this run. Each figure is the median, with min–max and the number of runs in brackets.
The machine has ${m.cores} cores shared with other engineers' work (load average ${m.loadBefore.map((l) => l.toFixed(2)).join(', ')} before the run,
${m.loadAfter.map((l) => l.toFixed(2)).join(', ')} after), so the spread is wider than on a quiet machine, and runs of the
variants are interleaved round by round so that a busy minute hits all of them alike.

## Machine and versions

${table(
  ['', ''],
  [
    ['CPU', `${m.cpu} (${m.cores} logical cores), ${m.memoryGiB.toFixed(0)} GiB RAM`],
    ['Kernel', m.kernel],
    ['Node.js', m.node],
    ['Chromium', `${m.chromium} from @sparticuz/chromium ${m.sparticuz}`],
    ['playwright-core / @playwright/test', `${m.playwrightCore} / ${m.playwrightTest}`],
    ['Seal function memory (cost)', `${data.memoryMb} MB`],
  ],
)}

## Headline

${table(
  ['Measure', 'This machine', 'Target (issue 7)', 'Verdict'],
  rows.map((row) => [row.measure, row.figure, row.target, row.verdict]),
)}

## Where a seal's time goes

A new Node process per seal, the default spec (6 checks, concurrency 4), the production adapter
(ChromiumLauncher). The process runs bench/seal-child.ts bundled the way the seal function is
(esbuild, ESM, minified; @sparticuz/chromium and playwright-core left beside it, as the stack does),
so it starts as the Lambda code does. **Cold**: \`TMPDIR\` points at a fresh empty folder, so
@sparticuz/chromium decompresses Chromium, its fonts and SwiftShader there first, as on a new Lambda
container. **Warm**: Chromium already decompressed, as on a reused container; a new process still
pays Node's start.

${table(
  [
    'Seal',
    'Start (Node, module load)',
    'Decompress',
    'Launch',
    'Checks',
    'Browser close',
    'Verdict + record',
    'sealApp',
    'Process wall',
  ],
  [partsRow('cold', data.cold), partsRow('warm', data.warm)],
)}

"Verdict + record" is the seal's time outside the browser: reading the previous seal, writing the
screenshots and the HTML report (FileEvidenceStore in a temp folder), the verdict, and the store
write (DynamoSealStore on the local dynalite over 127.0.0.1, as the CLI uses; production's DynamoDB
and S3 round trips take longer than these loopback ones).
"sealApp" is launch + checks + close + verdict and record; "process wall" adds Node's start,
decompression and exit, and is what a Lambda invocation is billed for.

## Concurrency and scaling

Same run, interleaved: the default spec with checks one at a time (concurrency 1) and four at a time
(concurrency 4, the default), against the demo site as it is (answers at once) and against a second
instance that waits ${data.latencyMs} ms before every answer, as a production host across a network does.

${table(
  ['Concurrency', 'Checks phase', 'sealApp', 'Process wall'],
  [
    [
      '1 (one after another)',
      formatMs(of(data.sequential, (run) => run.result.checksMs)),
      formatMs(of(data.sequential, (run) => run.result.sealMs)),
      formatMs(of(data.sequential, (run) => run.processWallMs)),
    ],
    [
      '4 (default)',
      formatMs(of(data.warm, (run) => run.result.checksMs)),
      formatMs(of(data.warm, (run) => run.result.sealMs)),
      formatMs(of(data.warm, (run) => run.processWallMs)),
    ],
    ['ratio 1 ÷ 4', formatRatio(f.concurrencyRatio), formatRatio(f.concurrencySealRatio), ''],
    [
      `1, site answering after ${data.latencyMs} ms`,
      formatMs(of(data.latencySequential, (run) => run.result.checksMs)),
      formatMs(of(data.latencySequential, (run) => run.result.sealMs)),
      formatMs(of(data.latencySequential, (run) => run.processWallMs)),
    ],
    [
      `4, site answering after ${data.latencyMs} ms`,
      formatMs(of(data.latencyConcurrent, (run) => run.result.checksMs)),
      formatMs(of(data.latencyConcurrent, (run) => run.result.sealMs)),
      formatMs(of(data.latencyConcurrent, (run) => run.processWallMs)),
    ],
    ['ratio 1 ÷ 4, with latency', formatRatio(f.latencyRatio), formatRatio(f.latencySealRatio), ''],
  ],
)}

Seal time by the number of checks (concurrency 4): the default checks repeated with distinct names
and URLs (\`?copy=n\`, bench/larger-spec.ts).

${table(
  ['Checks', 'sealApp', 'Checks phase', 'Checks phase per check', 'sealApp ÷ 1 check'],
  scalingCounts.map((count) => {
    const runs = seal(count);
    const checks = med(runs, (run) => run.result.checksMs);
    return [
      String(count),
      formatMs(of(runs, (run) => run.result.sealMs)),
      formatMs(of(runs, (run) => run.result.checksMs)),
      checks === null ? 'n/a' : `${Math.round(checks / count)} ms`,
      formatRatio(ratio(f.sealAt(count), f.sealAt(1))),
    ];
  }),
)}

## Isolation: pages of one context or a context per check

The same check code (bench/bench-launcher.ts: navigate, status, landmark, title, screenshot, behind
the read-only guard) on a browser started with \`chromium.launch\`, four ways: with and without
@sparticuz/chromium's \`--single-process\` flag, and with the checks as pages of one shared context
or each in its own \`browser.newContext()\`. Default spec, concurrency 4, same run, interleaved.

${table(
  ['Variant', 'sealApp', 'Checks phase', ...MEMORY_HEADERS],
  ISOLATION_VARIANTS.map((variant) => {
    const result = data.isolation.get(variant);
    if (!result) return [VARIANT_LABELS[variant], 'not run', '', '', '', '', '', ''];
    if (!result.works)
      return [VARIANT_LABELS[variant], `does not work: ${result.summary}`, '', '', '', '', '', ''];
    return [
      VARIANT_LABELS[variant],
      formatMs(of(result.runs, (run) => run.result.sealMs)),
      formatMs(of(result.runs, (run) => run.result.checksMs)),
      ...memoryCells(result.runs.map((run) => run.memory)),
    ];
  }),
)}

## The peer: Playwright Test on the same checks

bench/peer/smoke.spec.ts holds the six checks of the default spec as a team writes them for a
Playwright Test smoke lane (same guard, same assertions, a screenshot per page, \`retries: 1\`),
run by \`@playwright/test\`'s CLI against the same two demo sites as the seal (the instant one and the one
answering after ${data.latencyMs} ms) with the same Chromium
(executablePath from @sparticuz/chromium) and the seal's flags (the library's set minus the insecure
ones) **minus \`--single-process\`**: Playwright Test gives each test a new context and closes it after,
and a single-process Chromium dies with the first context closed, so with that flag five of the six
tests fail once and pass on a retry in a new worker (a measurement of crashes, not of the runner).
Both the default worker count (half the cores) and 4 workers (the seal's concurrency) run on each
site, interleaved with the seal's runs; each site's ratio in the headline uses the faster of the two
against the warm seal (new process, concurrency 4) on the same site. Wall time is spawn to exit for
both sides; "runner's own" is the duration in its JSON report. The target of issue 7 (≥ ${PEER_TARGET_RATIO}×) is judged
on both sites; the verdict of record is the instant site's (the demo site as the issue names it, no
latency added), and the latency site's is reported beside it against the same bar.

${table(
  [
    'Runner',
    'Site',
    'Process wall',
    "Runner's own",
    'Wall ÷ seal wall (same site)',
    ...MEMORY_HEADERS,
    'Outcome',
  ],
  [
    sealPeerRow('instant', data.warm),
    ...[...data.peer.entries()].map(([workers, runs]) => peerRow('instant', workers, runs, f.warmWall)),
    sealPeerRow(latencySite, data.latencyConcurrent),
    ...[...data.latencyPeer.entries()].map(([workers, runs]) =>
      peerRow(
        latencySite,
        workers,
        runs,
        med(data.latencyConcurrent, (run) => run.processWallMs),
      ),
    ),
  ],
)}

## Memory

Peak resident memory of the seal process tree, sampled every 20 ms from \`/proc\`: VmRSS of the
Node process (\`/proc/<pid>/status\`), the summed VmRSS of its descendants (Chromium), their sum at
one instant, and the summed PSS (\`/proc/<pid>/smaps_rollup\`, every 100 ms) which splits pages that
processes share, so it does not double-count Chromium's shared libraries across its processes.
Peaks shorter than a sampling interval can be missed.

${table(
  ['Seal', ...MEMORY_HEADERS],
  [
    ['cold', ...memoryCells(data.cold.map((run) => run.memory))],
    ['warm', ...memoryCells(data.warm.map((run) => run.memory))],
    ['24 checks', ...memoryCells((data.scaling.get(24) ?? []).map((run) => run.memory))],
  ],
)}

## Deployment asset

${
  bundle.measured
    ? `From a synthesis of the CDK app (cdk.json's app command with the environment \`cdk synth\` gives it, into a
private folder, ${Math.round(bundle.synthMs / 1000)} s): the seal function \`${bundle.functionId}\` and its layers, as Lambda counts
them against its 250 MB unzipped limit. A folder asset is zipped here the way it is at deploy time (deflate, level 9).

${table(
  ['Part', 'Unzipped', 'Zipped'],
  [
    ...bundle.parts.map((part) => [
      part.what,
      `${(part.unzippedBytes / MB).toFixed(1)} MB`,
      `${(part.zippedBytes / MB).toFixed(1)} MB`,
    ]),
    ['total', `${(bundle.unzippedBytes / MB).toFixed(1)} MB`, `${(bundle.zippedBytes / MB).toFixed(1)} MB`],
  ],
)}`
    : `Not measured: ${bundle.reason}.`
}

## Cost

At Lambda's x86 price of $${LAMBDA_PRICING.perGbSecondUsd} per GB-second plus $0.20 per million requests
(${LAMBDA_PRICING.asOf}) and the seal function's ${data.memoryMb} MB (lib/config.ts default unless
cdk.json sets \`sealFunction.memoryMb\`). A release seal and a nightly seal are both taken to be **cold**
(a new container: releases and nights are far apart), billed for the whole cold process wall time
measured here, since Lambda bills the INIT phase too. Lambda at ${data.memoryMb} MB gets about
${(data.memoryMb / 1769).toFixed(2)} vCPU, not this machine's cores, so read these as the order of magnitude.

${table(
  ['Seal', 'Billed time (this machine)', 'GB-seconds', 'Cost'],
  [
    ...(f.releaseCost
      ? [
          [
            'release seal (cold)',
            `${f.releaseCost.billedMs} ms`,
            f.releaseCost.gbSeconds.toFixed(2),
            formatUsd(f.releaseCost.usd),
          ],
        ]
      : []),
    ...(f.warmCost
      ? [
          [
            'a warm container (reference)',
            `${f.warmCost.billedMs} ms`,
            f.warmCost.gbSeconds.toFixed(2),
            formatUsd(f.warmCost.usd),
          ],
        ]
      : []),
    ...(f.releaseCost
      ? [
          [
            'a month of nightly seals, 10 apps (300 cold seals)',
            '',
            (f.releaseCost.gbSeconds * 300).toFixed(0),
            formatUsd(nightlyCost(f.releaseCost.usd, 10)),
          ],
        ]
      : []),
  ],
)}

## What the figures mean

- **Cold vs warm** is what the first seal after a deploy of Smoke Seal itself (or after Lambda
  recycled the container) costs versus a reused container. Here "cold" still finds the package in
  the OS page cache; a real Lambda cold start also loads the code from its image store.
- **The limit** is the least a seal could take with one browser: start it, then wait for the
  slowest check (the others run beside it). Seal ÷ limit shows how much the seal adds on top:
  closing the browser, evidence, verdict and record, and checks queued behind the concurrency bound.
- **Concurrency** is one browser, several pages at once; on ${m.cores} cores the checks compete for CPU,
  so the gain is bounded by the cores as much as by the bound of 4.
- **The peer ratio** compares whole processes: a Playwright Test run pays for its runner, its
  worker processes and a browser per worker; a seal pays for one Node process and one browser.
  Against the latency site both wait on the network: the seal overlaps up to 4 waits in one
  browser, the peer as many as it has workers.
- **Memory** is the whole tree's peak; Lambda's "Max Memory Used" measures the container, which is
  close to the RSS sum for the single-process browser the seal ships.
`);
  return parts.join('\n');
}
