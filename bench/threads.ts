// Threads for one linear2 step (bundled and run by scripts/bench-threads.mjs): is a single wide
// run faster when its step's dominant products are split by output rows (or column blocks)
// across two threads sharing one WebAssembly.Memory? Prints one JSON line.
//
// argv: the shared-memory variant of kernels.wat's bytes (base64, assembled by the script),
// then JSON {sizes: [[n, p, l, k], …], seconds, rounds}.
//
// Per size it times, in alternating rounds (so the machine's load hits all alike), wall time:
//   real  : Linear2.step() itself (its own non-shared Arena: the path runs use today);
//   one   : the same calls, one thread, on the shared memory (what sharing alone costs);
//   split : the same calls with each product halved between this thread and a worker, one
//           Atomics.wait/notify round trip per split product (4 per step).
// and, before timing, asserts that all three give the same θ bits after `check` steps (each
// output element is still one chain in the same order: only which thread computes it changes).
// Per-sync overhead: round trips of an empty job.
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildRun } from '../src/core/numeric/build';
import type { Linear2 } from '../src/core/numeric/linear2';
import { Rng } from '../src/core/numeric/rng';
import { ARENA_BASE } from '../src/core/numeric/wasm/simd';
import type { RunSpec } from '../src/core/spec';

interface Kern {
  gemm(m: number, n: number, kk: number, A: number, ars: number, acs: number, B: number, ldb: number, C: number, ldc: number, f: number, mode: number, tri: number, IN: number): void;
  rowCombine(out: number, inp: number, nr: number, d: number, C: number, cr: number, cs: number, src: number, ns: number, len: number): void;
  gaussFill(st: number, out: number, n: number): void;
}

// The job area (one SharedArrayBuffer): ctl[0] = job sequence number (main → worker), ctl[1] =
// the last finished one (worker → main), ctl[2] = stop, ctl[3] = spin (polls before sleeping); args: count, then 15 numbers per call
// (0 = gemm + its 14 arguments, 1 = rowCombine + its 10).
const CALL = 15;
/** polls before sleeping in the 'spin' variant: ~tens of µs of Atomics.load */
let SPIN = 50000;
const MAX_CALLS = 4;

function runCalls(x: Kern, a: Float64Array): void {
  const n = a[0];
  for (let c = 0; c < n; c++) {
    const o = 1 + c * CALL;
    if (a[o] === 0) x.gemm(a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7], a[o + 8], a[o + 9], a[o + 10], a[o + 11], a[o + 12], a[o + 13], a[o + 14]);
    else x.rowCombine(a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7], a[o + 8], a[o + 9], a[o + 10]);
  }
}

if (!isMainThread) {
  const { mod, memory, jobs } = workerData as { mod: WebAssembly.Module; memory: WebAssembly.Memory; jobs: SharedArrayBuffer };
  const x = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as Kern;
  const ctl = new Int32Array(jobs, 0, 4);
  const args = new Float64Array(jobs, 16, 1 + MAX_CALLS * CALL);
  let seen = 0;
  for (;;) {
    const spin = Atomics.load(ctl, 3);
    for (let i = 0; i < spin && Atomics.load(ctl, 0) === seen; i++);
    Atomics.wait(ctl, 0, seen);
    if (Atomics.load(ctl, 2)) break;
    seen = Atomics.load(ctl, 0);
    runCalls(x, args);
    Atomics.store(ctl, 1, seen);
    Atomics.notify(ctl, 1);
  }
  parentPort!.postMessage('stopped');
}

/** the worker side of a split: run `calls` there while this thread runs `mine`, then wait */
class Pair {
  private seq = 0;
  readonly ctl: Int32Array;
  readonly args: Float64Array;
  private n = 0;
  constructor(readonly x: Kern, jobs: SharedArrayBuffer, readonly worker: Worker) {
    this.ctl = new Int32Array(jobs, 0, 4);
    this.args = new Float64Array(jobs, 16, 1 + MAX_CALLS * CALL);
  }
  gemm(...a: number[]): void {
    this.push(0, a);
  }
  rowCombine(...a: number[]): void {
    this.push(1, a);
  }
  private push(kind: number, a: number[]): void {
    const o = 1 + this.n * CALL;
    this.args[o] = kind;
    for (let i = 0; i < a.length; i++) this.args[o + 1 + i] = a[i];
    this.n++;
  }
  /** iterations of Atomics.load each side polls before sleeping in Atomics.wait (0: sleep at once) */
  set spin(n: number) {
    Atomics.store(this.ctl, 3, n);
  }
  /** send the queued calls, run `mine` here, wait for the worker */
  run(mine: () => void): void {
    this.args[0] = this.n;
    this.n = 0;
    const s = ++this.seq;
    Atomics.store(this.ctl, 0, s);
    Atomics.notify(this.ctl, 0);
    mine();
    const spin = this.ctl[3];
    for (let i = 0; i < spin && Atomics.load(this.ctl, 1) !== s; i++);
    while (Atomics.load(this.ctl, 1) !== s) Atomics.wait(this.ctl, 1, s - 1);
  }
  stop(): Promise<void> {
    Atomics.store(this.ctl, 2, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    return new Promise((r) => this.worker.once('exit', () => r()));
  }
}

/** CPU time of this (the main) thread in µs, from /proc (Linux; NaN elsewhere): with the process
 *  total it separates the main thread's share of a split step from the worker's */
function mainThreadCpuUs(): number {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(v[11]) + Number(v[12])) * 1e6) / TICKS;
  } catch {
    return NaN;
  }
}
const TICKS = 100; // getconf CLK_TCK on Linux

const even = (x: number) => 2 * Math.round(x / 2);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
// (the minimum over rounds too: on a shared machine it is the round least disturbed by others)

function spec(n: number, p: number, l: number, k: number): RunSpec {
  // bench.mjs's label-noise configurations: init scale 0.1, lr 0.01, δ = 1, full batch
  return {
    rootSeed: 0, seed: 0, steps: 1, record: 2,
    data: { kind: 'teacher', n, p, k, noise: 0, test: 0, activation: 'linear', neurons: 1, seed: 0 },
    model: { kind: 'linear2', width: l, init: { kind: 'gaussian', scale: 0.1 }, seed: 0 },
    optimizer: { kind: 'label_noise', lr: 0.01, delta: 1, batch: null, weight_decay: 0 },
  } as RunSpec;
}

/** linear2's full-batch Cholesky label-noise SIMD step (Linear2.step) on a shared memory */
class SharedStep {
  readonly x: Kern;
  readonly f64: Float64Array;
  readonly st32: Uint32Array;
  private T: number; // byte offsets
  private T2: number;
  private readonly o: Record<string, number> = {};
  rng!: Rng;
  private readonly XtXt: Float64Array;
  private readonly yy: number;
  private readonly eta: number;
  private readonly d: number;
  private readonly sd: number;
  readonly kp: number;

  constructor(mod: WebAssembly.Module, readonly memory: WebAssembly.Memory, readonly p: number, readonly l: number, readonly k: number, model: Linear2) {
    this.x = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as Kern;
    const m = p + k, kp = k + (k & 1);
    this.kp = kp;
    let b = ARENA_BASE; // after gaussFill's state and the ziggurat table
    for (const [name, len] of [['T', m * l], ['T2', m * l], ['Pt', k * p], ['Gt', k * p], ['Mt', k * p], ['Z', k * p], ['P', p * kp], ['W2', l * kp], ['XtXT', p * p], ['LT', p * p]] as const) {
      this.o[name] = b;
      b += Math.ceil((len * 8) / 16) * 16;
    }
    this.f64 = new Float64Array(memory.buffer);
    this.st32 = new Uint32Array(memory.buffer, 0, 8);
    this.T = this.o.T;
    this.T2 = this.o.T2;
    const M = model as unknown as { T: Float64Array; simd: { XtXT: Float64Array; LT: Float64Array }; XtXt: Float64Array; data: { yy: number }; opt: { stepSize: number; wd: number; delta: number }; rng: Rng };
    this.reset(M.T, M.rng.getState());
    this.f64.set(M.simd.XtXT, this.o.XtXT / 8);
    this.f64.set(M.simd.LT, this.o.LT / 8);
    this.XtXt = M.XtXt;
    this.yy = M.data.yy;
    this.eta = M.opt.stepSize;
    this.d = 1 - 2 * this.eta * M.opt.wd;
    this.sd = Math.sqrt(M.opt.delta);
  }

  /** θ and the noise stream's state */
  reset(T: Float64Array, rng: number[]): void {
    this.T = this.o.T;
    this.T2 = this.o.T2;
    this.f64.set(T, this.T / 8);
    this.rng = Rng.fromState(rng as never);
  }

  theta(): Float64Array {
    return this.f64.slice(this.T / 8, this.T / 8 + (this.p + this.k) * this.l);
  }

  /** one step; pair null: this thread alone (the calls of Linear2.step) */
  step(pair: Pair | null): number {
    const { p, l, k, kp, x, f64, o, d } = this;
    const T = this.T, T2 = this.T2, Tf = T / 8;
    const W2f = o.W2 / 8, Pf = o.P / 8, Ptf = o.Pt / 8, Gtf = o.Gt / 8, Mtf = o.Mt / 8;
    for (let c = 0; c < k; c++) {
      const r = Tf + (p + c) * l;
      for (let j = 0; j < l; j++) f64[W2f + j * kp + c] = f64[r + j];
    }
    // P = W1·W2 (p×kp): rows halved
    if (pair) {
      const h = even(p / 2);
      pair.gemm(p - h, kp, l, T + h * l * 8, l, 1, o.W2, kp, o.P + h * kp * 8, kp, 0, 0, 0, 0);
      pair.run(() => x.gemm(h, kp, l, T, l, 1, o.W2, kp, o.P, kp, 0, 0, 0, 0));
    } else x.gemm(p, kp, l, T, l, 1, o.W2, kp, o.P, kp, 0, 0, 0, 0);
    for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) f64[Ptf + c * p + i] = f64[Pf + i * kp + c];
    // Gᵀ = Pᵀ·XᵀX (k×p): column blocks halved
    if (pair) {
      const h = even(p / 2);
      pair.gemm(k, p - h, p, o.Pt, p, 1, o.XtXT + h * 8, p, o.Gt + h * 8, p, 0, 0, 0, 0);
      pair.run(() => x.gemm(k, h, p, o.Pt, p, 1, o.XtXT, p, o.Gt, p, 0, 0, 0, 0));
    } else x.gemm(k, p, p, o.Pt, p, 1, o.XtXT, p, o.Gt, p, 0, 0, 0, 0);
    const XtXt = this.XtXt;
    let py = 0, pg = 0;
    for (let t = 0; t < k * p; t++) {
      py += f64[Ptf + t] * XtXt[t];
      pg += f64[Ptf + t] * f64[Gtf + t];
      f64[Mtf + t] = XtXt[t] - f64[Gtf + t];
    }
    const probe = 0.5 * (this.yy - 2 * py + pg);
    // the draws (Arena.gaussFill), this thread
    const s = this.rng.getState(), st32 = this.st32;
    for (let i = 0; i < 5; i++) st32[i] = s[i];
    f64[3] = s[5];
    x.gaussFill(0, o.Z, k * p);
    for (let i = 0; i < 5; i++) s[i] = st32[i];
    s[5] = f64[3];
    this.rng.setState(s);
    // Mᵀ += √δ·Z·Cᵀ (triangular: rows of Mᵀ halved, its columns are not independent of tri)
    if (pair && k > 1) {
      const h = Math.ceil(k / 2);
      pair.gemm(k - h, p, p, o.Z + h * p * 8, p, 1, o.LT, p, o.Mt + h * p * 8, p, this.sd, 1, 1, 0);
      pair.run(() => x.gemm(h, p, p, o.Z, p, 1, o.LT, p, o.Mt, p, this.sd, 1, 1, 0));
    } else x.gemm(k, p, p, o.Z, p, 1, o.LT, p, o.Mt, p, this.sd, 1, 1, 0);
    for (let t = 0; t < k * p; t++) f64[Mtf + t] *= this.eta;
    // θ' = dθ + θA, one job: W1's rows halved at an even row (rowCombine pairs rows; an odd
    // last row is a different chain, so it must stay last); W2's columns-as-rows: the even
    // rows as rowCombine's own gemm (mode 2) in column blocks, the odd last row here
    if (pair) {
      const h = even(p / 2);
      pair.rowCombine(T2 + h * l * 8, T + h * l * 8, p - h, d, o.Mt + h * 8, 1, p, T + p * l * 8, k, l);
      const ke = k & ~1, wT2 = T2 + p * l * 8, wT = T + p * l * 8;
      // balance: here ke·c + (k odd ? l : 0) against ke·(l − c) there
      const c = ke ? Math.min(l, Math.max(0, even((ke * l - (k & 1) * l) / (2 * ke)))) : 0;
      if (ke) pair.gemm(ke, l - c, p, o.Mt, p, 1, T + c * 8, l, wT2 + c * 8, l, d, 2, 0, wT + c * 8);
      pair.run(() => {
        x.rowCombine(T2, T, h, d, o.Mt, 1, p, T + p * l * 8, k, l);
        if (ke && c) x.gemm(ke, c, p, o.Mt, p, 1, T, l, wT2, l, d, 2, 0, wT);
        if (k & 1) x.rowCombine(wT2 + ke * l * 8, wT + ke * l * 8, 1, d, o.Mt + ke * p * 8, p, 1, T, p, l);
      });
    } else {
      x.rowCombine(T2, T, p, d, o.Mt, 1, p, T + p * l * 8, k, l);
      x.rowCombine(T2 + p * l * 8, T + p * l * 8, k, d, o.Mt, p, 1, T, p, l);
    }
    this.T = T2;
    this.T2 = T;
    return probe;
  }
}

function sameBits(a: Float64Array, b: Float64Array): string | null {
  if (a.length !== b.length) return `lengths ${a.length} ≠ ${b.length}`;
  for (let t = 0; t < a.length; t++) if (!Object.is(a[t], b[t])) return `index ${t}: ${a[t]} ≠ ${b[t]}`;
  return null;
}

async function main(): Promise<void> {
  const [b64, cfgJson] = process.argv.slice(2);
  const cfg = JSON.parse(cfgJson) as { sizes: [number, number, number, number][]; seconds: number; rounds: number; check: number; spin?: number };
  if (cfg.spin !== undefined) SPIN = cfg.spin;
  const mod = new WebAssembly.Module(Buffer.from(b64, 'base64'));
  const results = [];
  for (const [n, p, l, k] of cfg.sizes) {
    const built = () => buildRun(spec(n, p, l, k), { simd: true }).stepper as Linear2;
    const real = built();
    if (real.kernels !== 'simd' || real.mode !== 'cholesky') throw new Error('expected the SIMD Cholesky path');
    const m = p + k, kp = k + (k & 1);
    const bytes = 32 + [m * l, m * l, k * p, k * p, k * p, k * p, p * kp, l * kp, p * p, p * p].reduce((s, x) => s + Math.ceil((x * 8) / 16) * 16, 0);
    const pages = Math.ceil(bytes / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const jobs = new SharedArrayBuffer(16 + 8 * (1 + MAX_CALLS * CALL));
    const worker = new Worker(__filename, { workerData: { mod, memory, jobs } });
    const one = new SharedStep(mod, memory, p, l, k, real);
    const pair = new Pair(one.x, jobs, worker);
    // bits: real, one thread on shared memory, split, `check` steps each from the same state
    const start = Float64Array.from(real.T), rng0 = real.rng.getState();
    for (let s = 0; s < cfg.check; s++) real.step();
    const want = Float64Array.from(real.T);
    for (let s = 0; s < cfg.check; s++) one.step(null);
    const e1 = sameBits(one.theta(), want);
    const two = one;
    two.reset(start, rng0);
    for (let s = 0; s < cfg.check; s++) two.step(pair);
    const e2 = sameBits(two.theta(), want);
    if (e1 || e2) throw new Error(`bits differ at (${n}, ${p}, ${l}, ${k}): one thread ${e1 ?? 'same'}, split ${e2 ?? 'same'}`);
    const rngSame = JSON.stringify(two.rng.getState()) === JSON.stringify(real.rng.getState());
    if (!rngSame) throw new Error('the noise stream advanced differently');
    // timings: steps for ~seconds/rounds per measurement
    let steps = 4;
    for (;;) {
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) real.step();
      if (performance.now() - t0 > 20) break;
      steps *= 2;
    }
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) real.step();
    const per = (performance.now() - t0) / steps;
    steps = Math.max(20, Math.round((cfg.seconds * 1000) / per));
    const keys = ['real', 'one', 'split', 'spin'];
    const us: Record<string, number[]> = {}, cpu: Record<string, number[]> = {}, mainCpu: Record<string, number> = {}, allCpu: Record<string, number> = {};
    for (const key of keys) [us[key], cpu[key], mainCpu[key], allCpu[key]] = [[], [], 0, 0];
    const runs: Record<string, () => void> = { real: () => real.step(), one: () => one.step(null), split: () => two.step(pair), spin: () => two.step(pair) };
    for (let r = 0; r < cfg.rounds; r++)
      for (const key of keys) {
        const f = runs[key];
        pair.spin = key === 'spin' ? SPIN : 0;
        const c0 = process.cpuUsage(), m0 = mainThreadCpuUs();
        const t = performance.now();
        for (let s = 0; s < steps; s++) f();
        us[key].push(((performance.now() - t) * 1000) / steps);
        const c = process.cpuUsage(c0);
        cpu[key].push((c.user + c.system) / steps);
        mainCpu[key] += mainThreadCpuUs() - m0;
        allCpu[key] += c.user + c.system;
      }
    // per-sync overhead: empty jobs, round trip (sleeping at once; polling first)
    const syncs: number[] = [], spins: number[] = [];
    const ns = 2000;
    for (let r = 0; r < cfg.rounds; r++)
      for (const [spin, out] of [[0, syncs], [SPIN, spins]] as const) {
        pair.spin = spin;
        const t = performance.now();
        for (let s = 0; s < ns; s++) pair.run(() => {});
        out.push(((performance.now() - t) * 1000) / ns);
      }
    await pair.stop();
    results.push({ size: [n, p, l, k], lp: l * p, plk: p * l * k, steps, bits: 'same', real: median(us.real), one: median(us.one), split: median(us.split), realMin: Math.min(...us.real), oneMin: Math.min(...us.one), splitMin: Math.min(...us.split), syncMin: Math.min(...syncs), cpuReal: median(cpu.real), cpuSplit: median(cpu.split), syncUs: median(syncs), spinSyncUs: median(spins), spinStep: median(us.spin), spinMin: Math.min(...us.spin), mainCpuSpin: mainCpu.spin / (steps * cfg.rounds), allCpuSpin: allCpu.spin / (steps * cfg.rounds), mainCpuReal: mainCpu.real / (steps * cfg.rounds), mainCpuSplit: mainCpu.split / (steps * cfg.rounds), allCpuReal: allCpu.real / (steps * cfg.rounds), allCpuSplit: allCpu.split / (steps * cfg.rounds), syncsPerStep: 4 });
  }
  console.log(JSON.stringify(results));
}

if (isMainThread) void main();
