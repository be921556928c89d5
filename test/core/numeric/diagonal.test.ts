// Diagonal linear networks (Even, Pesme, Gunasekar, Flammarion 2023; docs/theory.md §5).
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { Diagonal, qGain } from '../../../src/core/numeric/diagonal';
import { dataLambdaMax } from '../../../src/core/numeric/data';
import { runTraining } from '../../../src/core/numeric/run';
import type { DataSpec } from '../../../src/core/spec';
import { gd, ln, sgd, spec } from './helpers';

const fig1: DataSpec = { kind: 'sparse', n: 20, d: 30, s: 3, noise: 0, test: 1000, seed: 0 };
const diag = (alpha: number) => ({ kind: 'diagonal' as const, alpha, seed: 0 });

/**
 * The identity checked over a run, at every step and coordinate: lhs = |u² − v²|/2 against
 * rhs = α² e^{−Gain}. Floating point stores u and v, not u ± v: when Gain is large u ≈ ±v and
 * u² − v² = (u − v)(u + v) loses ≈ ε·(u² + v²) absolutely to cancellation, i.e. the identity's
 * relative condition number is κ = (u² + v²)/(2·rhs). The rounding made in u and v over the run
 * (≲ ε per step, plus 1/|1 ∓ γg| amplification on steps with γg ≈ ±1) enters as C·ε·κ. So:
 *  - everywhere, |lhs − rhs| ≤ C·ε·(u² + v²)/2 (returned as `cond`, the worst |lhs − rhs|/(ε(u²+v²)/2));
 *  - where ε·κ ≤ tau (numerically determined: the rounding term ≤ C·tau), the relative error
 *    is small (returned as `rel`, the worst over those), and `checked` counts them out of `total`.
 * Where α² e^{−Gain} falls below ε·(u² + v²) (Gain ≳ 30 here), u = v in floating point and the
 * identity is not checkable at float64 precision, only the `cond` bound is.
 * A wrong q, sign or update order is off by O(γg) ≈ 1e-2 relative per step.
 */
function identityError(opt: Parameters<typeof spec>[2], steps: number, tau: number, alpha = 0.1) {
  const { stepper } = buildRun(spec(fig1, diag(alpha), opt, steps));
  const dn = stepper as Diagonal;
  let rel = 0, cond = 0, checked = 0;
  for (let t = 0; t < steps; t++) {
    stepper.step();
    for (let j = 0; j < dn.d; j++) {
      const u = dn.u[j], v = dn.v[j];
      // (u² − v²)/2 evaluated as (u − v)(u + v)/2: both factors evolve multiplicatively. Its sign
      // flips whenever |γg| > 1 (SGD's (n/b)-scaled steps do that), which q(x) = −½ln((1 − x²)²)
      // cannot see: the identity is for the magnitude.
      const lhs = Math.abs(((u - v) * (u + v)) / 2);
      const rhs = alpha * alpha * Math.exp(-dn.gain[j]);
      const scale = (Number.EPSILON * (u * u + v * v)) / 2; // ε·κ·rhs
      cond = Math.max(cond, Math.abs(lhs - rhs) / scale);
      if (scale <= tau * rhs) {
        checked++;
        rel = Math.max(rel, Math.abs(lhs - rhs) / rhs);
      }
    }
  }
  return { rel, cond, checked, total: steps * dn.d, dn };
}

describe('diagonal network identity |u² − v²|/2 = α²·exp(−Gain)', () => {
  const lmax = dataLambdaMax(fig1, 1);
  // Over these 3000-step runs C measured 106 (GD), 63 (SGD), 74 (label noise), as for rounding
  // accumulated over ~√3000–3000 steps: we allow C ≤ 1e3, and check rel ≤ 1e-10 where ε·κ ≤ 1e-12
  // (C·ε·κ ≤ 1e-10 at the measured C; measured worst rel there 2.8e-11, 6.6e-12, 2.1e-12). Checked
  // pairs (step, coordinate) measured 95.9 %, 96.7 %, 100 %: at least 90 % must be checked.
  it('GD at a macroscopic stepsize, 3000 steps: relative error ≤ 1e-10 where determined', () => {
    const e = identityError(gd(3 / lmax), 3000, 1e-12);
    expect(e.rel).toBeLessThan(1e-10);
    expect(e.cond).toBeLessThan(1e3);
    expect(e.checked).toBeGreaterThanOrEqual(0.9 * e.total);
    // the undetermined coordinates at the end are those whose α²e^{−Gain} is below the ulps of u
    // and v (measured: one, Gain 37.7, α²e^{−Gain} ≈ 4e-19): there u = v in floating point
    const { dn } = e;
    const lost = Array.from({ length: dn.d }, (_, j) => j).filter((j) => {
      const u = dn.u[j], v = dn.v[j];
      return (Number.EPSILON * (u * u + v * v)) / 2 > 1e-12 * 0.01 * Math.exp(-dn.gain[j]);
    });
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeLessThanOrEqual(2);
    for (const j of lost) {
      expect(dn.gain[j]).toBeGreaterThan(30);
      expect(Math.abs(dn.u[j] - dn.v[j])).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(dn.u[j]));
    }
  });
  it('SGD (batch 1), 3000 steps: relative error ≤ 1e-10 where determined', () => {
    const e = identityError(sgd(0.6 / lmax, 1), 3000, 1e-12);
    expect(e.rel).toBeLessThan(1e-10);
    expect(e.cond).toBeLessThan(1e3);
    expect(e.checked).toBeGreaterThanOrEqual(0.9 * e.total);
  });
  it('label noise (batch 5), 3000 steps: relative error ≤ 1e-10 where determined', () => {
    const e = identityError(ln(0.2 / lmax, 0.05, 5), 3000, 1e-12);
    expect(e.rel).toBeLessThan(1e-10);
    expect(e.cond).toBeLessThan(1e3);
    expect(e.checked).toBeGreaterThanOrEqual(0.9 * e.total);
  });
  it('near SGD’s stability limit the identity still holds to the rounding floor', () => {
    // There Gain reaches 9–50 and single steps have |1 − γg| ≈ 0.02, which amplifies rounding in
    // u ± v by 1/|1 − γg|: C measured 1.37e4 (allow 1e5). Determined: ε·κ ≤ 1e-14, so
    // C·ε·κ ≤ 1.4e-10 at the measured C; measured worst rel there 4.8e-12, allow 1e-9; checked
    // measured 15.1 % of the 150000 (step, coordinate) pairs: at least 10 %.
    const e = identityError(sgd(1.2 / lmax, 1), 5000, 1e-14);
    expect(e.rel).toBeLessThan(1e-9);
    expect(e.cond).toBeLessThan(1e5);
    expect(e.checked).toBeGreaterThanOrEqual(0.1 * e.total);
  });
  it('recorded effective_alpha is the geometric mean of α∞ⱼ = α·exp(−Gainⱼ/2) from the recorded gain', async () => {
    // the per-coordinate α∞ is not a series of its own (diagonal.ts): it must be recoverable
    // exactly from `gain`, and the scalar must be consistent with it (rounding: a few ε)
    const alpha = 0.1;
    const o = await runTraining(spec(fig1, diag(alpha), sgd(0.6 / lmax, 1), 2000, 10));
    const G = o.trajectory.metrics.gain as number[][], A = o.trajectory.metrics.effective_alpha as number[];
    expect(Math.max(...G.at(-1)!) - Math.min(...G.at(-1)!)).toBeGreaterThan(0.1); // heterogeneous
    for (let i = 0; i < A.length; i++) {
      const per = G[i].map((g) => alpha * Math.exp(-g / 2));
      const geo = Math.exp(per.reduce((a, x) => a + Math.log(x), 0) / per.length);
      expect(Math.abs(A[i] - geo)).toBeLessThanOrEqual(1e-13 * geo);
    }
  });
  it('q(x) = −½ ln((1 − x²)²)', () => {
    for (const x of [1e-9, 0.01, 0.3, 0.99, 1.2, -0.5]) expect(qGain(x)).toBeCloseTo(-0.5 * Math.log((1 - x * x) ** 2), 12);
  });
});

describe("Even et al.'s Fig. 1 at (n, d, s, α) = (20, 30, 3, 0.1)", () => {
  // Stepsizes in units of 1/λ_max(XᵀX). For each method, the largest stepsize on the grid that
  // still converges (train loss < 1e-4 after 30000 steps) is "near its convergence limit".
  it('near their limits SGD’s test loss is orders of magnitude below GD’s; GD’s rises, SGD’s falls', async () => {
    const lmax = dataLambdaMax(fig1, 1);
    const run = async (opt: Parameters<typeof spec>[2]) => {
      const o = await runTraining(spec(fig1, diag(0.1), opt, 30000, 10));
      const m = o.trajectory.metrics;
      return { ok: o.status === 'done' && (m.loss as number[]).at(-1)! < 1e-4, test: (m.test_loss as number[]).at(-1)!, gain: (m.gain as number[][]).at(-1)! };
    };
    const limit = async (grid: number[], mk: (lr: number) => Parameters<typeof spec>[2]) => {
      let best: Awaited<ReturnType<typeof run>> | null = null;
      let f0 = NaN;
      for (const f of grid) {
        const r = await run(mk(f / lmax));
        if (!r.ok) break;
        best = r;
        f0 = f;
      }
      return { best: best!, f: f0 };
    };
    const gdSmall = await run(gd(0.05 / lmax));
    const sgdSmall = await run(sgd(0.05 / lmax, 1));
    const G = await limit([2, 3, 4, 5, 6], (lr) => gd(lr));
    const S = await limit([0.6, 1.0, 1.2, 1.3, 1.35, 1.4, 1.5], (lr) => sgd(lr, 1));
    // small steps: both close to gradient flow (same order of test loss)
    expect(sgdSmall.test / gdSmall.test).toBeGreaterThan(0.3);
    expect(sgdSmall.test / gdSmall.test).toBeLessThan(3);
    // SGD's limit is the smaller stepsize
    expect(S.f).toBeLessThan(G.f);
    expect(S.best.test).toBeLessThan(1e-2 * G.best.test);
    expect(G.best.test).toBeGreaterThan(gdSmall.test);
    expect(S.best.test).toBeLessThan(1e-2 * sgdSmall.test);
    // GD's Gain is heterogeneous (largest on the support), SGD's homogeneous
    const spread = (g: number[]) => Math.max(...g) / Math.min(...g);
    expect(spread(G.best.gain)).toBeGreaterThan(5 * spread(S.best.gain));
  });
});

describe('diagonal recorded test loss', () => {
  it('the O(d²) Gram form equals the direct sum to 1e-10 relative, including near zero', async () => {
    const { buildRun: b } = await import('../../../src/core/numeric/build');
    const s = spec(fig1, diag(0.1), sgd(0.05, 1), 20000, 20);
    const { stepper } = b(s);
    const dn = stepper as Diagonal;
    const d = dn.data;
    let checked = 0;
    for (let t = 0; t <= 20000; t++) {
      if (t % 2000 === 0) {
        const beta = dn.beta();
        let e2 = 0;
        for (let r = 0; r < d.ntest; r++) {
          let f = 0;
          for (let j = 0; j < 30; j++) f += d.Xtest[r * 30 + j] * beta[j];
          e2 += (d.Ytest[r] - f) ** 2;
        }
        const rec = stepper.metrics().test_loss as number;
        expect(Math.abs(rec - 0.5 * e2)).toBeLessThanOrEqual(1e-10 * 0.5 * e2);
        checked++;
      }
      stepper.step();
    }
    expect(checked).toBe(11);
  });
});

describe('diagonal gain_norm', () => {
  it('is ‖Gain‖₁ = Σ|Gainⱼ|, never negative, when a step with γ|gⱼ| > √2 made some Gainⱼ < 0', () => {
    const lmax = dataLambdaMax(fig1, 1);
    // one GD step far beyond the stable stepsize: q(γgⱼ) < 0 on several coordinates, and their
    // signed sum is negative
    const { stepper } = buildRun(spec(fig1, diag(0.1), gd(20 / lmax), 1));
    const dn = stepper as Diagonal;
    stepper.step();
    const gain = [...dn.gain];
    expect(gain.filter((x) => x < 0).length).toBeGreaterThan(0);
    expect(gain.reduce((a, b) => a + b, 0)).toBeLessThan(0);
    const m = stepper.metrics();
    expect(m.gain_norm).toBe(gain.reduce((a, b) => a + Math.abs(b), 0));
    expect(m.gain_norm as number).toBeGreaterThan(0);
    // α∞ stays the geometric mean of α·exp(−Gainⱼ/2): the signed mean
    expect(m.effective_alpha).toBeCloseTo(0.1 * Math.exp(-gain.reduce((a, b) => a + b, 0) / (2 * 30)), 14);
  });
});
