// The language server while runs stream, with and without load (two processes spinning on the
// cores, as scripts/stress.sh does): its event loop's delay (perf_hooks, asked for through
// sgdexp/loopDelay; the server runs with SGDEXP_LOOP_STATS=1), and how long a Cancel and an edit
// take to be acknowledged and to stop the runs they make stale. Shared by bench-graph.mjs (the
// bundled sources, over stdio) and bench-extension.mjs (dist/server.js over IPC, as the
// extension's client talks to it).
//   cancel → ack            the answer to sgdexp/cancel (the server has cancelled every job)
//   cancel → stopped        the revision's final results message (its jobs handed back their state)
//   edit → ack              didChange + didSave → the first message of the new revision
//   edit → stale stopped    → the new revision's runs both computing: with two workers and both
//                           runs edited, a new job gets a worker only once an old one let go
// targets: ack < 200 ms, stopped < 1000 ms, loop delay p95 < 50 ms under load
// While the runs stream it also prints what the partial messages weigh (bytes of each
// sgdexp/results notification, median and max) and the server thread's ms per second of
// streaming on worker progress posts and on building and sending partial messages (the
// `stream` field of sgdexp/loopDelay; absent from servers before it). `records`: the runs'
// `record` count (the default text: 2000; a large one streams thousands of records between two
// messages, what the point budget of src/core/wire/partialBudget.ts bounds).
import { spawn } from 'node:child_process';

let TEXT;
const text = (steps, record) => (lr) => `seed = 1
data = teacher(n = 100, p = 20, k = 2)
net  = linear2(width = 40)
a = train(net, data, gd(lr = ${lr}), steps = ${steps}, record = ${record})
b = train(net, data, label_noise(lr = ${lr}, delta = 1), steps = ${steps}, record = ${record})
plot loss(a, b, y = log)
plot singular_values(a, b, of = W1, top = 5)
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `connect(env)` starts a server with those extra environment variables and resolves to
 *  { conn, stop }: an initialised vscode-jsonrpc connection (runOn save, 2 workers, no cache). */
export async function streamingFigures(connect, { reps = 5, streamMs = 3000, log = console.log, records = 2000 } = {}) {
  // many records: fewer steps, so a run records thousands of them per second
  TEXT = records > 2000 ? text(2000000, records) : text(20000000, records);
  const out = {};
  for (const load of [false, true]) {
    const spinners = load ? [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })) : [];
    try {
      out[load ? 'load' : 'idle'] = await oneSetting(connect, reps, streamMs);
    } finally {
      for (const p of spinners) p.kill('SIGKILL');
    }
    const f = out[load ? 'load' : 'idle'];
    const ms = (x) => `${x.toFixed(0)} ms`;
    log(`streaming, ${load ? 'two spinning processes' : 'idle machine'}: server event-loop delay p50 ${f.lag.p50.toFixed(1)} ms, p95 ${f.lag.p95.toFixed(1)} ms, max ${f.lag.max.toFixed(0)} ms` +
      ` (${f.messages} results messages in ${(streamMs / 1000).toFixed(0)} s, ${(f.bytes / 1024).toFixed(0)} KB)`);
    const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
    log(`  partial message: median ${kb(median(f.partialBytes))}, max ${kb(Math.max(...f.partialBytes))} (n = ${f.partialBytes.length}, record = ${records})`);
    const c = f.lag.stream;
    if (c) {
      const per = (x) => `${((x * 1000) / streamMs).toFixed(1)} ms/s`;
      log(`  server thread: worker posts ${per(c.postMs)} (${c.posts} posts, ${c.postRecords} records, ${(c.postMs / Math.max(1, c.posts)).toFixed(2)} ms each), ` +
        `partial messages built ${per(c.buildMs)} + sent ${per(c.notifyMs)} (${c.partials}, ${((c.buildMs + c.notifyMs) / Math.max(1, c.partials)).toFixed(2)} ms each)`);
    }
    log(`  cancel → ack ${ms(median(f.cancelAck))}, → stopped (final) ${ms(median(f.cancelStop))}; edit → ack ${ms(median(f.editAck))}, → stale runs stopped ${ms(median(f.editStop))}` +
      `  (medians of ${reps}; max ${ms(Math.max(...f.cancelAck))} / ${ms(Math.max(...f.cancelStop))} / ${ms(Math.max(...f.editAck))} / ${ms(Math.max(...f.editStop))})`);
  }
  return out;
}

async function oneSetting(connect, reps, streamMs) {
  const { conn, stop } = await connect({ SGDEXP_LOOP_STATS: '1' });
  const results = [];
  const statuses = [];
  let bytes = 0;
  let partialBytes = [];
  conn.onNotification('sgdexp/results', (m) => {
    const n = JSON.stringify(m).length;
    bytes += n;
    if (!m.final) partialBytes.push(n);
    results.push({ t: performance.now(), revision: m.revision, final: m.final, runs: Object.fromEntries(Object.entries(m.doc.runs).map(([k, r]) => [k, r.status])) });
  });
  conn.onNotification('sgdexp/status', (m) => statuses.push({ t: performance.now(), revision: m.revision }));
  const uri = 'file:///bench/stream.sgdexp';
  let version = 1;
  let lr = 0.01;
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sgdexp', version, text: TEXT(lr) } });
  const debug = process.env.SGDEXP_BENCH_DEBUG ? (...a) => console.error('[stream]', ...a) : () => {};
  // a hang detector, not a time limit on the figures
  const waitUntil = async (f, what) => {
    debug('waiting for', what);
    const t0 = performance.now();
    for (;;) {
      const x = f();
      if (x) return x;
      if (performance.now() - t0 > 120_000) throw new Error(`waited 2 min for ${what}; last results: ${JSON.stringify(results.slice(-3))}`);
      await sleep(2);
    }
  };
  const newest = () => Math.max(0, ...results.map((m) => m.revision), ...statuses.map((m) => m.revision));
  // a message of a revision newer than `than` in which both runs compute
  const bothRunning = (than) => results.find((m) => m.revision > than && m.runs.a === 'running' && m.runs.b === 'running');
  const save = async () => {
    lr = Math.round((lr + 0.0001) * 1e6) / 1e6;
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: TEXT(lr) }] });
    await conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
  };
  const f = { cancelAck: [], cancelStop: [], editAck: [], editStop: [], lag: null, messages: 0, bytes: 0, partialBytes: [] };
  // stream: the event loop's delay while both runs compute and results flow
  let t = performance.now();
  let before = newest();
  await save();
  await waitUntil(() => bothRunning(before), 'both runs computing');
  await conn.sendRequest('sgdexp/loopDelay');
  const n0 = results.length;
  bytes = 0;
  partialBytes = [];
  await sleep(streamMs);
  f.lag = await conn.sendRequest('sgdexp/loopDelay');
  f.messages = results.length - n0;
  f.bytes = bytes;
  f.partialBytes = partialBytes.slice();
  for (let i = 0; i < reps; i++) {
    // an edit during the runs
    before = newest();
    t = performance.now();
    await save();
    const ack = await waitUntil(() => results.find((m) => m.t >= t && m.revision > before) ?? statuses.find((m) => m.t >= t && m.revision > before), 'the edit acknowledged');
    f.editAck.push(ack.t - t);
    const run = await waitUntil(() => bothRunning(before), 'the edited runs computing');
    f.editStop.push(run.t - t);
    await sleep(300);
    // a Cancel during the runs
    const rev = run.revision;
    t = performance.now();
    await conn.sendRequest('sgdexp/cancel', { uri });
    f.cancelAck.push(performance.now() - t);
    const fin = await waitUntil(() => results.find((m) => m.revision === rev && m.final), 'the cancelled revision final');
    f.cancelStop.push(fin.t - t);
    // and computing again, for the next edit to interrupt
    before = newest();
    await save();
    await waitUntil(() => bothRunning(before), 'the runs computing again');
    await sleep(300);
  }
  await conn.sendRequest('sgdexp/cancel', { uri });
  await stop();
  return f;
}
