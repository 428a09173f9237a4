import { startDemoSite } from '/work/main/e2e/demo-site';
import { runSealJob } from '/work/main/bench/run-seal-job';
const site = await startDemoSite();
for (const variant of ['shipped', 'single-pages', 'single-contexts', 'multi-pages', 'multi-contexts'] as const) {
  const run = await runSealJob({ variant, checks: 6, concurrency: 4, baseUrl: site.url }, { repoRoot: '/work/main' });
  console.log(variant, Math.round(run.processWallMs), JSON.stringify(run.result), JSON.stringify(run.memory));
}
await site.close();
