// Minibatch scaling, checked directly: one SGD step on a known batch B against finite differences
// of the minibatch loss as docs/theory.md §1 / model.ts define it, on the *raw* data (x = √n·x̃, y = √n·ỹ):
//   regression (diagonal: Even et al.; linear2, relu2: model.ts):  L_B = 1/(2b)·Σ_{i∈B} ‖yᵢ − f(xᵢ)‖²
//   deep_linear (N observed entries; b = 1 is Wang & Jacot's step):  L_B = 1/(2b)·Σ_{(i,j)∈B} (A_ij − A*_ij)²
// (= (n/b)·½Σ_B on rescaled data; b = n gives the full-batch loss.) B is reproduced from the
// state: b steps of a partial Fisher–Yates shuffle of the stored permutation with the noise
// stream's uniforms, j = i + ⌊u·(n − i)⌋ (model.ts drawBatch, re-implemented here).
// Tolerance: the per-component rounding floor of gradients.test.ts (L_B is exactly quadratic along
// each coordinate, so central differences have no truncation error). A loss normalised by n
// instead of b is off by the factor n/b = 6 here; by 1/2 or a missing √n, by O(1).
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { CompletionData, RegressionData } from '../../../src/core/numeric/data';
import { Rng } from '../../../src/core/numeric/rng';
import type { RunSpec } from '../../../src/core/spec';
import { type Arrays, endToEnd, fdAgainstStep, forward, safeH, sgd, spec, teacher } from './helpers';

function batchOf(perm0: Float64Array, rngState: number[], n: number, b: number): number[] {
  const perm = Float64Array.from(perm0), r = Rng.fromState(rngState);
  for (let i = 0; i < b; i++) {
    const j = i + Math.floor(r.uniform() * (n - i));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return Array.from(perm.subarray(0, b));
}

function minibatchLoss(s: RunSpec, batch: number[]): { loss: (a: Arrays) => number; h: (a: Arrays) => number } {
  const { data } = buildRun(s);
  const b = batch.length;
  if (s.model.kind === 'deep_linear') {
    const d = data as CompletionData, model = s.model;
    const loss = (a: Arrays) => {
      const A = endToEnd(model, a, d.rows, d.cols);
      let sum = 0;
      for (const f of batch) sum += (A[f] - d.target[f]) ** 2;
      return sum / (2 * b);
    };
    return { loss, h: () => 1e-3 };
  }
  const { n, p, k, X, Y } = data as RegressionData;
  const sn = Math.sqrt(n); // undo the 1/√n rescaling: raw data
  const raw = batch.map((r) => ({ x: Array.from(X.subarray(r * p, (r + 1) * p), (v) => v * sn), y: Array.from(Y.subarray(r * k, (r + 1) * k), (v) => v * sn) }));
  const loss = (a: Arrays) => {
    let sum = 0;
    for (const { x, y } of raw) {
      const f = forward(s.model, a, x, p, k);
      for (let c = 0; c < k; c++) sum += (y[c] - f[c]) ** 2;
    }
    return sum / (2 * b);
  };
  return { loss, h: (a: Arrays) => safeH(s.model, a, raw.map((q) => q.x), p) };
}

function checkMinibatch(s: RunSpec, warm = 0) {
  const { stepper, data } = buildRun(s);
  const o = s.optimizer as { lr: number; batch: number };
  const n = data.kind === 'regression' ? data.n : data.observed.length;
  expect(o.batch).toBeLessThan(n);
  if (warm) {
    const w = buildRun({ ...s, optimizer: sgd(0.1, n) }).stepper; // full batch
    for (let i = 0; i < warm; i++) w.step();
    stepper.setState({ arrays: { ...w.getState().arrays, perm: stepper.getState().arrays.perm }, rng: stepper.getState().rng });
  }
  const s0 = stepper.getState();
  const batch = batchOf(s0.arrays.perm, s0.rng, n, o.batch);
  expect(new Set(batch).size).toBe(o.batch);
  const probe = stepper.step();
  const s1 = stepper.getState();
  const LB = minibatchLoss(s, batch);
  const r = fdAgainstStep(s0.arrays, s1.arrays, o.lr, 0, LB.loss, LB.h);
  expect(r.maxTol).toBeLessThan(1e-8 * r.maxG);
  expect(r.worstRatio).toBeLessThan(1);
  // the step's probe is the batch loss at the state before the update (model.ts)
  expect(Math.abs(probe - LB.loss(s0.arrays))).toBeLessThanOrEqual(1e-12 * LB.loss(s0.arrays));
  return r;
}

describe('minibatch SGD step = −η∇L_B, L_B = 1/(2b)·Σ_B on raw data', () => {
  it('linear2 (b = 5 of n = 30)', () => {
    const s = spec(teacher(30, 4, 2), { kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 0.7 }, seed: 2 }, sgd(1e-2, 5), 1);
    checkMinibatch(s);
  });
  it('diagonal (b = 3 of n = 18)', () => {
    const s = spec({ kind: 'sparse', n: 18, d: 8, s: 2, noise: 0, test: 10, seed: 1 }, { kind: 'diagonal', alpha: 0.8, seed: 0 }, sgd(1e-2, 3), 1);
    // v₀ = 0: ∂L_B/∂u vanishes at init; start after a few full-batch steps
    checkMinibatch(s, 3);
  });
  it('relu2 (b = 6 of n = 36)', () => {
    // h ≤ half the smallest pre-activation margin on the batch (helpers.safeH): no kink crossed
    const s = spec(teacher(36, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, sgd(1e-2, 6), 1);
    expect(checkMinibatch(s).h).toBeGreaterThan(1e-6);
  });
  it('deep_linear (b = 2 of N = 7 observed entries)', () => {
    const s = spec({ kind: 'completion', observed: null, rows: 4, cols: 3, rank: 2, fraction: 0.6, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 3, init: { kind: 'gaussian', scale: 0.8 }, seed: 1 }, sgd(1e-2, 2), 1);
    checkMinibatch(s);
  });
});
