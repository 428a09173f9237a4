// The preload every process of the app's spec runs first (runner and workers, NODE_OPTIONS --require):
// Node's own network and process spawning go only to the seal's read-only proxy and its browser.

/** The text every refusal's message starts with; the seal reads it as the guard's, never production's. */
export const NODE_FENCE_MARK = 'smoke-seal guard:';

/**
 * CommonJS source of the preload, written next to the overlay config at run time (it must be a file
 * on disk for --require, and the Lambda's code is one bundle). It reads from the environment:
 * SMOKE_SEAL_NODE_PROXY ("127.0.0.1:port", the one TCP destination allowed), SMOKE_SEAL_BROWSER (the
 * Chromium executable Playwright may spawn), SMOKE_SEAL_FENCE (this file: re-armed in any Node child).
 *
 * It patches what every route into the network ends in: net.Socket#connect (http, https, http2, tls,
 * fetch/undici, WebSocket, APIRequestContexts), dgram sends, ChildProcess#spawn and the synchronous
 * spawns (curl, a shell), worker threads (re-armed: the preload runs in them too), and
 * process.binding of the raw handles. process.getBuiltinModule, module.createRequire and a computed
 * import() reach the same patched objects.
 */
export const NODE_NETWORK_FENCE_SOURCE = String.raw`'use strict';
(() => {
  const MARK = ${JSON.stringify(NODE_FENCE_MARK)};
  const proxy = process.env.SMOKE_SEAL_NODE_PROXY || '';
  const browser = process.env.SMOKE_SEAL_BROWSER || '';
  const fence = process.env.SMOKE_SEAL_FENCE || '';
  const [proxyHost, proxyPort] = [proxy.slice(0, proxy.lastIndexOf(':')), Number(proxy.slice(proxy.lastIndexOf(':') + 1))];
  const log = process.env.SMOKE_SEAL_FENCE_LOG || '';
  let logged = 0;
  const refused = (what) => {
    if (log && logged++ < 50) {
      try { require('node:fs').appendFileSync(log, JSON.stringify({ pid: process.pid, at: Date.now(), what: String(what).slice(0, 300) }) + '\n'); } catch {}
    }
    const error = new Error(MARK + ' ' + what + ' from the spec\'s Node code is refused in a seal: it would reach the app around the read-only proxy; use page, or the request fixture');
    error.code = 'SMOKE_SEAL_REFUSED';
    return error;
  };
  const net = require('node:net');
  const connect = net.Socket.prototype.connect;
  const loopbackNames = new Set(['127.0.0.1', 'localhost', '::ffff:127.0.0.1']);
  net.Socket.prototype.connect = function (...args) {
    let first = args[0];
    if (Array.isArray(first)) first = first[0];
    let host = 'localhost';
    let port = NaN;
    let path = null;
    if (first !== null && typeof first === 'object') {
      if (first.path !== undefined) path = String(first.path);
      host = first.host === undefined ? 'localhost' : String(first.host);
      port = Number(first.port);
    } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
      path = first;
    } else {
      port = Number(first);
      if (typeof args[1] === 'string') host = args[1];
    }
    const toProxy = path === null && port === proxyPort && (host === proxyHost || loopbackNames.has(host));
    if (!toProxy) {
      const where = path === null ? host + ':' + port : path;
      throw refused('a connection to ' + where);
    }
    return connect.apply(this, args);
  };
  const dgram = require('node:dgram');
  for (const name of ['send', 'connect']) {
    dgram.Socket.prototype[name] = function () {
      throw refused('UDP (dgram.' + name + ')');
    };
  }
  const childProcess = require('node:child_process');
  const { ChildProcess } = childProcess;
  const spawn = ChildProcess.prototype.spawn;
  const armed = (options) => {
    const pairs = (options.envPairs || []).filter((pair) => !/^(NODE_OPTIONS|SMOKE_SEAL_NODE_PROXY|SMOKE_SEAL_BROWSER|SMOKE_SEAL_FENCE|SMOKE_SEAL_FENCE_LOG)=/.test(pair));
    const nodeOptions = (process.env.NODE_OPTIONS || '');
    pairs.push('NODE_OPTIONS=' + nodeOptions, 'SMOKE_SEAL_NODE_PROXY=' + proxy, 'SMOKE_SEAL_BROWSER=' + browser, 'SMOKE_SEAL_FENCE=' + fence, 'SMOKE_SEAL_FENCE_LOG=' + log);
    return { ...options, envPairs: pairs };
  };
  ChildProcess.prototype.spawn = function (options) {
    const file = options && options.file;
    if (file === process.execPath) return spawn.call(this, armed(options));
    if (browser && file === browser) return spawn.call(this, options);
    throw refused('starting ' + JSON.stringify(String(file).slice(0, 100)));
  };
  for (const name of ['spawnSync', 'execSync', 'execFileSync']) {
    childProcess[name] = function () {
      throw refused('child_process.' + name);
    };
  }
  const threads = require('node:worker_threads');
  const Worker = threads.Worker;
  threads.Worker = class extends Worker {
    constructor(file, options = {}) {
      const execArgv = [...(options.execArgv || process.execArgv)];
      if (fence && !execArgv.includes(fence)) execArgv.unshift('--require', fence);
      const env = options.env && typeof options.env === 'object' ? { ...options.env, SMOKE_SEAL_NODE_PROXY: proxy, SMOKE_SEAL_BROWSER: browser, SMOKE_SEAL_FENCE: fence, SMOKE_SEAL_FENCE_LOG: log } : options.env;
      super(file, { ...options, execArgv, env });
    }
  };
  const binding = process.binding;
  const rawHandles = new Set(['tcp_wrap', 'udp_wrap', 'pipe_wrap', 'stream_wrap', 'tls_wrap', 'js_stream', 'spawn_sync', 'process_wrap', 'cares_wrap']);
  process.binding = function (name) {
    if (rawHandles.has(String(name))) throw refused('process.binding(' + JSON.stringify(String(name)) + ')');
    return binding.call(process, name);
  };
  require('node:module').syncBuiltinESMExports();
})();
`;
