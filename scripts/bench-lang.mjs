#!/usr/bin/env node
// Benchmark of the language: full re-check of a 500-line file (target < 10 ms) and
// completion at positions spread over it (target < 20 ms each). Prints medians (and p95/max).
// The TypeScript sources are bundled in memory with esbuild, as the server bundle is.
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import rpc from 'vscode-languageserver-protocol/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  // the language and the numeric core's hooks the server hands it (src/core/checkHooks.ts)
  stdin: { contents: "export * from './src/core/lang/index'; export { numericHooks } from './src/core/checkHooks';", resolveDir: root, loader: 'ts' },
  bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
});
const lang = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
const checkDocument = (t) => lang.checkDocument(t, lang.numericHooks());

// A realistic 500-line experiment file: 50 blocks of 10 lines (data, model, sweep, 2 runs, plots, comments).
function makeFile(blocks) {
  const lines = ['# benchmark file', 'seed = 3', ''];
  for (let i = 0; lines.length < blocks * 10; i++) {
    lines.push(
      `# block ${i}: GD vs label noise`,
      `data${i} = teacher(n = ${40 + i}, p = ${5 + (i % 7)}, k = 1, noise = 0.01)`,
      `net${i}  = linear2(width = ${20 + (i % 5)}, init = gaussian(scale = 0.5))`,
      `lrs${i}  = linspace(0.001, 0.05, 8)`,
      `gd${i}   = train(net${i}, data${i}, gd(lr = lrs${i}), steps = 2000)`,
      `ln${i}   = train(net${i}, data${i},`,
      `  label_noise(lr = 0.01, delta = [1, 2]), steps = 2000, record = 500)`,
      `plot logdet(gd${i}[lr = 0.001], ln${i}, theory = true, title = "block ${i}")`,
      `plot final(test_loss, gd${i}, x = lr, y = log)`,
      '',
    );
  }
  return lines.slice(0, blocks * 10).join('\n') + '\n';
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
// Wall time, and the process's CPU time for the same call (user + system): on a loaded machine the
// wall time includes waiting for a core, the CPU time does not.
const cpu = [];
const time = (f) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return dt;
};
const cpuOf = (fn) => {
  cpu.length = 0;
  const wall = fn();
  return { wall, cpu: [...cpu] };
};

const text = makeFile(50);
const lineCount = text.split('\n').length - 1;
const first = checkDocument(text);
if (first.program.diagnostics.some((d) => d.severity === 'error')) {
  console.error('benchmark file has errors:', first.program.diagnostics.filter((d) => d.severity === 'error').slice(0, 3));
  process.exit(1);
}
// warm-up
for (let i = 0; i < 20; i++) checkDocument(text);

// each iteration edits one number so nothing is reused across checks except the λ_max memo (as on a keystroke)
const { wall: checks, cpu: checksCpu } = cpuOf(() => {
  const out = [];
  for (let i = 0; i < 60; i++) {
    const edited = text.replace('steps = 2000)', `steps = ${2000 + i})`);
    out.push(time(() => checkDocument(edited)));
  }
  return out;
});
const checksNoHooks = [];
for (let i = 0; i < 60; i++) checksNoHooks.push(time(() => lang.check(text, {})));
const parses = [];
for (let i = 0; i < 60; i++) parses.push(time(() => lang.parse(text)));

// completion at 400 positions spread over the file (every ~35th character), on the memoised analysis
const { analysis } = checkDocument(text);
const positions = [];
for (let o = 0; o <= text.length; o += Math.max(1, Math.floor(text.length / 400))) positions.push(o);
// warm-up pass (a running server has compiled every completion path already)
for (const o of positions) {
  lang.complete(analysis, o);
  lang.hover(analysis, o);
}
const { wall: completions, cpu: completionsCpu } = cpuOf(() => positions.map((o) => time(() => lang.complete(analysis, o))));
const hovers = positions.map((o) => time(() => lang.hover(analysis, o)));
const formats = [];
for (let i = 0; i < 20; i++) formats.push(time(() => lang.format(text, analysis.tree)));
// completion right after an edit: re-check + complete
const checkAndComplete = positions.filter((_, i) => i % 10 === 0).map((o) => time(() => lang.complete(checkDocument(text).analysis, o)));

const f = (x) => `${x.toFixed(2)} ms`;
console.log(`language benchmark (load average ${(await import('node:os')).loadavg()[0].toFixed(1)}): ${lineCount}-line file, ${text.length} characters, ${first.program.definitions.length} definitions, ${first.program.plots.length} plots`);
console.log(`  parse                          median ${f(median(parses))}`);
console.log(`  full re-check (checkDocument)  median ${f(median(checks))}   p95 ${f(pct(checks, 0.95))}   CPU median ${f(median(checksCpu))}   (target < 10 ms)`);
console.log(`  re-check without numeric hooks median ${f(median(checksNoHooks))}`);
console.log(`  completion (${positions.length} positions)     median ${f(median(completions))}   p95 ${f(pct(completions, 0.95))}   max ${f(Math.max(...completions))}   CPU max ${f(Math.max(...completionsCpu))}   (target < 20 ms)`);
console.log(`  re-check + completion          median ${f(median(checkAndComplete))}   max ${f(Math.max(...checkAndComplete))}`);
console.log(`  hover                          median ${f(median(hovers))}   max ${f(Math.max(...hovers))}`);
console.log(`  format                         median ${f(median(formats))}`);

// ---- through the language server: JSON-RPC round trips over stdio ----
let serverJs = process.env.SERVER_JS ?? join(root, 'dist/server.js');
let tmp = null;
if (!existsSync(serverJs)) {
  tmp = mkdtempSync(join(tmpdir(), 'sgdexp-bench-'));
  serverJs = join(tmp, 'server.js');
  await build({ entryPoints: [join(root, 'src/server/server.ts')], outfile: serverJs, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
}
const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
let onDiag = null;
conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => onDiag?.(p));
conn.listen();
await conn.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { storagePath: null, settings: { runOn: 'manual', debounceMs: 0 } } });
await conn.sendNotification(rpc.InitializedNotification.type, {});
const uri = 'file:///bench/bench.sgdexp';
let version = 1;
const diagAfter = (send) => new Promise((resolve) => {
  const t0 = performance.now();
  onDiag = (p) => {
    if (p.uri === uri) {
      onDiag = null;
      resolve(performance.now() - t0);
    }
  };
  send();
});
await diagAfter(() => conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sgdexp', version, text } }));
const li = new lang.LineIndex(text);
// the edit: one digit of the first `steps = 2000` (a typical keystroke)
const stepsAt = li.position(text.indexOf('steps = 2000') + 'steps = 200'.length);
const edit = (i) => ({ range: { start: stepsAt, end: { line: stepsAt.line, character: stepsAt.character + 1 } }, text: String(i % 10) });
const rpcPositions = positions.filter((_, i) => i % 4 === 0).map((o) => li.position(o));
for (const position of rpcPositions.slice(0, 20)) await conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position });
const rpcCompletions = [];
for (const position of rpcPositions) {
  const t0 = performance.now();
  await conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position });
  rpcCompletions.push(performance.now() - t0);
}
// an edit, then completion at once (the server re-checks the new version first)
const editCompletions = [];
const diagLatency = [];
for (let i = 0; i < 30; i++) {
  version++;
  const position = rpcPositions[(i * 7) % rpcPositions.length];
  const t0 = performance.now();
  await conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version }, contentChanges: [edit(i)],
  });
  await conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri }, position });
  editCompletions.push(performance.now() - t0);
}
for (let i = 0; i < 20; i++) {
  version++;
  diagLatency.push(await diagAfter(() => conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version }, contentChanges: [edit(i)],
  })));
}
await conn.sendRequest(rpc.ShutdownRequest.type);
await conn.sendNotification(rpc.ExitNotification.type);
conn.dispose();
child.kill();
if (tmp) rmSync(tmp, { recursive: true, force: true });
console.log(`  server (stdio JSON-RPC):`);
console.log(`    completion round trip (${rpcCompletions.length} positions)  median ${f(median(rpcCompletions))}   max ${f(Math.max(...rpcCompletions))}`);
console.log(`    edit + completion round trip            median ${f(median(editCompletions))}   max ${f(Math.max(...editCompletions))}`);
console.log(`    edit → diagnostics published (no debounce) median ${f(median(diagLatency))}`);
