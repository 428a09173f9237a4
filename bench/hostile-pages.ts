// Measures the seal against hostile pages (issue 12): a noisy page's report size and the peak memory of
// Node + Chromium, and how long a seal of a wedged page takes past its deadline. `npx tsx bench/hostile-pages.ts`
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { renderReportHtml } from '../functions/core/report-html';
import { runSpec } from '../functions/core/run-spec';
import { SEAL_SCHEMA_VERSION, type Seal } from '../functions/core/seal';
import { SpecSchema } from '../functions/core/spec';
import { decideVerdict } from '../functions/core/verdict';
import { startBrokenSite } from '../test/fixtures/broken-site';
import { MemorySampler } from './memory-sampler';

const page = (name: string, path: string) => ({ kind: 'page', name, path, landmark: { role: 'heading' } });
const site = await startBrokenSite({ noisy: { errors: 300, consoleLines: 600, bytes: 200_000 } });
const launcher = new ChromiumLauncher();

// 1. The noisy page: 300 page errors and 600 console lines of 200 KB, checked twice (a retry).
const sampler = new MemorySampler(process.pid);
sampler.start();
const noisy = await runSpec({
  // NOISY_CHECKS=1: the case, one noisy page; default 2, two of them at once.
  spec: SpecSchema.parse({
    checks: Array.from({ length: Number(process.env.NOISY_CHECKS ?? 2) }, (_, index) =>
      page(`noisy-${index + 1}`, `/noisy?${index + 1}`),
    ),
  }),
  baseUrl: site.url,
  launcher,
  deadlineMs: 60_000,
});
const peak = sampler.stop();
const verdict = decideVerdict(
  noisy.checks.map((check) => ({ ...check, attempts: [] })),
  noisy.toolingError,
);
const seal: Seal = {
  schemaVersion: SEAL_SCHEMA_VERSION,
  id: 'noisy:manual:bench',
  app: 'noisy',
  trigger: 'manual',
  release: null,
  status: verdict.status,
  transition: 'first',
  summary: verdict.summary,
  checkedAt: new Date().toISOString(),
  durationMs: 0,
  targetUrl: site.url,
  checks: noisy.checks.map((check) => ({
    ...check,
    attempts: check.attempts.map(({ screenshotPng, ...rest }) => ({ ...rest, screenshot: null })),
  })),
  refused: { count: noisy.refused.count, requests: [...noisy.refused.requests] },
  timings: { launchMs: null, checksMs: null, totalMs: 0 },
  evidence: { reportUrl: null, error: null },
  rollbackCommand: null,
  toolingError: noisy.toolingError,
  deliveries: {},
};

// 2. A page that spins its main thread after load, with healthy siblings, under a 20 s deadline.
const deadlineMs = Number(process.env.WEDGE_DEADLINE_MS ?? 20_000);
const started = performance.now();
const wedged = await runSpec({
  spec: SpecSchema.parse({
    checks: [
      page('spin', '/spin'),
      page('home', '/'),
      page('other', '/other'),
      { kind: 'status', name: 'up', path: '/up', status: 200 },
      { kind: 'status', name: 'devops', path: '/devops', status: 404 },
    ],
  }),
  baseUrl: site.url,
  launcher,
  deadlineMs,
});
const wedgedMs = performance.now() - started;
await site.close();

console.log(
  JSON.stringify(
    {
      noisy: {
        status: verdict.status,
        reportBytes: Buffer.byteLength(renderReportHtml(seal)),
        sealJsonBytes: Buffer.byteLength(JSON.stringify(seal)),
        peakTreeRssMiB: Math.round(peak.treeRssKib / 1024),
        peakTreePssMiB: Math.round(peak.treePssKib / 1024),
        peakNodeRssMiB: Math.round(peak.rootRssKib / 1024),
        peakChromiumRssMiB: Math.round(peak.descendantsRssKib / 1024),
        consoleErrorsKept: seal.checks[0]?.attempts[0]?.consoleErrors.length,
        lastConsoleLine: seal.checks[0]?.attempts[0]?.consoleErrors.at(-1),
      },
      wedged: {
        deadlineMs,
        returnedAfterMs: Math.round(wedgedMs),
        overDeadlineMs: Math.round(wedgedMs - deadlineMs),
        toolingError: wedged.toolingError,
        outcomes: wedged.checks.map((check) => `${check.name}: ${check.outcome}`),
      },
    },
    null,
    2,
  ),
);
process.exit(0);
