// Every model's gradient against central finite differences of its loss. A full-batch GD step
// with lr η and weight decay λ moves θ by −η(∇L + 2λθ) (model.ts), so (θ − θ')/η − 2λθ is the
// gradient the model uses. Tolerance: with η = 1e-4 the step recovers ∇L to ≈ ε·|θ|/η ≈ 1e-12;
// central differences with h = 1e-6 have error O(h²·L''') + O(ε·L/h) ≈ 1e-9; we allow 1e-6
// relative to max(1, |g|): a wrong factor or a missing term is off by O(1).
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { RunSpec } from '../../../src/core/spec';
import { gd, spec, teacher } from './helpers';

function checkGradient(s: RunSpec, lambda = 0): number {
  const { stepper } = buildRun(s);
  const eta = s.optimizer.kind === 'gd' ? s.optimizer.lr : NaN;
  const s0 = stepper.getState();
  stepper.step();
  const s1 = stepper.getState();
  let worst = 0;
  let checked = 0;
  for (const name of Object.keys(s0.arrays)) {
    if (name === 'perm' || name === 'gain') continue;
    const a0 = s0.arrays[name], a1 = s1.arrays[name];
    for (let t = 0; t < a0.length; t++) {
      const g = (a0[t] - a1[t]) / eta - 2 * lambda * a0[t];
      const h = 1e-6;
      const arrays = Object.fromEntries(Object.entries(s0.arrays).map(([k, v]) => [k, Float64Array.from(v)]));
      arrays[name][t] += h;
      stepper.setState({ arrays, rng: s0.rng });
      const lp = stepper.loss();
      arrays[name][t] -= 2 * h;
      stepper.setState({ arrays, rng: s0.rng });
      const lm = stepper.loss();
      const fd = (lp - lm) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g) / Math.max(1, Math.abs(g)));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(3);
  return worst;
}

describe('gradients against finite differences', () => {
  it('linear2 (W1, W2)', () => {
    expect(checkGradient(spec(teacher(30, 4, 2), { kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 0.7 }, seed: 2 }, gd(1e-4), 1))).toBeLessThan(1e-6);
  });
  it('linear2 with weight decay (θ ← (1 − 2ηλ)θ − η∇L)', () => {
    expect(checkGradient(spec(teacher(30, 4, 2), { kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 0.7 }, seed: 2 }, gd(1e-4, 0.3), 1), 0.3)).toBeLessThan(1e-6);
  });
  it('diagonal (u, v)', () => {
    const s = spec({ kind: 'sparse', n: 15, d: 8, s: 2, noise: 0, test: 10, seed: 1 }, { kind: 'diagonal', alpha: 0.8, seed: 0 }, gd(1e-4), 1);
    // v₀ = 0 makes ∂L/∂u = g⊙v vanish at init: take one real step first so both are non-trivial
    const { stepper } = buildRun({ ...s, optimizer: gd(0.1) });
    stepper.step();
    expect(checkGradientFrom(s, stepper.getState())).toBeLessThan(1e-6);
  });
  it('deep_linear (depth 3, random completion)', () => {
    const s = spec({ kind: 'completion', observed: null, rows: 4, cols: 3, rank: 2, fraction: 0.6, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 3, init: { kind: 'gaussian', scale: 0.8 }, seed: 1 }, gd(1e-4), 1);
    expect(checkGradient(s)).toBeLessThan(1e-6);
  });
  it('deep_linear (depth 1 and 2)', () => {
    for (const depth of [1, 2]) {
      const s = spec({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, { kind: 'deep_linear', depth, width: 3, init: { kind: 'gaussian', scale: 1 }, seed: 4 }, gd(1e-4), 1);
      expect(checkGradient(s)).toBeLessThan(1e-6);
    }
  });
  it('relu2 (W, a), ReLU teacher', () => {
    const s = spec(teacher(40, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, gd(1e-4), 1);
    expect(checkGradient(s)).toBeLessThan(1e-6);
  });
  it('relu2 with two outputs on a linear teacher', () => {
    const s = spec(teacher(40, 3, 2), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, gd(1e-4), 1);
    expect(checkGradient(s)).toBeLessThan(1e-6);
  });
});

function checkGradientFrom(s: RunSpec, state: ReturnType<ReturnType<typeof buildRun>['stepper']['getState']>): number {
  const { stepper } = buildRun(s);
  stepper.setState(state);
  const eta = (s.optimizer as { lr: number }).lr;
  const s0 = stepper.getState();
  stepper.step();
  const s1 = stepper.getState();
  let worst = 0;
  for (const name of ['u', 'v']) {
    const a0 = s0.arrays[name], a1 = s1.arrays[name];
    for (let t = 0; t < a0.length; t++) {
      const g = (a0[t] - a1[t]) / eta;
      const h = 1e-6;
      const arrays = Object.fromEntries(Object.entries(s0.arrays).map(([k, v]) => [k, Float64Array.from(v)]));
      arrays[name][t] += h;
      stepper.setState({ arrays, rng: s0.rng });
      const lp = stepper.loss();
      arrays[name][t] -= 2 * h;
      stepper.setState({ arrays, rng: s0.rng });
      const lm = stepper.loss();
      worst = Math.max(worst, Math.abs((lp - lm) / (2 * h) - g) / Math.max(1, Math.abs(g)));
    }
  }
  return worst;
}
