// The read-only guard's cost: warm seals of the demo site in one process, the guard as shipped versus no
// guard, alternating round by round. Part of `npm run bench`; alone: `npm run bench:guard` (GUARD_ROUNDS=n).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { startDemoSite } from '../e2e/demo-site';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { defaultSpec } from '../functions/core/default-spec';
import { runSpec } from '../functions/core/run-spec';
import { decideVerdict } from '../functions/core/verdict';
import { formatMs, formatRatio, median, type Summary, summarize } from './stats';

export const GUARD_START =
  '<!-- bench:guard:start (npm run bench and npm run bench:guard rewrite this block) -->';
export const GUARD_END = '<!-- bench:guard:end -->';
/** Issue 10: the guard may make a warm seal at most 10 % slower. */
export const GUARD_TARGET_RATIO = 1.1;

export interface GuardCost {
  readonly rounds: number;
  readonly shipped: { readonly seal: Summary; readonly launch: Summary; readonly checks: Summary };
  readonly off: { readonly seal: Summary; readonly launch: Summary; readonly checks: Summary };
  /** Median of the per-round ratios shipped ÷ off (seal time: launch + checks + close). */
  readonly ratio: number;
  /** 1-minute load average before and after the measurement. */
  readonly load: readonly [number, number];
}

interface Sample {
  readonly seal: number;
  readonly launch: number;
  readonly checks: number;
}

export async function measureGuardCost(options: {
  readonly baseUrl: string;
  readonly executablePath: string;
  readonly rounds: number;
}): Promise<GuardCost> {
  const launchers = {
    shipped: new ChromiumLauncher({ executablePath: options.executablePath }),
    off: new ChromiumLauncher({ executablePath: options.executablePath, guardMode: 'off' }),
  };
  const once = async (variant: keyof typeof launchers): Promise<Sample> => {
    const started = performance.now();
    const run = await runSpec({
      spec: defaultSpec,
      baseUrl: options.baseUrl,
      launcher: launchers[variant],
      deadlineMs: 60_000,
    });
    const seal = performance.now() - started;
    const verdict = decideVerdict(
      run.checks.map((check) => ({ ...check, attempts: [] })),
      run.toolingError,
    );
    if (verdict.status !== 'green')
      throw new Error(`a ${variant} seal of the demo site was ${verdict.summary}`);
    return { seal, launch: run.launchMs ?? 0, checks: run.checksMs ?? 0 };
  };
  const loadBefore = loadavg()[0] ?? 0;
  // Warm-up: Chromium on disk and in the page cache, modules loaded, for both variants.
  await once('shipped');
  await once('off');
  const samples = { shipped: [] as Sample[], off: [] as Sample[] };
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? (['shipped', 'off'] as const) : (['off', 'shipped'] as const);
    const pair: Partial<Record<'shipped' | 'off', Sample>> = {};
    for (const variant of order) pair[variant] = await once(variant);
    samples.shipped.push(pair.shipped!);
    samples.off.push(pair.off!);
    ratios.push(pair.shipped!.seal / pair.off!.seal);
  }
  const summary = (list: readonly Sample[]) => ({
    seal: summarize(list.map((sample) => sample.seal)),
    launch: summarize(list.map((sample) => sample.launch)),
    checks: summarize(list.map((sample) => sample.checks)),
  });
  return {
    rounds: options.rounds,
    shipped: summary(samples.shipped),
    off: summary(samples.off),
    ratio: median(ratios),
    load: [loadBefore, loadavg()[0] ?? 0],
  };
}

export function renderGuardCost(cost: GuardCost, when: Date): string {
  const verdict = cost.ratio <= GUARD_TARGET_RATIO ? 'met' : 'missed';
  return `## The read-only guard's cost

_Written by bench/guard-cost.ts (\`npm run bench\`, or alone \`npm run bench:guard\`). Last run: ${when.toISOString()}._

Warm seals of the demo site (default spec, 6 checks, concurrency 4) in one process, Chromium already
decompressed, the guard as shipped (the read-only proxy, its per-seal CA and TLS termination) against
the same launcher with no guard at all, alternating which goes first round by round, after one
untimed warm-up of each. "Seal" is launch + checks + browser close, as \`runSpec\` sees it. The
1-minute load average was ${cost.load[0].toFixed(1)} before and ${cost.load[1].toFixed(1)} after (2 cores, shared).

| Variant | Launch | Checks | Seal |
|---|---|---|---|
| guard as shipped | ${formatMs(cost.shipped.launch)} | ${formatMs(cost.shipped.checks)} | ${formatMs(cost.shipped.seal)} |
| no guard | ${formatMs(cost.off.launch)} | ${formatMs(cost.off.checks)} | ${formatMs(cost.off.seal)} |

Guard ÷ no guard (median of per-round ratios, seal time): **${formatRatio(cost.ratio)}**; target at most
${formatRatio(GUARD_TARGET_RATIO)} (issue 10): **${verdict}**.`;
}

/** Puts the guard block between its markers in docs/performance.md, or at the end when it has none yet. */
export function spliceGuardCost(existing: string, block: string): string {
  const wrapped = `${GUARD_START}\n${block.trim()}\n${GUARD_END}`;
  const start = existing.indexOf(GUARD_START);
  const end = existing.indexOf(GUARD_END);
  if (start < 0 || end < start) return `${existing.trimEnd()}\n\n${wrapped}\n`;
  return `${existing.slice(0, start)}${wrapped}${existing.slice(end + GUARD_END.length)}`;
}

export async function writeGuardCost(repoRoot: string, cost: GuardCost): Promise<string> {
  const docPath = join(repoRoot, 'docs', 'performance.md');
  const existing = existsSync(docPath) ? await readFile(docPath, 'utf8') : '# Performance\n';
  await writeFile(docPath, spliceGuardCost(existing, renderGuardCost(cost, new Date())));
  return docPath;
}

async function main(): Promise<void> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rounds = Number(process.env.GUARD_ROUNDS ?? 8);
  const executablePath = await sparticuz.executablePath();
  const site = await startDemoSite();
  try {
    const cost = await measureGuardCost({ baseUrl: site.url, executablePath, rounds });
    const docPath = await writeGuardCost(repoRoot, cost);
    process.stdout.write(`${renderGuardCost(cost, new Date())}\n\nWrote ${docPath}\n`);
  } finally {
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
