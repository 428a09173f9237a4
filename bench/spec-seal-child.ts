// One seal in a fresh process, bundled like the seal function: the default lane as data, or as the Playwright
// spec bundled at synth (loaded here as the function loads it). Prints its figures on one line.
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { DynamoSealStore } from '../functions/adapters/dynamo-seal-store';
import { FileEvidenceStore } from '../functions/adapters/file-evidence-store';
import { startLocalDynamo } from '../functions/adapters/local-dynamo';
import { loadPreparedSpec } from '../functions/adapters/playwright-spec/load-prepared-spec';
import { PlaywrightTests } from '../functions/adapters/playwright-spec/playwright-tests';
import { testChecks } from '../functions/adapters/playwright-spec/select-tests';
import { defaultSpec } from '../functions/core/default-spec';
import { sealApp } from '../functions/core/seal-app';
import { withTestChecks } from '../functions/core/with-test-checks';

export const SPEC_RESULT_PREFIX = 'SPEC_BENCH_RESULT ';

const job = JSON.parse(process.env.SPEC_BENCH_JOB ?? 'null') as {
  baseUrl: string;
  specBundle: string | null;
  workDir: string;
};
const executablePath = await sparticuz.executablePath();
const dynamo = await startLocalDynamo({ dir: join(job.workDir, 'db') });
const tests = new PlaywrightTests();

const loading = performance.now();
const selected = job.specBundle
  ? await loadPreparedSpec(job.specBundle, { grep: '@qa-readonly' }, 'bench')
  : null;
if (selected) tests.add('bench', selected);
const spec = selected
  ? withTestChecks({ ...defaultSpec, checks: [] }, testChecks('bench', selected), 'bench')
  : defaultSpec;
const loadMs = performance.now() - loading;

const sealing = performance.now();
const { seal } = await sealApp(
  {
    sealId: `bench:manual:${process.pid}`,
    app: 'bench',
    trigger: 'manual',
    baseUrl: job.baseUrl,
    appHosts: [new URL(job.baseUrl).host],
    spec,
    rollbackTemplate: 'echo rollback {app} {releaseId}',
    release: null,
    deadlineMs: 110_000,
  },
  {
    launcher: new ChromiumLauncher({ executablePath, playwrightTests: tests }),
    store: new DynamoSealStore({ client: dynamo.client, tableName: dynamo.tableName }),
    evidence: new FileEvidenceStore(join(job.workDir, 'evidence')),
    clock: { now: () => new Date() },
  },
);
const sealMs = performance.now() - sealing;
await dynamo.close();
process.stdout.write(
  `${SPEC_RESULT_PREFIX}${JSON.stringify({ status: seal.status, summary: seal.summary, sealMs, loadMs, checks: seal.checks.length })}\n`,
);
