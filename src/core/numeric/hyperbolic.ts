// The implicit bias of (S)GD on diagonal linear networks as convex problems (Even, Pesme,
// Gunasekar, Flammarion 2023; docs/theory.md §5.1–§5.3).
//
// Every prediction is the minimiser over the interpolators {β : Xβ = y} of
//   Φ(β) = Σⱼ aⱼ·h(βⱼ/aⱼ) − ⟨θ₀, β⟩,  h(x) = x·asinh(x) − √(1 + x²) + 1,
// which is 2·D_{ψ_a}(β, β̃₀) up to a constant when a = α², θ₀ = asinh(β̃₀/a) (ψ_a the hyperbolic
// entropy; ∇ψ_a(β) = ½ asinh(β/a)). h* (s) = cosh(s) − 1, so the dual is the smooth, strictly convex
// (X of full row rank), unconstrained problem in n variables
//   min_λ G(λ) = Σⱼ aⱼ cosh(θ₀ⱼ + (Xᵀλ)ⱼ) − ⟨y, λ⟩,
//   ∇G = Xβ(λ) − y,  ∇²G = X·diag(a ⊙ cosh(θ₀ + Xᵀλ))·Xᵀ,  β(λ) = a ⊙ sinh(θ₀ + Xᵀλ),
// and β(λ*) is the primal minimiser (strong duality: the constraints are affine and feasible).
// a is passed by its logarithm: a·cosh(z) = ½(e^{ln a + z} + e^{ln a − z}) neither overflows nor
// underflows when a = α∞² is tiny and z large (near the edge of stability Gain reaches hundreds).

import { cholesky } from './linalg';

export interface DualProblem {
  /** n×d, row-major */
  X: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
  /** ln aⱼ (a = α² for gradient flow, α∞² = α_t² for the effective and exact predictions) */
  lnA: Float64Array;
  /** θ₀ = asinh(β̃₀/a); null for 0 (β̃₀ = 0: the minimiser of ψ_a itself) */
  theta0: Float64Array | null;
}

export interface DualSolution {
  beta: Float64Array;
  lambda: Float64Array;
  iterations: number;
  /** ‖Xβ − y‖ / ‖y‖ at the returned point */
  residual: number;
  converged: boolean;
}

/** Solve L Lᵀ x = b in place (L lower, n×n row-major). */
function cholSolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

const norm = (v: Float64Array): number => {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
};

/**
 * Damped Newton on the dual G (backtracking, Armijo), from λ = 0, until ‖Xβ − y‖ ≤ tol·‖y‖.
 * null when X·diag(·)·Xᵀ is not positive definite (X not of full row rank, e.g. n ≥ d: then
 * there is no family of interpolators to choose from).
 */
export function solveHyperbolicDual(p: DualProblem, tol = 1e-12, maxIter = 200, start: Float64Array | null = null): DualSolution | null {
  const { X, y, n, d, lnA, theta0 } = p;
  const lambda = start ? Float64Array.from(start) : new Float64Array(n);
  const z = new Float64Array(d);
  const beta = new Float64Array(d);
  const w = new Float64Array(d);
  const ynorm = norm(y) || 1;
  // β(λ), w = a·cosh(z) and G(λ); `scale` bounds the rounding of G's terms
  const evaluate = (lam: Float64Array): { G: number; scale: number } => {
    let G = 0, scale = 0;
    for (let j = 0; j < d; j++) z[j] = theta0 ? theta0[j] : 0;
    for (let i = 0; i < n; i++) {
      const li = lam[i];
      if (li === 0) continue;
      const o = i * d;
      for (let j = 0; j < d; j++) z[j] += X[o + j] * li;
    }
    for (let j = 0; j < d; j++) {
      const ep = Math.exp(lnA[j] + z[j]), em = Math.exp(lnA[j] - z[j]);
      beta[j] = 0.5 * (ep - em);
      w[j] = 0.5 * (ep + em);
      G += w[j];
    }
    scale = G;
    for (let i = 0; i < n; i++) {
      G -= y[i] * lam[i];
      scale += Math.abs(y[i] * lam[i]);
    }
    return { G, scale };
  };
  const residualOf = (): Float64Array => {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = -y[i];
      const o = i * d;
      for (let j = 0; j < d; j++) s += X[o + j] * beta[j];
      r[i] = s;
    }
    return r;
  };
  let cur = evaluate(lambda);
  if (start && !Number.isFinite(cur.G)) {
    lambda.fill(0);
    cur = evaluate(lambda);
  }
  let r = residualOf();
  let it = 0;
  for (; it < maxIter; it++) {
    if (!(norm(r) > tol * ynorm)) break;
    // H = X diag(w) Xᵀ
    const H = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const oi = i * d;
      for (let k = 0; k <= i; k++) {
        const ok = k * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += X[oi + j] * w[j] * X[ok + j];
        H[i * n + k] = s;
        H[k * n + i] = s;
      }
    }
    const L = cholesky(H, n);
    if (!L) return null;
    const step = cholSolve(L, n, r);
    let dec = 0;
    for (let i = 0; i < n; i++) dec += r[i] * step[i];
    // backtracking; the slack of a few ulps of G's terms lets full steps through near the optimum,
    // where G's decrease is below its rounding
    const trial = new Float64Array(n);
    let t = 1;
    let next = cur;
    for (; t > 1e-12; t *= 0.5) {
      for (let i = 0; i < n; i++) trial[i] = lambda[i] - t * step[i];
      next = evaluate(trial);
      if (Number.isFinite(next.G) && next.G <= cur.G - 0.25 * t * dec + 8 * Number.EPSILON * Math.max(cur.scale, next.scale)) break;
    }
    if (!(t > 1e-12)) {
      evaluate(lambda); // no descent left: keep λ (β, w back at λ)
      break;
    }
    lambda.set(trial);
    cur = next;
    r = residualOf();
  }
  const residual = norm(r) / ynorm;
  return { beta: Float64Array.from(beta), lambda, iterations: it, residual, converged: residual <= tol };
}

/** asinh(β/a) from ln a, without overflow when a is tiny (asinh x = sign x·(ln 2|x| + O(x⁻²))). */
export function asinhOver(beta: number, lnA: number): number {
  if (beta === 0) return 0;
  const m = Math.log(Math.abs(beta)) - lnA;
  return m < 20 ? Math.asinh(Math.sign(beta) * Math.exp(m)) : Math.sign(beta) * (m + Math.LN2);
}

/** (XXᵀ)⁻¹Xv: the λ whose Xᵀλ is the row-space part of v (null when XXᵀ is singular). */
export function rowSpaceCoefficients(X: Float64Array, n: number, d: number, v: Float64Array): Float64Array | null {
  const G = new Float64Array(n * n);
  const Xv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * X[k * d + j];
      G[i * n + k] = s;
      G[k * n + i] = s;
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * v[j];
    Xv[i] = s;
  }
  const L = cholesky(G, n);
  return L ? cholSolve(L, n, Xv) : null;
}

/**
 * v⊥ = v − Xᵀ(XXᵀ)⁻¹Xv, the part of v in the null space of X (n×d, full row rank), with one step
 * of iterative refinement (the second pass removes what rounding left in the row space). null
 * when XXᵀ is singular.
 */
export function nullSpacePart(X: Float64Array, n: number, d: number, v: Float64Array): Float64Array | null {
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * X[k * d + j];
      G[i * n + k] = s;
      G[k * n + i] = s;
    }
  const L = cholesky(G, n);
  if (!L) return null;
  const out = Float64Array.from(v);
  for (let pass = 0; pass < 2; pass++) {
    const Xv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * out[j];
      Xv[i] = s;
    }
    const c = cholSolve(L, n, Xv);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] -= X[i * d + j] * c[i];
  }
  return out;
}

/** λ_max of X·diag(D)·Xᵀ (n×n) by the power method on a positive semi-definite matrix. */
function psdLambdaMax(X: Float64Array, n: number, d: number, D: Float64Array): number {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * D[j] * X[k * d + j];
      M[i * n + k] = s;
      M[k * n + i] = s;
    }
  // Rayleigh quotients from the all-ones start: monotone, converges to λ_max unless the start is
  // orthogonal to its eigenvector (then a second start)
  let best = 0;
  for (const start of [1, -1]) {
    let v = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : start) + i * 1e-3);
    let lam = 0;
    for (let it = 0; it < 2000; it++) {
      const Mv = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += M[i * n + k] * v[k];
        Mv[i] = s;
      }
      const nv = norm(Mv);
      if (!(nv > 0)) break;
      let rq = 0;
      for (let i = 0; i < n; i++) rq += v[i] * Mv[i];
      rq /= norm(v) ** 2;
      v = Mv.map((x) => x / nv);
      if (Math.abs(rq - lam) <= 1e-13 * Math.abs(rq)) {
        lam = rq;
        break;
      }
      lam = rq;
    }
    best = Math.max(best, lam);
  }
  return best;
}

/**
 * GD's stability limit at gradient flow's interpolator β_α = argmin ψ_α (docs/theory.md §7): at a
 * zero-residual point the Hessian of w = (u, v) ↦ L(u⊙v) is JᵀXᵀXJ, J = [diag v | diag u], whose
 * non-zero spectrum is that of X·diag(u² + v²)·Xᵀ; gradient flow keeps u² − v² = 2α², so there
 * u² + v² = 2√(β² + α⁴). NaN when the interpolator cannot be computed.
 */
export function flowStabilityLimit(X: Float64Array, y: Float64Array, n: number, d: number, alpha: number): number {
  const lnA = new Float64Array(d).fill(2 * Math.log(alpha));
  const sol = solveHyperbolicDual({ X, y, n, d, lnA, theta0: null });
  if (!sol || !sol.converged) return NaN;
  const a2 = alpha * alpha;
  const D = sol.beta.map((b) => 2 * Math.hypot(b, a2));
  const lam = psdLambdaMax(X, n, d, D);
  return lam > 0 ? 2 / lam : NaN;
}

export interface BiasGaps {
  exact: number;
  effective: number;
  flow: number;
}

/**
 * ‖β − β̂‖/‖β̂‖ for the three predictions of where a diagonal network's run ends (docs/theory.md
 * §5.2): exact, argmin D_{ψ_{α_t}}(·, β̃₀) with β̃₀ = α_t² ⊙ sinh(ρ⊥); effective, argmin ψ_{α_t}
 * (the paper's approximation, β̃₀ dropped); flow, argmin ψ_α (gradient flow from the same α).
 * lnA2 = ln α_t², ρ the tracked ρ_t. A prediction that does not solve to 1e-10 is NaN.
 */
export function biasGaps(X: Float64Array, y: Float64Array, n: number, d: number, beta: Float64Array, lnA2: Float64Array, rho: Float64Array, alpha: number): BiasGaps | null {
  if (!(n < d)) return null;
  const rhoPerp = nullSpacePart(X, n, d, rho);
  if (!rhoPerp) return null;
  const gap = (lnA: Float64Array, theta0: Float64Array | null): number => {
    // warm start: the λ whose β(λ) is nearest the run's β in the dual coordinates, i.e. Xᵀλ the
    // row-space part of asinh(β/a) − θ₀ (for the exact problem at convergence, the solution
    // itself). From λ = 0 a tiny α∞ (Gain in the hundreds near the edge of stability) would
    // need hundreds of damped steps, each raising z = Xᵀλ by O(1).
    const target = Float64Array.from({ length: d }, (_, j) => asinhOver(beta[j], lnA[j]) - (theta0 ? theta0[j] : 0));
    const start = rowSpaceCoefficients(X, n, d, target);
    const s = solveHyperbolicDual({ X, y, n, d, lnA, theta0 }, 1e-12, 200, start);
    if (!s || !(s.residual <= 1e-10)) return NaN;
    let num = 0, den = 0;
    for (let j = 0; j < d; j++) {
      num += (beta[j] - s.beta[j]) ** 2;
      den += s.beta[j] ** 2;
    }
    return Math.sqrt(num / den);
  };
  return {
    exact: gap(lnA2, rhoPerp),
    effective: gap(lnA2, null),
    flow: gap(new Float64Array(d).fill(2 * Math.log(alpha)), null),
  };
}
