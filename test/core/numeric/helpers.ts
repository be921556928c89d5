import type { DataSpec, ModelSpec, OptimizerSpec, RunSpec } from '../../../src/core/spec';

export const teacher = (n: number, p: number, k: number, extra: Partial<Extract<DataSpec, { kind: 'teacher' }>> = {}): DataSpec => ({
  kind: 'teacher', n, p, k, noise: 0, test: 100, activation: 'linear', neurons: 1, seed: 0, ...extra,
});
export const linear2 = (width: number, scale = 1, seed = 0): ModelSpec => ({ kind: 'linear2', width, init: { kind: 'gaussian', scale }, seed });
export const gd = (lr: number, weight_decay = 0): OptimizerSpec => ({ kind: 'gd', lr, weight_decay });
export const sgd = (lr: number, batch: number, weight_decay = 0): OptimizerSpec => ({ kind: 'sgd', lr, batch, weight_decay });
export const ln = (lr: number, delta: number, batch: number | null = null, weight_decay = 0): OptimizerSpec => ({ kind: 'label_noise', lr, delta, batch, weight_decay });

export function spec(data: DataSpec, model: ModelSpec, optimizer: OptimizerSpec, steps: number, record = 100, extra: Partial<RunSpec> = {}): RunSpec {
  return { rootSeed: 1, seed: 0, data, model, optimizer, steps, record, ...extra };
}

/** Bitwise deep equality (Object.is on numbers, so NaN = NaN and 0 ≠ −0), with a path on failure. */
export function bitwiseDiff(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${a} ≠ ${b}`;
  if (a instanceof Float64Array && b instanceof Float64Array) return bitwiseDiff(Array.from(a), Array.from(b), path);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = bitwiseDiff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka} ≠ ${kb}`;
    for (const k of ka) {
      const d = bitwiseDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
}

export const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

/** parameter arrays of a stepper state (not the minibatch permutation or the Gain accumulator) */
export type Arrays = Record<string, Float64Array>;
/** per-run accumulators of the state (diagonal: Gain, ρ, ln α_t²; minibatch permutation): not parameters */
const ACCUMULATORS = new Set(['perm', 'gain', 'rho', 'lnA2']);
export const paramKeys = (a: Arrays) => Object.keys(a).filter((k) => !ACCUMULATORS.has(k)).sort();

/**
 * A regression model's outputs f(x) (k values) at one input x, written out here independently of
 * the steppers from the definitions: linear2 f = W2ᵀW1ᵀx (θᵀ rows: W1's rows, then W2's columns,
 * linear2.ts layout), diagonal f = ⟨u ⊙ v, x⟩, relu2 f = Σⱼ aⱼ relu(wⱼᵀx).
 */
export function forward(model: ModelSpec, a: Arrays, x: ArrayLike<number>, p: number, k: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < k; c++) {
    let f = 0;
    if (model.kind === 'linear2') {
      const l = model.width, T = a.theta;
      for (let i = 0; i < p; i++) for (let j = 0; j < l; j++) f += x[i] * T[i * l + j] * T[(p + c) * l + j];
    } else if (model.kind === 'diagonal') {
      for (let j = 0; j < p; j++) f += x[j] * a.u[j] * a.v[j];
    } else if (model.kind === 'relu2') {
      for (let j = 0; j < model.width; j++) {
        let h = 0;
        for (let i = 0; i < p; i++) h += a.W[j * p + i] * x[i];
        if (h > 0) f += a.a[j * k + c] * h;
      }
    } else throw new Error(`forward: ${model.kind} is not a regression model`);
    out.push(f);
  }
  return out;
}

/** deep_linear's end-to-end matrix A = W_L⋯W_1 (rows×cols, row-major), W_m of shape d_m×d_{m−1} */
export function endToEnd(model: Extract<ModelSpec, { kind: 'deep_linear' }>, a: Arrays, rows: number, cols: number): number[] {
  const dims = [cols, ...Array(model.depth - 1).fill(model.width), rows];
  let A = Array.from(a.W1);
  for (let q = 2; q <= model.depth; q++) {
    const W = a[`W${q}`], r = dims[q], c = dims[q - 1];
    const B = new Array(r * cols).fill(0);
    for (let i = 0; i < r; i++) for (let t = 0; t < c; t++) for (let j = 0; j < cols; j++) B[i * cols + j] += W[i * c + t] * A[t * cols + j];
    A = B;
  }
  return A;
}

export const EPS = 2 ** -52;

/**
 * The gradient a step used, g = (θ − θ')/η − 2λθ (θ' = (1 − 2ηλ)θ − η∇L, model.ts), against central
 * differences of `loss`, per component. The tolerance is the rounding floor (why: see
 * gradients.test.ts): |fd − g| ≤ 10ε·L/h + 4ε·(|θ_t| + |θ'_t|)/η. Returns the worst
 * error/tolerance ratio (must be < 1) and the worst absolute error.
 */
export function fdAgainstStep(a0: Arrays, a1: Arrays, eta: number, lambda: number, loss: (a: Arrays) => number, hOf: (a: Arrays) => number) {
  const L = loss(a0);
  const h = hOf(a0);
  let worstRatio = 0, worstAbs = 0, checked = 0, maxG = 0, maxTol = 0;
  for (const name of paramKeys(a0)) {
    const x0 = a0[name], x1 = a1[name];
    for (let t = 0; t < x0.length; t++) {
      const g = (x0[t] - x1[t]) / eta - 2 * lambda * x0[t];
      const arr = Object.fromEntries(Object.entries(a0).map(([k, v]) => [k, Float64Array.from(v)]));
      arr[name][t] = x0[t] + h;
      const lp = loss(arr);
      arr[name][t] = x0[t] - h;
      const lm = loss(arr);
      // divide by the stored step (x₀ + h) − (x₀ − h), not 2h: no error from rounding θ ± h
      const fd = (lp - lm) / (x0[t] + h - (x0[t] - h));
      const tol = (10 * EPS * L) / h + (4 * EPS * (Math.abs(x0[t]) + Math.abs(x1[t]))) / eta;
      worstRatio = Math.max(worstRatio, Math.abs(fd - g) / tol);
      worstAbs = Math.max(worstAbs, Math.abs(fd - g));
      maxG = Math.max(maxG, Math.abs(g));
      maxTol = Math.max(maxTol, tol);
      checked++;
    }
  }
  return { worstRatio, worstAbs, checked, maxG, maxTol, h, L };
}

/** relu2: the largest h ≤ hMax such that moving one entry of W by ±h flips no pre-activation wⱼᵀx
 *  at the given inputs (half the smallest margin |wⱼᵀx|/max|x|); other models: hMax. Below it the
 *  loss is exactly quadratic along each coordinate (see gradients.test.ts). */
export function safeH(model: ModelSpec, a: Arrays, xs: ArrayLike<number>[], p: number, hMax = 1e-3): number {
  if (model.kind !== 'relu2') return hMax;
  let margin = Infinity;
  for (const x of xs) {
    let xm = 0;
    for (let i = 0; i < p; i++) xm = Math.max(xm, Math.abs(x[i]));
    for (let j = 0; j < model.width; j++) {
      let z = 0;
      for (let i = 0; i < p; i++) z += a.W[j * p + i] * x[i];
      margin = Math.min(margin, Math.abs(z) / xm);
    }
  }
  return Math.min(hMax, 0.5 * margin);
}
