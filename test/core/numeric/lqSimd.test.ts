// A record's LQ of θᵀ in WebAssembly (kernels.wat lqApply, on a column-major copy) against the
// scalar lqRows, and Golub–Kahan's bidiagonalisation loops (gkLeft, gkRight) against the scalar
// svdValues: the same numbers, bit for bit, on every block remainder.
import { describe, expect, it } from 'vitest';
import { golubKahanSingularValues, lqFactor, lqRows, transpose } from '../../../src/core/numeric/linalg';
import { golubKahanValuesT } from '../../../src/core/numeric/svdValues';
import { Arena, simdAvailable } from '../../../src/core/numeric/wasm/simd';
import { Rng } from '../../../src/core/numeric/rng';
import { bitwiseDiff } from './helpers';

const rnd = (n: number, seed: number) => Rng.stream(seed, 0, 'data').fillGauss(new Float64Array(n));

function lqSimd(Theta: Float64Array, m: number, len: number, L: Float64Array): number {
  const ar = Arena.create([m * len])!;
  const W = ar.arrays[0];
  for (let i = 0; i < m; i++) for (let t = 0; t < len; t++) W[t * m + i] = Theta[i * len + t];
  return lqFactor(W, 1, m, m, len, L, (j, vtv) => ar.lqApply(W, m, len, j, vtv));
}

describe.runIf(simdAvailable())('LQ in WebAssembly (lqApply)', () => {
  it('gives lqRows’s log det and L bit for bit (8-, 2- and 1-row blocks; graded, dependent and non-finite rows)', () => {
    const cases: [Float64Array, number, number][] = [];
    for (const [m, len] of [[1, 1], [1, 5], [2, 3], [3, 3], [8, 8], [9, 13], [10, 11], [11, 20], [17, 40], [55, 100], [110, 200]]) cases.push([rnd(m * len, m * 1000 + len), m, len]);
    const G = rnd(20 * 30, 3);
    for (let i = 0; i < 20; i++) for (let t = 0; t < 30; t++) G[i * 30 + t] *= 10 ** (2 - 7 * i);
    cases.push([G, 20, 30]);
    const D = rnd(12 * 15, 4);
    for (let t = 0; t < 15; t++) D[7 * 15 + t] = 2 * D[2 * 15 + t];
    for (let t = 0; t < 15; t++) D[9 * 15 + t] = 0;
    cases.push([D, 12, 15]);
    const N = rnd(12 * 15, 5);
    N[100] = NaN;
    cases.push([N, 12, 15]);
    for (const [A, m, len] of cases) {
      const L1 = new Float64Array(m * m), L2 = new Float64Array(m * m);
      const d1 = lqRows(A, m, len, L1), d2 = lqSimd(A, m, len, L2);
      expect(bitwiseDiff([d2, Array.from(L2)], [d1, Array.from(L1)]), `${m}×${len}`).toBeNull();
    }
  });
});

describe.runIf(simdAvailable())('Golub–Kahan loops in WebAssembly (gkLeft, gkRight)', () => {
  it('give the scalar singular values bit for bit (square, tall, odd and even sizes; triangular, graded, rank-deficient)', () => {
    const cases: [Float64Array, number, number][] = [];
    for (const [m, n] of [[2, 2], [3, 3], [4, 3], [17, 17], [18, 17], [50, 50], [51, 20], [100, 100]]) cases.push([rnd(m * n, m * 100 + n), m, n]);
    const T = rnd(40 * 40, 6);
    for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) T[i * 40 + j] = 0;
    for (let i = 0; i < 40; i++) for (let j = 0; j <= i; j++) T[i * 40 + j] *= 10 ** (-3 * i);
    cases.push([T, 40, 40]);
    const D = rnd(30 * 20, 7);
    for (let i = 0; i < 30; i++) D[i * 20 + 5] = D[i * 20 + 2];
    cases.push([D, 30, 20]);
    for (const [A, m, n] of cases) {
      const ar = Arena.create([m * n, n, m])!;
      const [at, e, work] = ar.arrays;
      at.set(transpose(A, m, n));
      const got = Array.from(golubKahanValuesT(at, m, n, ar.gkKernels(at, e, work, m, n))).sort((a, b) => b - a);
      expect(bitwiseDiff(got, golubKahanSingularValues(A, m, n)), `${m}×${n}`).toBeNull();
    }
  });
});
