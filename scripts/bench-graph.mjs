// Benchmarks of the reactive engine, medians over repeated edits (run on an idle
// machine: the figures are wall-clock and another process's load shows up in them):
//   1. a plot-option edit → the updated (final) results message        target < 30 ms
//   2. one run edited in a file of 10 runs, 9 cached → first partial
//      result of the edited run (a message where it has recorded points) target < 150 ms
//   3. completion latency of the real language server while both workers are busy  < 20 ms
//   4. one worker progress post once a run holds 1k–50k records: received whole (the trajectory
//      so far) vs as a delta (the records since the previous post); a partial message's view
//   5. the language server while runs stream, idle and with two spinning processes
//      (scripts/streamLag.mjs): event-loop delay p95 < 50 ms, cancel / edit acknowledged < 200 ms,
//      stale runs stopped < 1 s; bytes per partial message; the server thread's ms on worker
//      posts and on partial messages
// Usage: --stream runs section 5 only, --posts section 4 only; --records N streams runs recording N points (default 2000;
// e.g. 100000: thousands of records between two messages); --stream-ms N streams N ms (default 3000)
// The engine, checker, worker and server are bundled from the TypeScript sources with esbuild
// into a temporary folder (like scripts/build.mjs), so the figures are those of the shipped code.
// Usage: node scripts/bench-graph.mjs [--quick]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const postsOnly = process.argv.includes('--posts');
const streamOnly = process.argv.includes('--stream') || postsOnly;
const recordsArg = process.argv.indexOf('--records');
const records = recordsArg > 0 ? Number(process.argv[recordsArg + 1]) : 2000;
// --stream-ms N: how long the runs stream while the event loop's delay is sampled (default 3000)
const streamMsArg = process.argv.indexOf('--stream-ms');
const streamMs = streamMsArg > 0 ? Number(process.argv[streamMsArg + 1]) : 3000;
const dir = mkdtempSync(join(tmpdir(), 'sgdexp-bench-'));
const opts = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root };
await Promise.all([
  build({
    ...opts,
    stdin: {
      contents: "export { Engine } from './src/core/graph/engine'; export { checkText } from './src/core/lang/index'; export { numericHooks } from './src/core/checkHooks'; export { TrajectoryBuffer } from './src/core/graph/trajectoryBuffer'; export { partialView } from './src/core/wire/partialBudget';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: join(dir, 'lib.cjs'),
  }),
  build({ ...opts, entryPoints: ['src/core/graph/worker.ts'], outfile: join(dir, 'worker.js') }),
  build({ ...opts, entryPoints: ['src/server/server.ts'], outfile: join(dir, 'server.js') }),
]);
const require = createRequire(import.meta.url);
const { Engine, checkText: checkBare, numericHooks, TrajectoryBuffer, partialView } = require(join(dir, 'lib.cjs'));
const checkText = (t) => checkBare(t, numericHooks());

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => `${x.toFixed(1)} ms`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rows = [];
const report = (name, xs, target) => {
  const m = median(xs);
  rows.push({ name, median: m, target });
  console.log(`${name}: median ${fmt(m)} (n = ${xs.length}, min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})${target ? `  target < ${target} ms` : ''}`);
};

// ---------------------------------------------------------------- 1. plot-option edit
if (!streamOnly) {
  const text = (title) => `seed = 1
data = teacher(n = 60, p = 8, k = 2)
net  = linear2(width = 16, init = gaussian(scale = 0.5))
gd   = train(net, data, gd(lr = 0.02), steps = 20000)
ln   = train(net, data, label_noise(lr = 0.02, delta = 1), steps = 20000)
plot logdet(gd, ln, theory = true)
plot singular_values(gd, ln, of = W1, top = 5)
plot loss(gd, ln, y = log, title = "${title}")
`;
  // twice: memory cache only, then with the disk cache as the language server has it (the
  // workspace storage folder): a final document is written to disk on the way out
  for (const disk of [false, true]) {
  const cacheDir = disk ? mkdtempSync(join(tmpdir(), 'sgdexp-bench-cache-')) : null;
  const engine = new Engine({ workers: 2, workerScript: join(dir, 'worker.js'), cacheDir });
  const uri = 'file:///bench1.sgdexp';
  await engine.run(uri, checkText(text('loss')), { runAll: false });
  const withCheck = [];
  const engineOnly = [];
  for (let i = 0; i < (quick ? 10 : 40); i++) {
    const t0 = performance.now();
    const program = checkText(text(`loss ${i}`));
    const t1 = performance.now();
    let got = null;
    const off = engine.on('results', (m) => {
      if (m.final && m.doc.plots[2]?.title === `loss ${i}`) got ??= performance.now();
    });
    const rev = engine.update(uri, program);
    await engine.whenFinal(uri, rev);
    off();
    const executed = engine.log.filter((e) => e.revision === rev && e.kind === 'run' && e.event === 'executed').length;
    if (executed) throw new Error('a plot-option edit executed a run');
    withCheck.push(got - t0);
    engineOnly.push(got - t1);
  }
  const where = disk ? ', disk cache on' : '';
  report(`plot-option edit → final results (check + engine${where})`, withCheck, 30);
  report(`plot-option edit → final results (engine only${where})`, engineOnly, 30);
  await engine.dispose();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 2. one run of 10 edited
if (!streamOnly) {
  const text = (lr0) => {
    const runs = Array.from({ length: 10 }, (_, i) => `r${i} = train(net, data, gd(lr = ${i === 0 ? lr0 : (0.01 + 0.001 * i).toFixed(3)}), steps = 30000)`);
    return `seed = 2
data = teacher(n = 60, p = 8, k = 2)
net  = linear2(width = 16, init = gaussian(scale = 0.5))
${runs.join('\n')}
plot loss(${runs.map((_, i) => `r${i}`).join(', ')}, y = log)
`;
  };
  const engine = new Engine({ workers: 2, workerScript: join(dir, 'worker.js') });
  engine.warm();
  const uri = 'file:///bench2.sgdexp';
  // cache the 9 unchanged runs (shorter horizon would change their keys: compute them for real)
  const t = performance.now();
  await engine.run(uri, checkText(text('0.02')), { runAll: true });
  console.log(`(setup: 10 runs × 30000 steps computed in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const first = [];
  const anyMsg = [];
  for (let i = 0; i < (quick ? 6 : 15); i++) {
    const program = checkText(text((0.0201 + 0.0001 * i).toFixed(4)));
    let firstPartial = null;
    let firstAny = null;
    const t0 = performance.now();
    const off = engine.on('results', (m) => {
      firstAny ??= performance.now();
      const r = m.doc.runs.r0;
      if (r && r.step.length > 0 && firstPartial === null) firstPartial = performance.now();
    });
    const rev = engine.update(uri, program);
    while (firstPartial === null) await sleep(1);
    off();
    const reused = engine.log.filter((e) => e.revision === rev && e.kind === 'run' && e.event === 'reused').length;
    if (reused !== 9) throw new Error(`expected 9 cached runs, got ${reused}`);

    first.push(firstPartial - t0);
    anyMsg.push(firstAny - t0);
  }
  report('one of 10 runs edited → first results message', anyMsg);
  report('one of 10 runs edited → first partial of the edited run', first, 150);
  // every edit above cancelled the previous edit's run, still in flight
  await sleep(100);
  const released = engine.log.filter((e) => e.event === 'cancelled' && e.releaseMs !== undefined);
  report('edit during a run → its worker free again (cancel acknowledged)', released.map((e) => e.releaseMs), 50);
  console.log(`(${released.filter((e) => e.terminated).length} of ${released.length} workers had to be terminated)`);
  await engine.dispose();
}

// ---------------------------------------------------------------- 3. completion while busy
if (!streamOnly) {
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const proc = spawn(process.execPath, [join(dir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let running = 0;
  conn.onNotification('sgdexp/results', (m) => {
    running = Object.values(m.doc.runs).filter((r) => r.status === 'running').length;
  });
  conn.onRequest(() => null);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { runOn: 'manual', workers: 2 } } });
  await conn.sendNotification('initialized', {});
  const uri = 'file:///bench3.sgdexp';
  const text = `seed = 1
data = teacher(n = 200, p = 20, k = 2)
net  = linear2(width = 40)
a = train(net, data, gd(lr = 0.01), steps = 2000000)
b = train(net, data, label_noise(lr = 0.01, delta = 1), steps = 2000000)
plot loss(a, b)
plot logdet(a, )
`;
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version: 1, text } });
  const pos = { line: 6, character: 15 };
  const measure = async (n) => {
    const xs = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos });
      xs.push(performance.now() - t0);
      if (!r) throw new Error('no completion');
      await sleep(5);
    }
    return xs;
  };
  await measure(5); // warm-up
  report('completion, workers idle', await measure(quick ? 10 : 30));
  await conn.sendRequest('sgdexp/runNow', { uri });
  for (let i = 0; i < 500 && running < 2; i++) await sleep(10);
  if (running < 2) throw new Error('the two runs did not start');
  report('completion, both workers busy', await measure(quick ? 10 : 40), 20);
  await conn.sendRequest('sgdexp/cancel', { uri });
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  conn.dispose();
}

// ---------------------------------------------------------------- 4. one worker post, whole vs delta
// What a progress post costs the server's thread once the run holds N records: the structured
// clone a worker message is (v8.serialize/deserialize, as postMessage does) and the handling.
// Whole: the trajectory so far (before worker posts became deltas); delta: the 100 records since
// the previous post, appended to the job's buffer; then a partial message's view of the run
// (thinned to the point budget). Records shaped like linear2's: 7 scalar metrics, 3 vectors of 20.
// CPU-bound and in this process: steadier on a busy machine than the streaming figures.
if (!streamOnly || postsOnly) {
  const v8 = await import('node:v8');
  const recs = (a, b) => {
    const step = Array.from({ length: b - a }, (_, j) => 10 * (a + j));
    const metrics = {};
    for (const m of ['loss', 'test_loss', 'logdet', 'sv_ratio', 'imbalance', 'distance', 'rank']) metrics[m] = step.map((x) => 1 / (1 + x));
    for (const m of ['sv_W1', 'sv_W2', 'sv_product']) metrics[m] = step.map((x) => Array.from({ length: 20 }, (_, q) => x / (q + 1)));
    return { step, time: step.map((x) => x / 100), metrics };
  };
  for (const n of [1000, 10000, 50000]) {
    const whole = v8.serialize({ type: 'progress', job: 1, step: n, steps: 1e6, trajectory: recs(0, n) });
    const delta = v8.serialize({ type: 'progress', job: 1, step: n, steps: 1e6, from: n - 100, trajectory: recs(n - 100, n) });
    const held = recs(0, n - 100);
    const tw = [], td = [], tv = [];
    for (let i = 0; i < (n > 10000 ? 7 : 25); i++) {
      let t0 = performance.now();
      v8.deserialize(whole);
      tw.push(performance.now() - t0);
      const b = new TrajectoryBuffer();
      b.append(held, 0); // the job's buffer before this post (not timed)
      t0 = performance.now();
      const m = v8.deserialize(delta);
      const why = b.append(m.trajectory, m.from);
      td.push(performance.now() - t0);
      if (why) throw new Error(why);
      t0 = performance.now();
      partialView(b, b.length);
      tv.push(performance.now() - t0);
    }
    console.log(`worker post at ${n} records: whole ${(whole.length / 1024).toFixed(0)} KB, received in ${fmt(median(tw))}; ` +
      `delta ${(delta.length / 1024).toFixed(0)} KB, received and appended in ${fmt(median(td))}; the run's partial view ${fmt(median(tv))}`);
  }
}

// ---------------------------------------------------------------- 5. streaming, idle and loaded
if (!postsOnly) {
  const { streamingFigures } = await import('./streamLag.mjs');
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const connect = async (env) => {
    const proc = spawn(process.execPath, [join(dir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    conn.onNotification('textDocument/publishDiagnostics', () => {});
    conn.onRequest(() => null);
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { runOn: 'save', workers: 2, cache: false } } });
    await conn.sendNotification('initialized', {});
    const stop = async () => {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      conn.dispose();
    };
    return { conn, stop };
  };
  const f = await streamingFigures(connect, { reps: quick ? 3 : 5, records, streamMs });
  rows.push({ name: 'streaming under load: event-loop delay p95', median: f.load.lag.p95, target: 50 });
  rows.push({ name: 'under load: cancel → ack', median: median(f.load.cancelAck), target: 200 });
  rows.push({ name: 'under load: edit → ack', median: median(f.load.editAck), target: 200 });
  rows.push({ name: 'under load: cancel → stopped', median: median(f.load.cancelStop), target: 1000 });
  rows.push({ name: 'under load: edit → stale runs stopped', median: median(f.load.editStop), target: 1000 });
}

rmSync(dir, { recursive: true, force: true });
const failed = rows.filter((r) => r.target && r.median >= r.target);
console.log(failed.length ? `over target: ${failed.map((r) => r.name).join('; ')}` : 'all medians within target');
