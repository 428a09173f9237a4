// One seal in a fresh process, so cold and warm starts and memory are those of a real invocation.
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { ChromiumLauncher } from '../functions/adapters/chromium-browser';
import { DynamoSealStore } from '../functions/adapters/dynamo-seal-store';
import { FileEvidenceStore } from '../functions/adapters/file-evidence-store';
import { startLocalDynamo } from '../functions/adapters/local-dynamo';
import type { BrowserLauncher } from '../functions/core/ports';
import { sealApp } from '../functions/core/seal-app';
import { IsolationLauncher } from './bench-launcher';
import { largerSpec } from './larger-spec';
import { RESULT_PREFIX, type SealJobResult, SealJobSchema } from './seal-job';
import { TimedLauncher } from './timed-launcher';

const startupMs = performance.now();
const job = SealJobSchema.parse(JSON.parse(process.env.BENCH_JOB ?? 'null'));

const decompressing = performance.now();
const executablePath = await sparticuz.executablePath();
const decompressMs = performance.now() - decompressing;

const inner: BrowserLauncher =
  job.variant === 'shipped'
    ? new ChromiumLauncher({ executablePath })
    : new IsolationLauncher(job.variant, executablePath);
const launcher = new TimedLauncher(inner);
// The store the CLI uses: dynalite on 127.0.0.1, started before the clock runs (Lambda builds its client at init).
const dynamo = await startLocalDynamo({ dir: join(job.workDir, 'db') });

const sealing = performance.now();
const { seal } = await sealApp(
  {
    sealId: `bench:manual:${process.pid}`,
    app: 'bench',
    trigger: 'manual',
    baseUrl: job.baseUrl,
    appHosts: [new URL(job.baseUrl).host],
    spec: largerSpec(job.checks, job.concurrency),
    rollbackTemplate: 'echo rollback {app} {releaseId}',
    release: null,
    deadlineMs: 110_000,
  },
  {
    launcher,
    store: new DynamoSealStore({ client: dynamo.client, tableName: dynamo.tableName }),
    evidence: new FileEvidenceStore(join(job.workDir, 'evidence')),
    clock: { now: () => new Date() },
  },
);
const sealMs = performance.now() - sealing;
await dynamo.close();

const launchMs = launcher.launchMs ?? 0;
const checksMs = seal.timings.checksMs ?? 0;
const closeMs = launcher.closeMs ?? 0;
const result: SealJobResult = {
  status: seal.status,
  summary: seal.summary,
  startupMs,
  decompressMs,
  launchMs,
  checksMs,
  closeMs,
  recordMs: Math.max(0, sealMs - launchMs - checksMs - closeMs),
  sealMs,
  slowestCheckMs: Math.max(...seal.checks.map((check) => check.durationMs)),
  checkCount: seal.checks.length,
};
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
