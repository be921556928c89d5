// The typed-array Golub–Kahan (svdValues.ts) against ml-matrix's SVD, of which it is a port:
// the same bits on every shape, and the small singular values of graded matrices (the collapse
// of σ(W1) under label noise) to high relative accuracy through the record's path (LQ, then L11).
import { describe, expect, it } from 'vitest';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { golubKahanSingularValues, jacobiSingularValues, lqRows, singularValues } from '../../../src/core/numeric/linalg';
import { Rng } from '../../../src/core/numeric/rng';
import { bitwiseDiff } from './helpers';

const rnd = (n: number, seed: number) => Rng.stream(seed, 0, 'data').fillGauss(new Float64Array(n));

function mlValues(A: Float64Array, rows: number, cols: number): number[] {
  const tall = rows >= cols;
  const M = new Matrix(tall ? rows : cols, tall ? cols : rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) tall ? M.set(i, j, A[i * cols + j]) : M.set(j, i, A[i * cols + j]);
  const svd = new SingularValueDecomposition(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: false });
  return Array.from(svd.diagonal).sort((a, b) => b - a);
}

/** p×l with orthonormal rows (Gram–Schmidt twice on Gaussian rows) */
function orthoRows(p: number, l: number, seed: number): Float64Array {
  const Q = rnd(p * l, seed);
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let t = 0; t < l; t++) d += Q[i * l + t] * Q[j * l + t];
        for (let t = 0; t < l; t++) Q[i * l + t] -= d * Q[j * l + t];
      }
      let n = 0;
      for (let t = 0; t < l; t++) n += Q[i * l + t] ** 2;
      n = Math.sqrt(n);
      for (let t = 0; t < l; t++) Q[i * l + t] /= n;
    }
  return Q;
}

describe('Golub–Kahan singular values (typed-array port of ml-matrix)', () => {
  it('gives ml-matrix’s values bit for bit: tall, wide, square, triangular, rank-deficient, graded, non-finite', () => {
    const cases: [Float64Array, number, number][] = [];
    for (const [r, c] of [[17, 17], [20, 35], [35, 20], [50, 50], [50, 100], [61, 23], [18, 2], [2, 18]]) cases.push([rnd(r * c, r * 1000 + c), r, c]);
    // lower triangular (the record's L11), rank-deficient, zero column, graded rows, NaN, ∞
    const T = rnd(50 * 50, 7);
    for (let i = 0; i < 50; i++) for (let j = i + 1; j < 50; j++) T[i * 50 + j] = 0;
    cases.push([T, 50, 50]);
    const D = rnd(30 * 20, 8);
    for (let t = 0; t < 20; t++) D[5 * 20 + t] = D[3 * 20 + t];
    for (let i = 0; i < 30; i++) D[i * 20 + 4] = 0;
    cases.push([D, 30, 20]);
    const G = rnd(40 * 60, 9);
    for (let i = 0; i < 40; i++) for (let t = 0; t < 60; t++) G[i * 60 + t] *= 10 ** (2 - 5 * i);
    cases.push([G, 40, 60]);
    const N = rnd(20 * 20, 10);
    N[37] = NaN;
    cases.push([N, 20, 20]);
    const I = rnd(20 * 20, 11);
    I[5] = Infinity;
    cases.push([I, 20, 20]);
    for (const [A, r, c] of cases) expect(bitwiseDiff(golubKahanSingularValues(A, r, c), mlValues(A, r, c)), `${r}×${c}`).toBeNull();
  });

  // Golub–Kahan is backward stable: each computed σᵢ is exact for a matrix within ≈ ε‖A‖₂ of A,
  // so (Weyl) |σ̂ᵢ − σᵢ| ≤ c(p)·ε·σ₁ with c(p) a modest polynomial (LAPACK's error bound for the
  // bidiagonal QR route is p(m, n)·ε·σ₁), the LQ's own backward error ≈ ε‖W‖ adding to it. It does
  // not give relative accuracy for the small σᵢ of a graded matrix: bidiagonalisation mixes rows, and
  // whether the small values survive depends on the draw (seeds 1–12 at p ∈ {17, 20, 30, 50, 100}:
  // 65 of 72 cases had every σᵢ to relative 1e-12, the rest lost up to all digits below ~1e-20·σ₁,
  // e.g. 0.2 at σ = 1e-22, p = 20, seed 2). So this asserts the absolute bound with c = p: measured
  // max |σ̂ᵢ − σᵢ|/(ε·σ₁·p) = 0.096 over those 72 cases (10× margin); relative accuracy of graded
  // values is one-sided Jacobi's (the next test), which is what linear2 records with for p ≤ 16.
  // The L11 of a graded W is nearly diagonal, so faults in the QR sweeps that scale with the local
  // entries barely move these values: the bit-for-bit comparison with ml-matrix is what catches them.
  it('keeps known singular values from 1e-150 to 1e2 to absolute ε·σ₁·p (W1 = diag(σ)·Q, via LQ and L11), the same bits as ml-matrix', () => {
    for (const [p, l, seed] of [[50, 100, 1], [20, 40, 2], [100, 200, 3], [17, 34, 4], [30, 60, 5]] as const) {
      const sigma = Array.from({ length: p }, (_, i) => 10 ** (2 - (152 * i) / (p - 1)));
      // rows graded in the elimination order (large first), as the LQ's L11 of a collapsing W1 is
      const Q = orthoRows(p, l, seed);
      const W = new Float64Array(p * l);
      for (let i = 0; i < p; i++) for (let t = 0; t < l; t++) W[i * l + t] = sigma[i] * Q[i * l + t];
      const L = new Float64Array(p * p);
      lqRows(W, p, l, L);
      const got = singularValues(L, p, p);
      expect(bitwiseDiff(got, mlValues(L, p, p)), `p=${p}`).toBeNull();
      const tol = Number.EPSILON * sigma[0] * p;
      for (let i = 0; i < p; i++) expect(Math.abs(got[i] - sigma[i]), `σ_${i} = ${sigma[i]} (p=${p})`).toBeLessThanOrEqual(tol);
      // the large values, where the absolute bound is a relative one: ε·σ₁·p/σᵢ ≤ 1e-12 for σᵢ ≥ 1e-3·σ₁ at p ≤ 100
      for (let i = 0; i < p && sigma[i] >= 1e-3 * sigma[0]; i++) expect(Math.abs(got[i] - sigma[i]) / sigma[i]).toBeLessThan(1e-12);
    }
  });

  // linear2 records σ(W1) of ≤ 16 rows by Jacobi on L11: rows in any order keep their accuracy
  it('one-sided Jacobi on the LQ block L11 keeps known singular values 1e-150…1e2 to relative 1e-12, rows in random order', () => {
    for (const [p, l, seed] of [[10, 20, 4], [16, 33, 5], [5, 10, 6]] as const) {
      const sigma = Array.from({ length: p }, (_, i) => 10 ** (2 - (152 * i) / (p - 1)));
      const u = rnd(p, seed + 50);
      const order = Array.from({ length: p }, (_, i) => i).sort((a, b) => u[a] - u[b]);
      const Q = orthoRows(p, l, seed);
      const W = new Float64Array(p * l);
      for (let i = 0; i < p; i++) for (let t = 0; t < l; t++) W[i * l + t] = sigma[order[i]] * Q[i * l + t];
      const L = new Float64Array(p * p);
      lqRows(W, p, l, L);
      const got = jacobiSingularValues(L, p, p);
      for (let i = 0; i < p; i++) expect(Math.abs(got[i] - sigma[i]) / sigma[i], `σ_${i} = ${sigma[i]} (p=${p})`).toBeLessThan(1e-12);
    }
  });
});
