// One seal in a fresh process, bundled like the seal function: the default lane as data, or as the Playwright
// spec prepared at synth (run by Playwright Test as the function runs it). Prints its figures on one line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { defaultSpec } from '../e2e/default-spec';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { DynamoSealStore } from '../functions/adapters/dynamo-seal-store';
import { FileEvidenceStore } from '../functions/adapters/file-evidence-store';
import { startLocalDynamo } from '../functions/adapters/local-dynamo';
import { PlaywrightSuite } from '../functions/adapters/playwright-spec/playwright-suite';
import {
  type PreparedSpecManifest,
  preparedPaths,
  SPEC_MANIFEST,
} from '../functions/adapters/playwright-spec/prepare-playwright-spec';
import { sealApp } from '../functions/core/seal-app';

export const SPEC_RESULT_PREFIX = 'SPEC_BENCH_RESULT ';

const job = JSON.parse(process.env.SPEC_BENCH_JOB ?? 'null') as {
  baseUrl: string;
  specBundle: string | null;
  workDir: string;
};
const executablePath = await sparticuz.executablePath();
const dynamo = await startLocalDynamo({ dir: join(job.workDir, 'db') });
const loading = performance.now();
const suite = job.specBundle
  ? new PlaywrightSuite({
      ...preparedPaths(
        job.specBundle,
        JSON.parse(readFileSync(join(job.specBundle, SPEC_MANIFEST), 'utf8')) as PreparedSpecManifest,
      ),
      grep: '@qa-readonly',
      retries: defaultSpec.retries,
      timeoutMs: defaultSpec.checkTimeoutMs,
      executablePath,
      where: 'bench',
    })
  : undefined;
const spec = suite ? { ...defaultSpec, checks: [] } : defaultSpec;
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
    suite,
  },
  {
    launcher: new ChromiumLauncher({ executablePath }),
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
