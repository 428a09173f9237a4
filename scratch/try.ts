import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { runSpec } from '../functions/core/run-spec';
import { decideVerdict } from '../functions/core/verdict';
import { defaultSpec } from '../e2e/default-spec';
import { startDemoSite, type DemoFault } from '../e2e/demo-site';
const site = await startDemoSite({ slowMs: 3000 });
const launcher = new ChromiumLauncher();
for (const faults of [[], ['up-500','tasks-throws'], ['home-posts-on-load'], ['tasks-redirect-loop','sign-in-missing-form','devops-exposed'], ['up-flaky'], ['home-slow']] as DemoFault[][]) {
  site.setFaults(faults); site.clearLog();
  const t = performance.now();
  const run = await runSpec({ spec: { ...defaultSpec, checkTimeoutMs: 2000 }, baseUrl: site.url, launcher, deadlineMs: 20000 });
  const v = decideVerdict(run.checks.map(c => ({ ...c, attempts: [] })), run.toolingError);
  console.log(faults.join(','), Math.round(performance.now() - t), v.summary, JSON.stringify(run.refused), run.checks.map(c => `${c.name}:${c.attempts.length}:${c.attempts.map(a=>a.screenshotPng?.length)}`).join(' '));
  console.log(site.requests.filter(r => r.method !== 'GET').length, 'non-GET reached site');
}
await site.close();
