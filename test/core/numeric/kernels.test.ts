// The hand-written kernels against plain reference loops / ml-matrix.
import { describe, expect, it } from 'vitest';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { rowCombine, rowDots } from '../../../src/core/numeric/kernels';
import { jacobiSingularValues, singularValues } from '../../../src/core/numeric/linalg';
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
