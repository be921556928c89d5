// The scale of the label noise, for every model (model.ts, docs/theory.md §1 "Label noise"): δ is the
// variance of the noise on the *rescaled* labels ỹ (linear2/diagonal/relu2: ỹ = y/√n; deep_linear:
// Ã* = A*/√N over the N observed entries, its loss being (1/2N)Σ_I = ½Σ_I on rescaled entries).
// A full-batch label-noise step with lr η from θ is the GD step plus η√δ·J̃ᵀz, z ~ N(0, I), where
// J̃ is the Jacobian of the rescaled predictions f̃ (one row per label): the perturbation
// Δ = θ_ln − θ_gd is exactly Gaussian with covariance C = η²δ·J̃ᵀJ̃. SGF with step h is the same
// with η² δ → h²·(ηδ/h) = ηδh (Euler–Maruyama, dB ~ N(0, h)).
//
// J̃ is computed here independently of the steppers: each model's rescaled predictions written out
// in the test, differentiated by central differences (exact up to rounding for the multilinear
// models; relu2 is piecewise multilinear and h = 1e-6 does not cross a kink at these points).
//
// Statistics over K draws: S = mean ‖Δ‖² estimates tr C with variance 2tr(C²)/K (Δ Gaussian);
// we allow 5 standard errors. Ĉ = mean ΔΔᵀ has E‖Ĉ − C‖²_F = ((tr C)² + tr C²)/K; we allow 3× its
// root (a sum of many squared entries, tightly concentrated). With K = 20000 both are a few %; a
// noise scale off by the factor N (raw-entry convention, N = 7 here) or n is off by ≥ 7×.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { RegressionData } from '../../../src/core/numeric/data';
import type { OptimizerSpec, RunSpec } from '../../../src/core/spec';
import { type Arrays, endToEnd, forward, gd, ln, paramKeys, spec, teacher } from './helpers';

const flat = (a: Arrays) => paramKeys(a).flatMap((k) => Array.from(a[k]));

/** θ vector → arrays with the same keys and shapes as `like` */
function unflat(x: number[], like: Arrays): Arrays {
  const out: Arrays = {};
  let o = 0;
  for (const k of paramKeys(like)) {
    out[k] = Float64Array.from(x.slice(o, o + like[k].length));
    o += like[k].length;
  }
  for (const k of Object.keys(like)) if (!out[k]) out[k] = Float64Array.from(like[k]);
  return out;
}

/** the model's predictions of the rescaled labels (helpers.forward / endToEnd, independent of the steppers) */
function predictions(s: RunSpec, a: Arrays): number[] {
  const { data } = buildRun({ ...s, optimizer: gd(0.1) });
  const m = s.model;
  if (m.kind === 'deep_linear') {
    if (data.kind !== 'completion') throw new Error('completion data');
    const A = endToEnd(m, a, data.rows, data.cols), N = data.observed.length;
    return Array.from(data.observed, (f) => A[f] / Math.sqrt(N));
  }
  const { n, p, k, X } = data as RegressionData;
  const out: number[] = [];
  for (let r = 0; r < n; r++) out.push(...forward(m, a, X.subarray(r * p, (r + 1) * p), p, k));
  return out;
}

/** J̃ᵀJ̃ (params × params) at `a` */
function gaussNewton(s: RunSpec, a: Arrays): number[][] {
  const x0 = flat(a);
  const P = x0.length, h = 1e-6;
  const cols: number[][] = [];
  for (let t = 0; t < P; t++) {
    const xp = x0.slice(), xm = x0.slice();
    xp[t] += h;
    xm[t] -= h;
    const fp = predictions(s, unflat(xp, a)), fm = predictions(s, unflat(xm, a));
    cols.push(fp.map((v, i) => (v - fm[i]) / (2 * h)));
  }
  return cols.map((ci) => cols.map((cj) => ci.reduce((acc, v, r) => acc + v * cj[r], 0)));
}

/** K perturbations Δ = θ_noisy − θ_gd of one step from the same state (after `warm` GD steps) */
function perturbations(s: RunSpec, noisy: OptimizerSpec, plain: OptimizerSpec, K: number, warm = 5) {
  const g = buildRun({ ...s, optimizer: plain }).stepper;
  for (let i = 0; i < warm; i++) g.step();
  const base = g.getState();
  g.step();
  const thGd = flat(g.getState().arrays);
  const nz = buildRun({ ...s, optimizer: noisy }).stepper;
  let rng = nz.getState().rng;
  const D: number[][] = [];
  for (let q = 0; q < K; q++) {
    nz.setState({ arrays: base.arrays, rng });
    nz.step();
    const st = nz.getState();
    rng = st.rng;
    D.push(flat(st.arrays).map((v, i) => v - thGd[i]));
  }
  return { D, base: base.arrays };
}

function checkScale(s: RunSpec, noisy: OptimizerSpec, plain: OptimizerSpec, factor: number, K = 20000) {
  const { D, base } = perturbations(s, noisy, plain, K);
  const C = gaussNewton(s, base).map((row) => row.map((v) => factor * v));
  const P = C.length;
  let trC = 0, trC2 = 0;
  for (let i = 0; i < P; i++) {
    trC += C[i][i];
    for (let j = 0; j < P; j++) trC2 += C[i][j] ** 2;
  }
  let S = 0;
  const Ch = C.map((r) => r.map(() => 0));
  for (const d of D) {
    for (let i = 0; i < P; i++) {
      S += d[i] * d[i];
      for (let j = 0; j < P; j++) Ch[i][j] += d[i] * d[j];
    }
  }
  S /= K;
  let err2 = 0;
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) err2 += (Ch[i][j] / K - C[i][j]) ** 2;
  return {
    ratio: S / trC,
    traceTol: (5 * Math.sqrt((2 * trC2) / K)) / trC,
    covErr: Math.sqrt(err2 / trC2),
    covTol: 3 * Math.sqrt((trC * trC + trC2) / (K * trC2)),
  };
}

const cases: Record<string, RunSpec> = {
  linear2: spec(teacher(30, 4, 2), { kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 0.7 }, seed: 2 }, gd(0.1), 1),
  diagonal: spec({ kind: 'sparse', n: 15, d: 8, s: 2, noise: 0, test: 10, seed: 1 }, { kind: 'diagonal', alpha: 0.8, seed: 0 }, gd(0.1), 1),
  relu2: spec(teacher(40, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 1 }, seed: 3 }, gd(0.1), 1),
  deep_linear: spec({ kind: 'completion', observed: null, rows: 4, cols: 3, rank: 2, fraction: 0.6, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 3, init: { kind: 'gaussian', scale: 0.8 }, seed: 1 }, gd(0.1), 1),
};

describe('label-noise scale: δ is the variance on the rescaled labels, for every model', () => {
  const eta = 0.05, delta = 2;
  for (const [name, s] of Object.entries(cases)) {
    it(`${name}: label-noise GD perturbation has covariance η²δ·J̃ᵀJ̃`, () => {
      const r = checkScale(s, ln(eta, delta), gd(eta), eta * eta * delta);
      expect(Math.abs(r.ratio - 1)).toBeLessThan(r.traceTol);
      expect(r.covErr).toBeLessThan(r.covTol);
    });
    it(`${name}: SGF (h = η/4) perturbation has covariance ηδh·J̃ᵀJ̃`, () => {
      const h = eta / 4;
      const r = checkScale(s, { kind: 'sgf', dt: h, lr: eta, delta, weight_decay: 0 }, gd(h), eta * delta * h);
      expect(Math.abs(r.ratio - 1)).toBeLessThan(r.traceTol);
      expect(r.covErr).toBeLessThan(r.covTol);
    });
  }
});
