// Threads for one run's step (speed issue: "threads where they pay"): linear2's full-batch
// label-noise step at three sizes, one thread (the real SIMD path, Linear2.step) against the
// same kernel calls with each dominant product split across two threads sharing a
// WebAssembly.Memory (Atomics.wait/notify per split product). The bits are asserted equal
// before timing. Runs twice: with the second core left to us ("idle": other users of the
// machine may still be there; the load average is printed) and with one extra process spinning
// (scripts/stress.sh's spinner), as when a second run is in flight.
// The shared variant of kernels.wat is the committed text with its memory import declared
// shared (wabt's threads feature); the committed module is not changed.
// Usage: node scripts/bench-threads.mjs [--seconds 0.3] [--rounds 7] [--quick] [--spin 50000]
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const quick = process.argv.includes('--quick');
const seconds = Number(arg('--seconds', quick ? '0.1' : '0.3'));
const rounds = Number(arg('--rounds', quick ? '3' : '7'));
const spin = Number(arg('--spin', '50000')); // polls (Atomics.load) before sleeping, poll variant
const sizes = [
  [200, 50, 100, 5],
  [1000, 100, 200, 10],
  [1000, 200, 1000, 10],
];

// the shared-memory module: the same functions, memory import `(memory 1 65536 shared)`
const wat = readFileSync(join(root, 'src/core/numeric/wasm/kernels.wat'), 'utf8');
const sharedWat = wat.replace('(import "env" "mem" (memory 1))', '(import "env" "mem" (memory 1 65536 shared))');
if (sharedWat === wat) throw new Error('kernels.wat: memory import not found');
const wabt = await createRequire(import.meta.url)('wabt')();
const mod = wabt.parseWat('kernels.shared.wat', sharedWat, { simd: true, threads: true });
mod.validate({ simd: true, threads: true });
const b64 = Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer).toString('base64');
mod.destroy();

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-bench-threads-'));
const out = join(dir, 'threads.cjs');
await build({ entryPoints: [join(root, 'bench/threads.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function measure() {
  const o = spawnSync(process.execPath, [out, b64, JSON.stringify({ sizes, seconds, rounds, check: 20, spin })], { encoding: 'utf8', cwd: root });
  if (o.status !== 0) {
    console.error(o.stderr);
    process.exit(1);
  }
  return JSON.parse(o.stdout.trim().split('\n').at(-1));
}

const f1 = (x) => x.toFixed(1);
function print(title, res) {
  console.log(`\n${title}`);
  const m = (a, b, d = 1) => `${a.toFixed(d)}; ${b.toFixed(d)}`;
  const size = (r) => ('(' + r.size.join(', ') + ')').padEnd(22) + String(r.lp).padStart(7);
  console.log('wall µs/step (median; min over rounds)   real          1-thr shared    split (sleep)   ×real/split    split (poll)    ×real/split');
  for (const r of res)
    console.log(
      [size(r), m(r.real, r.realMin).padStart(16), m(r.one, r.oneMin).padStart(15), m(r.split, r.splitMin).padStart(15), m(r.real / r.split, r.realMin / r.splitMin, 2).padStart(12), m(r.spinStep, r.spinMin).padStart(15), m(r.real / r.spinStep, r.realMin / r.spinMin, 2).padStart(12)].join('  '),
    );
  console.log('sync round trip µs, CPU µs/step          sync sleep  sync poll  4 syncs/split  CPU real | split main + worker  bound | poll main + worker  bound');
  for (const r of res)
    console.log(
      [
        size(r),
        r.syncUs.toFixed(1).padStart(10),
        r.spinSyncUs.toFixed(1).padStart(9),
        `${((100 * 4 * r.syncUs) / r.split).toFixed(0)} %`.padStart(13),
        `${r.allCpuReal.toFixed(0)} | ${r.mainCpuSplit.toFixed(0)} + ${(r.allCpuSplit - r.mainCpuSplit).toFixed(0)}`.padStart(28),
        (r.allCpuReal / r.mainCpuSplit).toFixed(2).padStart(5),
        `| ${r.mainCpuSpin.toFixed(0)} + ${(r.allCpuSpin - r.mainCpuSpin).toFixed(0)}`.padStart(18),
        (r.allCpuReal / r.mainCpuSpin).toFixed(2).padStart(5),
      ].join('  '),
    );
}

console.log(`threads bench: ${rounds} rounds × ~${seconds}s per measurement, wall time per step; bits of θ after 20 steps asserted equal (real, one thread shared, split)`);
console.log(`load average before: ${load()} (2 cores, shared)`);
console.log('bound = CPU of the real step / CPU of the split step\'s main thread: the speedup if the worker never made the main thread wait (an idle second core)');
const idle = measure();
print(`second core not used by us (load average now ${load()})`, idle);
const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
// never leave the spinner behind (Ctrl-C, a timeout's SIGTERM)
process.on('exit', () => spinner.kill());
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
let busy;
try {
  busy = measure();
} finally {
  spinner.kill();
}
print(`one extra process spinning (load average now ${load()})`, busy);
rmSync(dir, { recursive: true, force: true });
