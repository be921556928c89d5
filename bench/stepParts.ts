// Where one Linear2.step spends its time (full-batch label noise, Cholesky noise, SIMD kernels):
// each part of the step timed on its own, in a loop over the model's own buffers (the same calls
// with the same arguments as linear2.ts's step), next to the whole step. CPU time of this
// process, the minimum of `reps` timings (the least disturbed one: the machine is shared). Bundled and run by scripts/bench-parts.mjs (step); prints JSON.
// The parts' sum can differ from the whole step: caches warm in a loop of one part.
import { buildRun } from '../src/core/numeric/build';
import type { Linear2 } from '../src/core/numeric/linear2';
import { linear2Spec } from './benchSpecs';
import { minCpuTime } from './cpuTime';

const [n, p, l, k] = JSON.parse(process.argv[2] ?? '[200,50,100,5]') as number[];
const reps = 9;
const spec = linear2Spec([n, p, l, k], { steps: 1, record: 2, scale: 0.1, lr: 0.01, delta: 1 });
const model = buildRun(spec).stepper as unknown as Linear2;
const x = model as any;
if (model.kernels !== 'simd' || model.mode !== 'cholesky') throw new Error(`expected simd + cholesky, got ${model.kernels} + ${model.mode}`);
const sb = x.simd;
const ar = sb.arena;

const time = (f: () => void): number => minCpuTime(f, reps);

// keep θ bounded while parts run in isolation: restore it before timing each
const theta0 = model.T.slice();
const reset = () => model.T.set(theta0);

const parts: Record<string, () => void> = {
  'W2 copy (T→l×kp)': () => {
    const { T } = model, { W2, kp } = sb;
    for (let c = 0; c < k; c++) {
      const o = (p + c) * l;
      for (let j = 0; j < l; j++) W2[j * kp + c] = T[o + j];
    }
  },
  'P = W1·W2 (gemm)': () => ar.gemm(p, sb.kp, l, model.T, 0, l, 1, sb.W2, 0, sb.kp, sb.P, 0, sb.kp),
  'Gᵀ = Pᵀ·XᵀX (gemm, P strided)': () => ar.gemm(k, p, p, sb.P, 0, 1, sb.kp, sb.XtXT, 0, p, x.Gt, 0, p),
  'probe + Mᵀ = XᵀYᵀ − Gᵀ': () => {
    const P = sb.P, kp = sb.kp, XtXt = x.XtXt, Gt = x.Gt, Mt = x.Mt;
    let py = 0, pg = 0;
    for (let c = 0, t = 0; c < k; c++)
      for (let i = 0; i < p; i++, t++) {
        const v = P[i * kp + c];
        py += v * XtXt[t];
        pg += v * Gt[t];
        Mt[t] = XtXt[t] - Gt[t];
      }
    if (py + pg === 0.5) throw new Error('unlikely');
  },
  'gaussFill (k·p draws)': () => ar.gaussFill(model.rng, x.Z, 0, k * p),
  'noise Mᵀ += √δ·Z·Cᵀ (tri gemm)': () => ar.gemm(k, p, p, x.Z, 0, p, 1, sb.LT, 0, p, x.Mt, 0, p, { f: 1, tri: true }),
  'Mᵀ *= η': () => {
    const Mt = x.Mt;
    for (let t = 0; t < k * p; t++) Mt[t] *= 1;
  },
  'W1 += M·W2ᵀ (rowCombine)': () => ar.rowCombine(x.T2, 0, model.T, 0, p, 1, x.Mt, 1, p, model.T, p * l, k, l),
  'W2 += W1ᵀ·M (rowCombine)': () => ar.rowCombine(x.T2, p * l, model.T, p * l, k, 1, x.Mt, p, 1, model.T, 0, p, l),
};
const out: Record<string, number> = {};
let sum = 0;
// Mᵀ is small and steady (XᵀYᵀ − Gᵀ of θ0): the noise and update parts see realistic values
reset();
model.step();
reset();
for (const [name, f] of Object.entries(parts)) {
  reset();
  out[name] = time(f);
  sum += out[name];
}
reset();
const whole = time(() => {
  model.step();
  if (!Number.isFinite(model.T[0])) reset();
});
console.log(JSON.stringify({ n, p, l, k, parts: out, sum, step: whole }));
