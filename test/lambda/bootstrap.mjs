// Plays Lambda's Node.js runtime interface client: loads the handler from the read-only code folder,
// then loops on the Runtime API (next -> handler -> response | error), as /var/runtime does in Lambda.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const [moduleName, handlerName] = (process.env._HANDLER ?? '').split('.');
let currentRequestId;

// Like the runtime's text log format: global console lines get a timestamp, the request id and a level,
// so only lines written straight to stdout (Powertools' own console) stay parseable JSON for EMF.
for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  console[method] = (...args) => {
    const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}`;
    process.stdout.write(`${line.replaceAll('\n', '\r')}\n`);
  };
}

function errorBody(error, type) {
  const err = error instanceof Error ? error : new Error(String(error));
  return JSON.stringify({
    errorType: type ?? err.name ?? 'Error',
    errorMessage: err.message,
    trace: String(err.stack ?? '').split('\n'),
  });
}

async function post(path, body, headers = {}) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  await response.arrayBuffer();
}

async function loadHandler() {
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const file = join(taskRoot, `${moduleName}${extension}`);
    if (!existsSync(file)) continue;
    const module = await import(pathToFileURL(file).href);
    const handler = module[handlerName];
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${moduleName}.${handlerName} is undefined or not exported`), {
        name: 'Runtime.HandlerNotFound',
      });
    }
    return handler;
  }
  throw Object.assign(new Error(`Cannot find module '${moduleName}'`), { name: 'Runtime.ImportModuleError' });
}

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  const type = error?.name?.startsWith('Runtime.') ? error.name : 'Runtime.ImportModuleError';
  console.error(`${type}: ${error?.message}`);
  await post('/init/error', errorBody(error, type), { 'Lambda-Runtime-Function-Error-Type': type });
  process.exit(1);
}

process.on('uncaughtException', async (error) => {
  console.error('Uncaught Exception', error);
  if (currentRequestId) {
    await post(`/invocation/${currentRequestId}/error`, errorBody(error, 'Runtime.UncaughtException'));
  }
  process.exit(129);
});
process.on('unhandledRejection', async (reason) => {
  console.error('Unhandled Promise Rejection', reason);
  if (currentRequestId) {
    await post(
      `/invocation/${currentRequestId}/error`,
      errorBody(reason, 'Runtime.UnhandledPromiseRejection'),
    );
  }
  process.exit(128);
});

for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const requestId = next.headers.get('lambda-runtime-aws-request-id');
  const deadlineMs = Number(next.headers.get('lambda-runtime-deadline-ms'));
  const invokedFunctionArn = next.headers.get('lambda-runtime-invoked-function-arn');
  const event = await next.json();
  currentRequestId = requestId;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
  try {
    const result = await handler(event, context);
    await post(`/invocation/${requestId}/response`, JSON.stringify(result ?? null));
  } catch (error) {
    console.error('Invoke Error', error);
    await post(`/invocation/${requestId}/error`, errorBody(error), {
      'Lambda-Runtime-Function-Error-Type': error?.name ?? 'Error',
    });
  }
  currentRequestId = undefined;
}
