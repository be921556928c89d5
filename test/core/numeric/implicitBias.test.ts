// The implicit bias of (S)GD on diagonal linear networks (Even et al. 2023; docs/theory.md §5.1–5.3,
// §7): the tracked identity β_t = α_t² ⊙ sinh(ρ_t), the three predictions of where a run ends, and
// the dual Newton solver checked against independent solvers.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { Diagonal, rhoStep } from '../../../src/core/numeric/diagonal';
import { biasGaps, flowStabilityLimit, nullSpacePart, solveHyperbolicDual } from '../../../src/core/numeric/hyperbolic';
import { symLambdaMax } from '../../../src/core/numeric/linalg';
import { theoryAtStart } from '../../../src/core/numeric/model';
import { Rng } from '../../../src/core/numeric/rng';
import { runTraining } from '../../../src/core/numeric/run';
import type { DataSpec } from '../../../src/core/spec';
import { gd, ln, sgd, spec } from './helpers';

// the paper's Fig. 1 setting (n, d, s, α) = (20, 30, 3, 0.1); no test set (not needed here)
const fig1: DataSpec = { kind: 'sparse', n: 20, d: 30, s: 3, noise: 0, test: 0, seed: 0 };
const diag = (alpha = 0.1) => ({ kind: 'diagonal' as const, alpha, seed: 0 });

function stepperOf(opt: Parameters<typeof spec>[2], alpha = 0.1): Diagonal {
  return buildRun(spec(fig1, diag(alpha), opt, 1)).stepper as Diagonal;
}

/** max over steps of ‖β_t − α_t² ⊙ sinh(ρ_t)‖ / ‖β_t‖, β_t = u ⊙ v from the state. */
function identityResidual(opt: Parameters<typeof spec>[2], steps: number): number {
  const dn = stepperOf(opt);
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    dn.step();
    const b = dn.beta();
    let num = 0, den = 0;
    for (let j = 0; j < dn.d; j++) {
      num += (b[j] - Math.exp(dn.lnA2[j]) * Math.sinh(dn.rho[j])) ** 2;
      den += b[j] ** 2;
    }
    worst = Math.max(worst, Math.sqrt(num / den));
  }
  return worst;
}

describe('β_t = α_t² ⊙ sinh(ρ_t) along a diagonal run (tracked ρ and α_t²)', () => {
  // measured ≤ 3e-13 on every run below (largest: SGD 0.2, GD 0.5); a wrong sign or factor in ρ or α_t² is off by O(γg)
  it('GD (γ = 0.2, 0.5), 3000 steps: ≤ 1e-9 relative at every step', () => {
    expect(identityResidual(gd(0.2), 3000)).toBeLessThan(1e-9);
    expect(identityResidual(gd(0.5), 3000)).toBeLessThan(1e-9);
  });
  it('SGD (batch 1, γ = 0.1, 0.2), 3000 steps: ≤ 1e-9 relative at every step', () => {
    expect(identityResidual(sgd(0.1, 1), 3000)).toBeLessThan(1e-9);
    expect(identityResidual(sgd(0.2, 1), 3000)).toBeLessThan(1e-9);
  });
  it('with weight decay and with label noise (ρ and α_t² in their general form)', () => {
    expect(identityResidual(gd(0.2, 0.01), 3000)).toBeLessThan(1e-9);
    expect(identityResidual(ln(0.05, 0.01, 5), 3000)).toBeLessThan(1e-9);
  });
  it('ρ steps: ln|(1 − x)/(1 + x)| on both sides of |x| = 1', () => {
    for (const x of [1e-9, 0.3, -0.7, 1.5, -3]) expect(rhoStep(x)).toBeCloseTo(Math.log(Math.abs((1 - x) / (1 + x))), 12);
  });
  it('a resumed run continues ρ and α_t² bit for bit (they are in the checkpoint)', async () => {
    const s = spec(fig1, diag(), sgd(0.1, 1), 400, 10);
    const whole = await runTraining(s);
    const half = await runTraining({ ...s, steps: 200 });
    const resumed = await runTraining(s, { resume: { ...half.checkpoint!, specKey: whole.checkpoint!.specKey } });
    expect(Array.from(resumed.checkpoint!.arrays.rho)).toEqual(Array.from(whole.checkpoint!.arrays.rho));
    expect(Array.from(resumed.checkpoint!.arrays.lnA2)).toEqual(Array.from(whole.checkpoint!.arrays.lnA2));
  });
});

/** Steps a run on the Fig. 1 setting to convergence and returns its end-of-run gaps. */
function convergedGaps(opt: Parameters<typeof spec>[2], steps: number): { gaps: Record<string, number>; loss: number } {
  const dn = stepperOf(opt);
  for (let t = 0; t < steps; t++) dn.step();
  return { gaps: dn.finalTheory(), loss: dn.loss() };
}

describe('where a diagonal run ends: exact, effective and flow predictions', () => {
  // measured at these step counts: loss ≤ 3e-25 and exact gap 7e-13 (GD 0.2), 1.5e-13 (GD 0.5),
  // 6e-13 (SGD 0.1); effective 2.2e-3, 0.21, 1.0e-2; flow 4.3e-3, 0.35, 1.2e-2
  const cases: [string, Parameters<typeof spec>[2], number][] = [
    ['GD, γ = 0.2', gd(0.2), 100_000],
    ['GD, γ = 0.5', gd(0.5), 60_000],
    ['SGD (batch 1), γ = 0.1', sgd(0.1, 1), 300_000],
  ];
  for (const [name, opt, steps] of cases) {
    it(`${name}: exact gap < 1e-8 at convergence, far below the effective one; effective ≤ flow`, () => {
      const { gaps, loss } = convergedGaps(opt, steps);
      expect(loss).toBeLessThan(1e-18);
      expect(gaps.bias_gap_exact).toBeLessThan(1e-8);
      // the approximation β̃₀ = 0 is visible: the exact prediction is the sharper one by far
      expect(gaps.bias_gap_effective).toBeGreaterThan(1e3 * gaps.bias_gap_exact);
      expect(gaps.bias_gap_effective).toBeLessThanOrEqual(gaps.bias_gap_flow);
    });
  }
  it('effective ≤ flow at a small GD stepsize too (γ = 0.05)', async () => {
    const o = await runTraining(spec(fig1, diag(), gd(0.05), 30_000, 10));
    expect(o.status).toBe('done');
    expect(o.theory.bias_gap_effective).toBeLessThanOrEqual(o.theory.bias_gap_flow);
  });
  it('only completed runs carry end-of-run entries, and a sliced shorter run drops them', async () => {
    const o = await runTraining(spec(fig1, diag(), gd(0.2), 500, 10));
    expect(Object.keys(o.theory).sort()).toEqual(['bias_gap_effective', 'bias_gap_exact', 'bias_gap_flow', 'lr_stability_limit']);
    expect(Object.keys(theoryAtStart(o.theory))).toEqual(['lr_stability_limit']);
    const diverged = await runTraining(spec(fig1, diag(), gd(5), 500, 10));
    expect(diverged.status).toBe('diverged');
    expect(diverged.theory.bias_gap_exact).toBeUndefined();
  });
});

// ---- the dual Newton solver against independent solvers ----

function randomProblem(n: number, d: number, seed: number, withTheta: boolean) {
  const r = Rng.stream(7, seed, 'data');
  const X = r.fillGauss(new Float64Array(n * d));
  const beta0 = Float64Array.from({ length: d }, (_, j) => (j < 2 ? 1 + j : 0));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) y[i] += X[i * d + j] * beta0[j];
  const lnA = Float64Array.from({ length: d }, () => Math.log(0.01) + 0.5 * r.gauss());
  const theta0 = withTheta ? Float64Array.from({ length: d }, () => 0.3 * r.gauss()) : null;
  return { X, y, n, d, lnA, theta0 };
}

/** Φ(β) = Σ a h(β/a) − ⟨θ₀, β⟩ and its gradient asinh(β/a) − θ₀. */
function primal(p: ReturnType<typeof randomProblem>, beta: Float64Array): { f: number; g: Float64Array } {
  let f = 0;
  const g = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) {
    const a = Math.exp(p.lnA[j]), x = beta[j] / a, t = p.theta0 ? p.theta0[j] : 0;
    f += a * (x * Math.asinh(x) - Math.sqrt(1 + x * x) + 1) - t * beta[j];
    g[j] = Math.asinh(x) - t;
  }
  return { f, g };
}

describe('hyperbolic-entropy dual solver (damped Newton)', () => {
  it('n = 1: equals bisection on the monotone 1-D dual Σ xⱼ aⱼ sinh(θ₀ⱼ + xⱼλ) = y', () => {
    for (const seed of [1, 2, 3]) {
      const p = randomProblem(1, 6, seed, seed !== 1);
      const s = solveHyperbolicDual(p)!;
      const f = (lam: number) => {
        let v = -p.y[0];
        for (let j = 0; j < p.d; j++) v += p.X[j] * Math.exp(p.lnA[j]) * Math.sinh((p.theta0?.[j] ?? 0) + p.X[j] * lam);
        return v;
      };
      let lo = -100, hi = 100;
      for (let it = 0; it < 200; it++) {
        const mid = 0.5 * (lo + hi);
        if (f(mid) > 0) hi = mid;
        else lo = mid;
      }
      expect(Math.abs(s.lambda[0] - 0.5 * (lo + hi))).toBeLessThan(1e-10 * Math.max(1, Math.abs(lo)));
    }
  });

  it('n = 3, d = 8: equals projected gradient descent on the primal over {Xβ = y}', () => {
    for (const seed of [4, 5]) {
      const p = randomProblem(3, 8, seed, seed === 5);
      const s = solveHyperbolicDual(p)!;
      expect(s.converged).toBe(true);
      // start from the least-norm interpolator, move along projected gradients (backtracking)
      let beta = (() => {
        const zero = new Float64Array(p.d);
        const lsq = solveHyperbolicDual({ ...p, lnA: new Float64Array(p.d).fill(Math.log(1e3)), theta0: null })!;
        return lsq ? lsq.beta : zero;
      })();
      let cur = primal(p, beta);
      for (let it = 0; it < 20000; it++) {
        const dir = nullSpacePart(p.X, p.n, p.d, cur.g)!;
        let dd = 0;
        for (const v of dir) dd += v * v;
        if (dd < 1e-30) break;
        let t = 1;
        for (; t > 1e-20; t *= 0.5) {
          const trial = beta.map((b, j) => b - t * dir[j]);
          const next = primal(p, trial);
          if (next.f <= cur.f - 0.3 * t * dd) {
            beta = trial;
            cur = next;
            break;
          }
        }
      }
      let num = 0, den = 0;
      for (let j = 0; j < p.d; j++) {
        num += (beta[j] - s.beta[j]) ** 2;
        den += s.beta[j] ** 2;
      }
      expect(Math.sqrt(num / den)).toBeLessThan(1e-7);
    }
  });

  it('KKT on the Fig. 1 data: Xβ̂ = y and asinh(β̂/a) − θ₀ in the row space of X, to 1e-10', () => {
    const dn = stepperOf(sgd(0.1, 1));
    for (let t = 0; t < 5000; t++) dn.step();
    const { X, Y, n } = dn.data;
    const d = dn.d;
    const theta0 = nullSpacePart(X, n, d, dn.rho)!;
    const s = solveHyperbolicDual({ X, y: Y, n, d, lnA: dn.lnA2, theta0 })!;
    expect(s.residual).toBeLessThan(1e-10);
    const stat = Float64Array.from({ length: d }, (_, j) => Math.asinh(s.beta[j] / Math.exp(dn.lnA2[j])) - theta0[j]);
    const off = nullSpacePart(X, n, d, stat)!;
    let o2 = 0, s2 = 0;
    for (let j = 0; j < d; j++) {
      o2 += off[j] ** 2;
      s2 += stat[j] ** 2;
    }
    expect(Math.sqrt(o2 / s2)).toBeLessThan(1e-10);
  });

  it('biasGaps is 0 for a state that is its own exact prediction, and positive for the others', () => {
    const p = randomProblem(4, 10, 9, false);
    const alpha = 0.1;
    const lnA2 = new Float64Array(p.d).fill(2 * Math.log(alpha) - 0.3);
    const rho = Float64Array.from({ length: p.d }, (_, j) => 0.2 * Math.sin(j));
    const target = solveHyperbolicDual({ ...p, lnA: lnA2, theta0: nullSpacePart(p.X, p.n, p.d, rho) })!;
    const g = biasGaps(p.X, p.y, p.n, p.d, target.beta, lnA2, rho, alpha)!;
    expect(g.exact).toBeLessThan(1e-12);
    expect(g.effective).toBeGreaterThan(1e-3);
    expect(g.flow).toBeGreaterThan(1e-3);
  });
});

describe("GD's stability limit at gradient flow's interpolator", () => {
  it('equals 2/λ_max of the full 2d×2d Hessian JᵀXᵀXJ at (u, v) with u² − v² = 2α², uv = β_α', () => {
    const dn = stepperOf(gd(0.1));
    const { X, Y, n } = dn.data;
    const d = dn.d, alpha = 0.1;
    const lim = flowStabilityLimit(X, Y, n, d, alpha);
    const beta = solveHyperbolicDual({ X, y: Y, n, d, lnA: new Float64Array(d).fill(2 * Math.log(alpha)), theta0: null })!.beta;
    // u² = α² + √(α⁴ + β²), v = β/u
    const u = beta.map((b) => Math.sqrt(alpha ** 2 + Math.hypot(alpha ** 2, b)));
    const v = beta.map((b, j) => b / u[j]);
    const XtX = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) XtX[a * d + b] += X[i * d + a] * X[i * d + b];
    // ∂β/∂(u, v) = [diag v | diag u]
    const J = (j: number, k: number) => (k < d ? (k === j ? v[j] : 0) : k - d === j ? u[j] : 0);
    const H = new Float64Array(4 * d * d);
    for (let k = 0; k < 2 * d; k++) for (let l = 0; l < 2 * d; l++) {
      const jk = k % d, jl = l % d;
      H[k * 2 * d + l] = J(jk, k) * XtX[jk * d + jl] * J(jl, l);
    }
    expect(Math.abs(lim - 2 / symLambdaMax(H, 2 * d))).toBeLessThan(1e-9 * lim);
    expect(dn.theory().lr_stability_limit).toBe(lim);
    // SGD: no such limit is claimed
    expect(stepperOf(sgd(0.1, 1)).theory().lr_stability_limit).toBeUndefined();
  });
});
