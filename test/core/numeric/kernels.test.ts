// The hand-written kernels against plain reference loops / ml-matrix.
import { describe, expect, it } from 'vitest';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { lowerDotsAdd, rowCombine, rowDots } from '../../../src/core/numeric/kernels';
import { jacobiSingularValues, logdetGramRows, lqRows, singularValues } from '../../../src/core/numeric/linalg';
import { Rng } from '../../../src/core/numeric/rng';

const rnd = (n: number, seed: number) => Rng.stream(seed, 0, 'data').fillGauss(new Float64Array(n));

describe('register-blocked kernels', () => {
  // every remainder path: sizes 1..7 in both blocked dimensions
  it('rowDots equals plain dot products (relative 1e-14)', () => {
    for (let na = 1; na <= 5; na++)
      for (let nb = 1; nb <= 7; nb++) {
        const len = 9;
        const A = rnd(3 + na * len, na), B = rnd(2 + nb * len, nb + 10);
        const out = new Float64Array(na * (nb + 1)).fill(NaN);
        rowDots(A, 3, na, B, 2, nb, len, out, nb + 1);
        for (let a = 0; a < na; a++)
          for (let b = 0; b < nb; b++) {
            let s = 0;
            for (let q = 0; q < len; q++) s += A[3 + a * len + q] * B[2 + b * len + q];
            expect(Math.abs(out[a * (nb + 1) + b] - s)).toBeLessThan(1e-14 * len * 10);
          }
      }
  });
  it('rowCombine equals d·in + Σ C·src (relative 1e-14)', () => {
    for (let nr = 1; nr <= 5; nr++)
      for (let ns = 1; ns <= 7; ns++) {
        const len = 6;
        const inp = rnd(nr * len, 1), src = rnd(ns * len, 2), C = rnd(nr * ns * 2, 3);
        const out = new Float64Array(nr * len);
        rowCombine(out, 0, inp, 0, nr, 0.9, C, 2 * ns, 2, src, 0, ns, len);
        for (let r = 0; r < nr; r++)
          for (let q = 0; q < len; q++) {
            let s = 0.9 * inp[r * len + q];
            for (let t = 0; t < ns; t++) s += C[r * 2 * ns + t * 2] * src[t * len + q];
            expect(Math.abs(out[r * len + q] - s)).toBeLessThan(1e-13);
          }
      }
  });
});

describe('lower-triangular noise kernel and LQ factor', () => {
  it('lowerDotsAdd adds f·⟨Z row c, L row i⟩ over j ≤ i (every remainder path)', () => {
    for (let p = 1; p <= 9; p++)
      for (let nz = 1; nz <= 3; nz++) {
        const L = rnd(p * p, p);
        for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) L[i * p + j] = 0;
        const Z = rnd(nz * p, 7), out = rnd(nz * p, 8), ref = Float64Array.from(out);
        lowerDotsAdd(Z, nz, L, p, 0.7, out);
        for (let c = 0; c < nz; c++)
          for (let i = 0; i < p; i++) {
            let s = 0;
            for (let j = 0; j <= i; j++) s += Z[c * p + j] * L[i * p + j];
            expect(Math.abs(out[c * p + i] - (ref[c * p + i] + 0.7 * s))).toBeLessThan(1e-13);
          }
      }
  });
  it('lqRows: same log det as logdetGramRows, L·Lᵀ = ΘΘᵀ, σ of the leading block = σ of the leading rows', () => {
    for (const [m, len] of [[1, 3], [5, 5], [7, 12], [24, 40]]) {
      const A = rnd(m * len, m + len);
      const L = new Float64Array(m * m);
      expect(lqRows(A, m, len, L)).toBe(logdetGramRows(A, m, len));
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let g = 0, h = 0;
          for (let t = 0; t < len; t++) g += A[i * len + t] * A[j * len + t];
          for (let t = 0; t < m; t++) h += L[i * m + t] * L[j * m + t];
          expect(Math.abs(g - h)).toBeLessThan(1e-12 * len);
          if (j > i) expect(L[i * m + j]).toBe(0);
        }
      const r = Math.ceil(m / 2), L11 = new Float64Array(r * r);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) L11[i * r + j] = L[i * m + j];
      const a = singularValues(L11, r, r), b = singularValues(A, r, len);
      for (let i = 0; i < r; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-13 * b[0]);
    }
  });
});

describe('singular values', () => {
  it('one-sided Jacobi agrees with ml-matrix (to 1e-13·σ₁) on random matrices', () => {
    for (const [m, len] of [[2, 2], [3, 7], [10, 20], [16, 16]]) {
      const A = rnd(m * len, m * 100 + len);
      const j = jacobiSingularValues(A, m, len);
      const M = new Matrix(len, m);
      for (let i = 0; i < m; i++) for (let t = 0; t < len; t++) M.set(t, i, A[i * len + t]);
      const ref = Array.from(new SingularValueDecomposition(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal).sort((a, b) => b - a);
      for (let i = 0; i < m; i++) expect(Math.abs(j[i] - ref[i])).toBeLessThan(1e-13 * ref[0]);
    }
  });
  it('tall, wide, vector and large inputs all work', () => {
    const A = rnd(30 * 20, 5);
    const a = singularValues(A, 30, 20), b = singularValues(A, 20, 30);
    expect(a.length).toBe(20);
    expect(b.length).toBe(20);
    expect(singularValues(new Float64Array([3, 4]), 1, 2)).toEqual([5]);
    // diag(1, 1e-12) rotated: Jacobi keeps the small one to high relative accuracy
    const c = Math.cos(0.3), s = Math.sin(0.3);
    const R = new Float64Array([c * 1, -s * 1e-12, s * 1, c * 1e-12]);
    const sv = singularValues(R, 2, 2);
    expect(Math.abs(sv[1] / 1e-12 - 1)).toBeLessThan(1e-6);
  });
});
