// Every model's gradient against central finite differences of its loss, per component.
//
// The gradient the model uses: a full-batch GD step with lr η and weight decay λ is
// θ' = (1 − 2ηλ)θ − η∇L (model.ts), so g = (θ − θ')/η − 2λθ; its rounding error is ≲ ε(|θ| + |θ'|)/η.
//
// Why the finite difference is exact up to rounding: central differences err by h²/6·∂³L/∂θ_t³ +
// (rounding of L)/h. Along one coordinate θ_t every model's prediction is linear in θ_t (linear2:
// P = W1W2 has each entry of W1, W2 once; diagonal: β_j = u_j v_j; deep_linear: W_L⋯W_1 has each
// factor once; relu2: a enters linearly, and W as well as long as no pre-activation changes sign
// within ±h), so L is exactly quadratic in θ_t and ∂³L/∂θ_t³ = 0: there is no truncation error at
// any h. We take h = 1e-3 (relu2: also below half the smallest margin |wⱼᵀxᵣ|/max|xᵣ|, so no kink
// is crossed), which makes the rounding floor small.
//
// Rounding floor: L is a sum of n squared residuals, each from a length-m dot product, evaluated
// where the residuals are not small against their terms (loss far from 0), so |L̂ − L| ≲ γ·ε·L
// with γ ≤ n + m in the worst case and ~√(n + m) ≈ 5–8 for random rounding here. The two
// evaluations give |fd − ∇L| ≲ γε·L/h; we allow 10ε·L/h + 4ε(|θ_t| + |θ'_t|)/η per component
// (≈ 1e-12..4e-11 here). Measured errors are 0.03–0.18 of that bound (2e-14..6e-12); the old bound
// 1e-6·max(1, |g|) was ~10⁵ times looser. A wrong factor or a missing term is off by O(|g|) ≈ 0.1–10;
// even a relative 1e-8 error in the step fails (checked: 2000–6000× the bound).
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { RegressionData } from '../../../src/core/numeric/data';
import type { RunSpec } from '../../../src/core/spec';
import { type Arrays, fdAgainstStep, gd, safeH, spec, teacher } from './helpers';

function hFor(s: RunSpec, a: Arrays): number {
  const { data } = buildRun(s);
  if (data.kind !== 'regression') return 1e-3;
  const { n, p, X } = data as RegressionData;
  return safeH(s.model, a, Array.from({ length: n }, (_, r) => X.subarray(r * p, (r + 1) * p)), p);
}

/** One GD step of `s` from `from` (default: the init) against finite differences of stepper.loss(). */
function checkGradient(s: RunSpec, from?: Arrays) {
  const { stepper } = buildRun(s);
  if (from) stepper.setState({ arrays: from, rng: stepper.getState().rng });
  const s0 = stepper.getState();
  stepper.step();
  const s1 = stepper.getState();
  const o = s.optimizer as { lr: number; weight_decay: number };
  const loss = (a: Arrays) => {
    stepper.setState({ arrays: a, rng: s0.rng });
    return stepper.loss();
  };
  const r = fdAgainstStep(s0.arrays, s1.arrays, o.lr, o.weight_decay, loss, (a) => hFor(s, a));
  expect(r.checked).toBeGreaterThan(3);
  // the bound is a real constraint: far below the gradient's scale
  expect(r.maxTol).toBeLessThan(1e-8 * r.maxG);
  return r;
}

const lin = (wd = 0) => spec(teacher(30, 4, 2), { kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 0.7 }, seed: 2 }, gd(1e-2, wd), 1);

describe('gradients against finite differences (per component, at the rounding floor)', () => {
  it('linear2 (W1, W2)', () => {
    expect(checkGradient(lin()).worstRatio).toBeLessThan(1);
  });
  it('linear2 with weight decay (θ ← (1 − 2ηλ)θ − η∇L)', () => {
    expect(checkGradient(lin(0.3)).worstRatio).toBeLessThan(1);
  });
  it('diagonal (u, v)', () => {
    const s = spec({ kind: 'sparse', n: 15, d: 8, s: 2, noise: 0, test: 10, seed: 1 }, { kind: 'diagonal', alpha: 0.8, seed: 0 }, gd(1e-2), 1);
    // v₀ = 0 makes ∂L/∂u = g⊙v vanish at init: take one real step first so both are non-trivial
    const { stepper } = buildRun({ ...s, optimizer: gd(0.1) });
    stepper.step();
    expect(checkGradient(s, stepper.getState().arrays).worstRatio).toBeLessThan(1);
  });
  it('deep_linear (depth 3, random completion)', () => {
    const s = spec({ kind: 'completion', observed: null, rows: 4, cols: 3, rank: 2, fraction: 0.6, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 3, init: { kind: 'gaussian', scale: 0.8 }, seed: 1 }, gd(1e-2), 1);
    expect(checkGradient(s).worstRatio).toBeLessThan(1);
  });
  it('deep_linear (depth 1 and 2)', () => {
    for (const depth of [1, 2]) {
      const s = spec({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, { kind: 'deep_linear', depth, width: 3, init: { kind: 'gaussian', scale: 1 }, seed: 4 }, gd(1e-2), 1);
      expect(checkGradient(s).worstRatio).toBeLessThan(1);
    }
  });
  it('relu2 (W, a), ReLU teacher', () => {
    const s = spec(teacher(40, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, gd(1e-2), 1);
    const r = checkGradient(s);
    expect(r.h).toBeGreaterThan(1e-6);
    expect(r.worstRatio).toBeLessThan(1);
  });
  it('relu2 with two outputs on a linear teacher', () => {
    const s = spec(teacher(40, 3, 2), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, gd(1e-2), 1);
    const r = checkGradient(s);
    expect(r.h).toBeGreaterThan(1e-6);
    expect(r.worstRatio).toBeLessThan(1);
  });
});
