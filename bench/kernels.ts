// Per-kernel rates of the linear2 step (bundled and run by scripts/bench.mjs): GFLOP/s of each
// SIMD kernel (wasm/kernels.wat) and of its scalar reference (kernels.ts) at the step's shapes,
// and the engine's f64x2 register-only peak (mul + add, no FMA). Medians of `reps` timings, in
// CPU time of this process (the machine may be shared: CPU time is what a loaded core gave us).
// Prints one JSON line.
import { Arena } from '../src/core/numeric/wasm/simd';
import { lowerDotsAdd, rowCombine, rowDots } from '../src/core/numeric/kernels';
import { Rng } from '../src/core/numeric/rng';
import { cpuTimings } from './cpuTime';

const [p, l, k] = JSON.parse(process.argv[2]) as number[];
const reps = 7;
const m = p + k;
const ar = Arena.create([m * l, m * l, k * p, k * p, k * p, k * p, p * k, l * k, p * p, p * p]);
if (!ar) throw new Error('no WebAssembly SIMD on this engine');
const [T, T2, Pt, Gt, Mt, Z, P, W2, XT, LT] = ar.arrays;
const rng = Rng.stream(1, 0, 'data');
for (const a of ar.arrays) rng.fillGauss(a, 0.01);
for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) LT[j * p + i] = 0;
const L = new Float64Array(p * p);
for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) L[i * p + j] = LT[j * p + i];

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
/** GFLOP/s of f (flops per call), from the median of `reps` timings of ~30 ms of CPU each */
const rate = (flops: number, f: () => void): number => flops / (median(cpuTimings(f, reps, 30_000)) * 1e3);

const kernels: Record<string, [number, () => void, () => void]> = {
  'P = W1·W2': [2 * p * l * k, () => ar.gemm(p, k, l, T, 0, l, 1, W2, 0, k, P, 0, k), () => rowDots(T, p * l, k, T, 0, p, l, Pt, p)],
  'Gᵀ = Pᵀ·XᵀX': [2 * p * p * k, () => ar.gemm(k, p, p, Pt, 0, p, 1, XT, 0, p, Gt, 0, p), () => rowDots(Pt, 0, k, XT, 0, p, p, Gt, p)],
  'Mᵀ += √δ·Z·Cᵀ': [p * p * k, () => ar.gemm(k, p, p, Z, 0, p, 1, LT, 0, p, Mt, 0, p, { f: 1e-12, tri: true }), () => lowerDotsAdd(Z, k, L, p, 1e-12, Mt)],
  'W1 += M·W2ᵀ': [2 * p * l * k, () => ar.rowCombine(T2, 0, T, 0, p, 0.999, Mt, 1, p, T, p * l, k, l), () => rowCombine(T2, 0, T, 0, p, 0.999, Mt, 1, p, T, p * l, k, l)],
  'W2 += W1ᵀ·M': [2 * p * l * k, () => ar.rowCombine(T2, p * l, T, p * l, k, 0.999, Mt, p, 1, T, 0, p, l), () => rowCombine(T2, p * l, T, p * l, k, 0.999, Mt, p, 1, T, 0, p, l)],
};
const out: Record<string, [number, number]> = {};
for (const [name, [flops, simd, scalar]] of Object.entries(kernels)) out[name] = [rate(flops, simd), rate(flops, scalar)];
const peak = rate(24 * 1e5, () => ar.peak(1e5));
console.log(JSON.stringify({ p, l, k, kernels: out, peak }));
