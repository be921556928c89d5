// Extension benchmarks (medians):
//   - activation: require(dist/extension.js) and activate() in fresh Node processes, against a
//     stand-in `vscode` module (every API is a no-op proxy) — what the extension itself costs,
//     without VS Code's own work; the real-VS-Code figure is printed by the e2e suite
//     (`bench activation`) and by --e2e below;
//   - bundle sizes: each esbuild entry, development and release (minified), raw and gzip;
//   - .vsix size: `scripts/package.mjs` (a release build staged in a temporary folder);
//   --e2e: also runs the extension-host benchmarks in the real VS Code (test/extension/run.sh,
//     activation and save → first redrawn plot of the Fig. 1 example with cached runs).
//   - the language server while runs stream, idle and with two spinning processes
//     (scripts/streamLag.mjs: event-loop delay, cancel / edit acknowledgement; --no-stream skips it);
// Usage: node scripts/bench-extension.mjs [--runs N] [--e2e] [--no-stream]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 21;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// ---- activation in plain Node with a stand-in vscode ----
const probe = `
const Module = require('module');
const anything = () => {
  const cache = new Map();
  const f = function () {};
  return new Proxy(f, {
    get(_t, k) {
      if (k === Symbol.toPrimitive) return () => '';
      if (k === 'then') return undefined;
      if (!cache.has(k)) cache.set(k, anything());
      return cache.get(k);
    },
    set: (_t, k, v) => (cache.set(k, v), true),
    defineProperty: () => true,
    apply: () => anything(),
    construct: () => anything(),
  });
};
// esbuild's CommonJS interop copies the module's own keys: list the namespaces the extension uses
const fake = Object.fromEntries(['EventEmitter', 'Uri', 'window', 'workspace', 'commands', 'languages', 'extensions', 'env',
  'ViewColumn', 'StatusBarAlignment', 'Disposable', 'FileType', 'Position', 'Range', 'ThemeColor', 'CancellationTokenSource', 'ExtensionMode']
  .map((k) => [k, anything()]));
const load = Module._load;
Module._load = function (req, ...rest) { return req === 'vscode' ? fake : load.call(this, req, ...rest); };
const ctx = new Proxy({ subscriptions: [], extensionUri: anything(), asAbsolutePath: (p) => p }, {
  get: (t, k) => (k in t ? t[k] : anything()),
});
const t0 = performance.now();
const ext = require(process.argv[process.argv.length - 1]);
const t1 = performance.now();
ext.activate(ctx);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1 }));
process.exit(0); // before the deferred server start
`;
function activation(bundle, label) {
  const loads = [];
  const acts = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', probe, bundle], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const { load, activate } = JSON.parse(r.stdout);
    loads.push(load);
    acts.push(activate);
  }
  console.log(`activation, ${label} (plain Node, stand-in vscode, ${runs} processes): load bundle ${median(loads).toFixed(2)} ms, activate() ${median(acts).toFixed(2)} ms (medians)`);
}

// ---- bundle sizes ----
const stage = mkdtempSync(join(tmpdir(), 'sgdexp-bench-ext-'));
const node = { platform: 'node', target: 'node20', format: 'cjs', bundle: true };
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', ...node, external: ['vscode'] },
  { in: 'src/server/server.ts', out: 'dist/server.js', ...node },
  { in: 'src/core/graph/worker.ts', out: 'dist/worker.js', ...node },
  { in: 'webview/main.ts', out: 'dist/webview/webview.js', platform: 'browser', target: 'es2022', format: 'iife', bundle: true },
].filter((e) => existsSync(join(root, e.in)));
console.log('bundle sizes (development → release; gzip of release):');
for (const { in: input, out, ...opts } of entries) {
  const sizes = {};
  for (const release of [false, true]) {
    const outfile = join(stage, release ? 'rel' : 'dev', out);
    await build({ ...opts, absWorkingDir: root, entryPoints: [input], outfile, minify: release, sourcemap: false, logLevel: 'error',
      define: { 'process.env.NODE_ENV': release ? '"production"' : '"development"' } });
    sizes[release ? 'rel' : 'dev'] = statSync(outfile).size;
  }
  const gz = gzipSync(readFileSync(join(stage, 'rel', out))).length;
  console.log(`  ${out.padEnd(26)} ${kb(sizes.dev).padStart(10)} → ${kb(sizes.rel).padStart(10)}   (gzip ${kb(gz)})`);
}

activation(join(stage, 'dev', 'dist', 'extension.js'), 'development bundle');
activation(join(stage, 'rel', 'dist', 'extension.js'), 'release bundle');

// ---- .vsix of the release build (scripts/package.mjs stages it; dist/ is left alone) ----
const vsix = join(stage, 'sgdexp.vsix');
const t0 = performance.now();
execFileSync(process.execPath, [join(root, 'scripts/package.mjs'), '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`.vsix (release, --no-dependencies): ${kb(statSync(vsix).size)}, built and packaged in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
rmSync(stage, { recursive: true, force: true });

// ---- the language server alone: save → results over IPC (what the extension's client sees) ----
async function serverSaveToResults(reps = 7) {
  const { fork } = await import('node:child_process');
  const { createRequire } = await import('node:module');
  const P = createRequire(join(root, 'package.json'))('vscode-languageserver-protocol/node');
  const storage = mkdtempSync(join(tmpdir(), 'sgdexp-srv-bench-'));
  const child = fork(join(root, 'dist/server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const conn = P.createProtocolConnection(new P.IPCMessageReader(child), new P.IPCMessageWriter(child));
  const events = [];
  conn.onNotification('sgdexp/results', (m) => events.push({ t: performance.now(), final: m.final }));
  conn.onNotification('sgdexp/status', () => {});
  conn.onNotification('textDocument/publishDiagnostics', () => {});
  conn.listen();
  await conn.sendRequest(P.InitializeRequest.type, {
    processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
    initializationOptions: { storagePath: storage, settings: { runOn: 'save', debounceMs: 400, workers: 1, cache: true, cacheMB: 256 } },
  });
  await conn.sendNotification(P.InitializedNotification.type, {});
  const uri = 'file:///bench/01-varre-fig1.sgdexp';
  let text = readFileSync(join(root, 'examples/01-varre-fig1.sgdexp'), 'utf8');
  let version = 1;
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sgdexp', version, text } });
  const final = (after) => new Promise((res) => {
    const iv = setInterval(() => { const e = events.find((x) => x.t >= after && x.final); if (e) { clearInterval(iv); res(e); } }, 1);
  });
  let t = performance.now();
  await conn.sendNotification(P.DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  await final(t);
  const firstRun = performance.now() - t;
  const first = [];
  const fin = [];
  for (let i = 0; i < reps; i++) {
    // a plot title changes: the runs are cached, the plot node recomputes
    text = text.replace(/title = "top-5 singular values of W1[^"]*"/, `title = "top-5 singular values of W1 (${i})"`);
    await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    t = performance.now();
    await conn.sendNotification(P.DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    const f = await final(t);
    first.push(events.find((x) => x.t >= t).t - t);
    fin.push(f.t - t);
  }
  child.kill();
  rmSync(storage, { recursive: true, force: true });
  console.log(`language server alone (LSP over IPC, Fig. 1 example): first run ${firstRun.toFixed(0)} ms; ` +
    `save → first results ${median(first).toFixed(1)} ms, → final ${median(fin).toFixed(1)} ms with cached runs (medians of ${reps})`);
}
if (existsSync(join(root, 'dist/server.js'))) await serverSaveToResults();

// ---- the language server while runs stream (IPC, as the client talks to it), idle and loaded ----
async function serverStreaming() {
  const { fork } = await import('node:child_process');
  const { createRequire } = await import('node:module');
  const { streamingFigures } = await import('./streamLag.mjs');
  const P = createRequire(join(root, 'package.json'))('vscode-languageserver-protocol/node');
  const connect = async (env) => {
    const child = fork(join(root, 'dist/server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env } });
    const conn = P.createProtocolConnection(new P.IPCMessageReader(child), new P.IPCMessageWriter(child));
    conn.onNotification('textDocument/publishDiagnostics', () => {});
    conn.onRequest(() => null);
    conn.listen();
    await conn.sendRequest(P.InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
      initializationOptions: { settings: { runOn: 'save', workers: 2, cache: false } },
    });
    await conn.sendNotification(P.InitializedNotification.type, {});
    const stop = async () => {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      conn.dispose();
    };
    return { conn, stop };
  };
  console.log('language server alone (LSP over IPC), runs streaming:');
  await streamingFigures(connect, { reps: 5, log: (l) => console.log(`  ${l}`) });
}
if (existsSync(join(root, 'dist/server.js')) && !argv.includes('--no-stream')) await serverStreaming();

// ---- in the real VS Code ----
if (argv.includes('--e2e')) {
  const r = spawnSync('bash', [join(root, 'test/extension/run.sh')], {
    encoding: 'utf8',
    env: { ...process.env, SGDEXP_E2E_ONLY: 'host', SGDEXP_TEST_GREP: 'opening a .sgdexp file|bench' },
  });
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('bench ') || /passed, \d+ failed$/.test(l));
  console.log('in the real VS Code (extension-host suite):');
  for (const l of lines) console.log(`  ${l}`);
  if (r.status !== 0) process.exitCode = 1;
}
