// Where one linear2 record (Linear2.metrics) spends its time, next to one step: each part of
// metrics() timed on its own on the model's own buffers (the same calls with the same arguments
// as linear2.ts's metrics at a SIMD, l ≥ p + k size), then the whole call. CPU time of this
// process, the minimum of `reps` timings (the least disturbed one: the machine is shared).
// Bundled and run by scripts/bench-parts.mjs (record); prints JSON. The parts' sum can differ from
// the whole: caches warm in a loop of one part, and the whole allocates its result.
import { buildRun } from '../src/core/numeric/build';
import type { Linear2 } from '../src/core/numeric/linear2';
import { allFinite, singularValues } from '../src/core/numeric/linalg';
import { golubKahanValuesT } from '../src/core/numeric/svdValues';
import { linear2Spec } from './benchSpecs';
import { minCpuTime } from './cpuTime';

const [n, p, l, k] = JSON.parse(process.argv[2] ?? '[200,50,100,5]') as number[];
const reps = 9;
const spec = linear2Spec([n, p, l, k], { steps: 1, record: 2, scale: 0.1, lr: 0.01, delta: 1, test: 1000 });
const model = buildRun(spec).stepper as unknown as Linear2;
const x = model as any;
const m = p + k;
if (model.kernels !== 'simd' || l < m || p <= 16) throw new Error(`expected simd, l ≥ p + k, p > 16 at (${n},${p},${l},${k})`);

const time = (f: () => void): number => minCpuTime(f, reps);

// a state two thousand steps in (the values the records of a run see)
for (let i = 0; i < 2000; i++) model.step();
const step = time(() => model.step());
const T = model.T;
const data = x.data;
const P = model.product();
const Lf = new Float64Array(m * m);
x.lq(m, Lf);
const L11 = new Float64Array(p * p);
for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) L11[i * p + j] = Lf[i * m + j];
const At0 = new Float64Array(p * p);
for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) At0[j * p + i] = L11[i * p + j];
const sv1 = Array.from(golubKahanValuesT(At0.slice(), p, p)).sort((a, b) => b - a);
const sv2 = singularValues(T.subarray(p * l), k, l);
const gk = x.simd.gk as { At: Float64Array; values(): Float64Array };
const gkAt = gk.At;
x.metrics(); // the test set's Gram statistics, built once

const parts: Record<string, () => void> = {
  'P = W1W2 (product)': () => model.product(),
  'loss (Gram form)': () => x.lossFast(data.X, data.Y, data.n, P, data, x.simd.XtXT),
  'test_loss (Gram form)': () => x.lossFast(data.Xtest, data.Ytest, data.ntest, P, x.testGram, x.simd.testXtXT),
  'LQ of θᵀ (log det, L)': () => x.lq(m, Lf),
  'L11ᵀ from the LQ factor': () => {
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < j; i++) gkAt[j * p + i] = 0;
      for (let i = j; i < p; i++) gkAt[j * p + i] = Lf[i * m + j];
    }
    if (!allFinite(gkAt)) throw new Error('not finite');
  },
  'σ(W1) = σ(L11) (Golub–Kahan)': () => {
    gkAt.set(At0);
    gk.values();
  },
  '  JS reference (SGDEXP_SIMD=0)': () => {
    gkAt.set(At0);
    golubKahanValuesT(gkAt, p, p);
  },
  '  of which: the copy in': () => gkAt.set(At0),
  'σ(W2) (Jacobi)': () => singularValues(T.subarray(p * l), k, l),
  'σ(P) (Jacobi)': () => singularValues(P, p, k),
  imbalance: () => model.imbalance(P, sv1, sv2, null),
};
const out: Record<string, number> = {};
let sum = 0;
for (const [name, f] of Object.entries(parts)) {
  out[name] = time(f);
  if (!name.startsWith(' ')) sum += out[name];
}
const metrics = time(() => model.metrics());
console.log(JSON.stringify({ n, p, l, k, parts: out, sum, metrics, step }));
