// A linear2 record's numbers through the WebAssembly path (kernels.wat gkValues: Golub–Kahan's
// hypotenuse loops and QR sweeps; lqApply on a copy) against the scalar reference, bit for bit:
// gkValues against svdValues.ts golubKahanValuesT on every size 1…60 and on rank-deficient,
// graded and tiny-σ matrices; descending() against the sort it skips; whole records with the
// SIMD kernels on and off; the Gram-form losses against their one-sum-at-a-time loop; lqRows
// against its first, one-max-at-a-time form.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { Linear2 } from '../../../src/core/numeric/linear2';
import { lqRows, matmulTN, transpose } from '../../../src/core/numeric/linalg';
import { descending, golubKahanValuesT } from '../../../src/core/numeric/svdValues';
import { Arena, simdAvailable } from '../../../src/core/numeric/wasm/simd';
import { Rng } from '../../../src/core/numeric/rng';
import { bitwiseDiff, ln, spec, teacher } from './helpers';

const rnd = (n: number, seed: number) => Rng.stream(seed, 0, 'data').fillGauss(new Float64Array(n));

/** gkValues on a copy of at (n×m) and the JS reference on another: [wasm, js] (unsorted s) */
function both(at: Float64Array, m: number, n: number): [number[], number[]] {
  const ar = Arena.create([m * n, Math.min(m + 1, n), n, m])!;
  const [a, s, e, work] = ar.arrays;
  a.set(at);
  return [Array.from(ar.gkValues(a, s, e, work, m, n)), Array.from(golubKahanValuesT(at.slice(), m, n))];
}

describe.runIf(simdAvailable())('Golub–Kahan values in WebAssembly (gkValues)', () => {
  it('gives golubKahanValuesT’s values bit for bit, in its order, for every n ≤ 60 (m = n, n + 1, n + 7)', () => {
    for (let n = 1; n <= 60; n++)
      for (const m of [n, n + 1, n + 7]) {
        const [w, j] = both(rnd(m * n, 1000 * n + m), m, n);
        expect(bitwiseDiff(w, j), `${m}×${n}`).toBeNull();
      }
  });

  it('and on rank-deficient, zero, graded, triangular and non-finite matrices', () => {
    const cases: [Float64Array, number, number, string][] = [];
    // duplicate and zero columns (rows of at)
    const D = rnd(40 * 25, 3);
    for (let i = 0; i < 40; i++) D[7 * 40 + i] = D[2 * 40 + i];
    for (let i = 0; i < 40; i++) D[11 * 40 + i] = 0;
    cases.push([D, 40, 25, 'rank-deficient']);
    // rank 3 (outer products), and all zero
    const R = new Float64Array(30 * 30);
    const u = rnd(90, 4), v = rnd(90, 5);
    for (let j = 0; j < 30; j++) for (let i = 0; i < 30; i++) for (let r = 0; r < 3; r++) R[j * 30 + i] += u[r * 30 + i] * v[r * 30 + j];
    cases.push([R, 30, 30, 'rank 3'], [new Float64Array(20 * 20), 20, 20, 'zero']);
    // graded columns 1 … 1e-150 and the record's lower-triangular L11 of a collapsing W1
    for (const n of [17, 50, 60]) {
      const G = rnd(n * n, 6 + n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) G[j * n + i] *= 10 ** ((-150 * j) / (n - 1));
      cases.push([G, n, n, `graded ${n}`]);
      const l = 2 * n;
      const W = rnd(n * l, 9 + n);
      for (let i = 0; i < n; i++) for (let t = 0; t < l; t++) W[i * l + t] *= 10 ** (2 - (152 * i) / (n - 1));
      const L = new Float64Array(n * n);
      lqRows(W, n, l, L);
      cases.push([transpose(L, n, n), n, n, `L11 of graded W1, ${n}`]);
    }
    const N = rnd(20 * 20, 12);
    N[45] = NaN;
    const I = rnd(20 * 18, 13);
    I[7] = -Infinity;
    cases.push([N, 20, 20, 'NaN'], [I, 20, 18, '−∞']);
    for (const [at, m, n, name] of cases) {
      const [w, j] = both(at, m, n);
      expect(bitwiseDiff(w, j), name).toBeNull();
    }
  });
});

/** lqRows as first written: the reflector's scale one max at a time, rows reflected one by one */
function lqRowsReference(Theta: Float64Array, m: number, len: number, L: Float64Array): number {
  const W = Theta.slice(0, m * len);
  L.fill(0);
  let logdet = 0;
  for (let j = 0; j < m; j++) {
    const rj = j * len;
    let scale = 0;
    for (let t = j; t < len; t++) scale = Math.max(scale, Math.abs(W[rj + t]));
    if (!(scale > 0)) {
      if (scale === 0) {
        for (let i = j; i < m; i++) L[i * m + j] = W[i * len + j];
        L[j * m + j] = 0;
        logdet = -Infinity;
        continue;
      }
      return NaN;
    }
    let norm2 = 0;
    for (let t = j; t < len; t++) {
      const x = W[rj + t] / scale;
      norm2 += x * x;
    }
    const norm = scale * Math.sqrt(norm2);
    const x0 = W[rj + j];
    const alpha = x0 >= 0 ? -norm : norm;
    logdet += 2 * Math.log(Math.abs(alpha));
    W[rj + j] = x0 - alpha;
    const vtv = 2 * (norm * norm - x0 * alpha);
    if (vtv !== 0)
      for (let i = j + 1; i < m; i++) {
        let s = 0;
        for (let t = j; t < len; t++) s += W[rj + t] * W[i * len + t];
        const f = (2 * s) / vtv;
        for (let t = j; t < len; t++) W[i * len + t] -= f * W[rj + t];
      }
    L[j * m + j] = alpha;
    for (let i = j + 1; i < m; i++) L[i * m + j] = W[i * len + j];
  }
  return logdet;
}

describe('lqRows', () => {
  it('gives the one-max-at-a-time, one-row-at-a-time factor bit for bit (random, graded, heavy-tailed rows)', () => {
    for (const [m, len, seed] of [[5, 9, 1], [13, 40, 2], [55, 100, 3], [31, 33, 4]]) {
      const A = rnd(m * len, seed);
      // a few large entries at every offset mod 4 (where the running maxima split the row)
      for (let t = 0; t < A.length; t += 7) A[t] *= 1 + (t % 13);
      const G = A.map((x, t) => x * 10 ** (-3 * Math.floor(t / len)));
      for (const X of [A, G]) {
        const L1 = new Float64Array(m * m), L2 = new Float64Array(m * m);
        const d1 = lqRows(X, m, len, L1), d2 = lqRowsReference(X, m, len, L2);
        expect(bitwiseDiff([d1, Array.from(L1)], [d2, Array.from(L2)]), `${m}×${len}`).toBeNull();
      }
    }
  });
});

describe('descending', () => {
  it('equals Array.from(s).sort((a, b) => b − a) on sorted, unsorted, tied, zero and non-finite input', () => {
    const cases = [[], [1], [3, 2, 2, 1, 0], [3, 0, 0, -0], [0, -0, 0], [1, 2], [5, 4, 6, 1], [2, NaN, 1], [Infinity, 1, 0], [1, Infinity], [3, 2, -1, -1]];
    for (const c of cases) expect(bitwiseDiff(descending(Float64Array.from(c)), Array.from(Float64Array.from(c)).sort((a, b) => b - a)), String(c)).toBeNull();
  });
});

// sizes on every branch of metrics(): l ≥ p + k (σ(W1) from the log det's LQ), p ≤ l < p + k
// (an LQ of W1 alone), l > p + k (the factor also serves the imbalance), p > l (no LQ), p ≤ 16
// (Jacobi on L11), k = 1…6 (the loss's four-column blocks and their remainders)
const sizes: [number, number, number, number][] = [[200, 50, 100, 5], [60, 20, 23, 3], [60, 20, 21, 4], [80, 30, 40, 6], [50, 17, 40, 1], [40, 24, 20, 2], [30, 12, 20, 4]];

function records(n: number, p: number, l: number, k: number, simd: boolean): Record<string, unknown>[] {
  const s = spec(teacher(n, p, k, { noise: 0.1, test: 3 * p }), { kind: 'linear2', width: l, init: { kind: 'gaussian', scale: 0.3 }, seed: 0 }, ln(0.05, 1), 1, 1);
  const model = buildRun(s, { simd }).stepper as unknown as Linear2;
  expect(model.kernels).toBe(simd && simdAvailable() ? 'simd' : 'scalar');
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < 6; r++) {
    for (let i = 0; i < 25; i++) model.step();
    out.push(model.metrics());
  }
  return out;
}

describe('linear2 records', () => {
  it.runIf(simdAvailable())('are the same bits with the SIMD kernels on and off', () => {
    for (const [n, p, l, k] of sizes) expect(bitwiseDiff(records(n, p, l, k, true), records(n, p, l, k, false)), `(${n},${p},${l},${k})`).toBeNull();
  });

  it('record the Gram-form losses of the one-sum-at-a-time loop', () => {
    // ½(‖Y‖² − 2⟨P, XᵀY⟩ + ⟨P, XᵀXP⟩), each (XᵀXP)[i, c] summed over j alone, terms in order (i, c)
    const gramLoss = (XtX: Float64Array, XtY: Float64Array, yy: number, P: Float64Array, p: number, k: number) => {
      let py = 0, pg = 0;
      for (let i = 0; i < p; i++)
        for (let c = 0; c < k; c++) {
          py += P[i * k + c] * XtY[i * k + c];
          let s = 0;
          for (let j = 0; j < p; j++) s += XtX[i * p + j] * P[j * k + c];
          pg += P[i * k + c] * s;
        }
      return 0.5 * (yy - 2 * py + pg);
    };
    let checked = 0;
    for (const simd of [true, false])
      for (const [n, p, l, k] of sizes) {
        const s = spec(teacher(n, p, k, { noise: 0.1, test: 3 * p }), { kind: 'linear2', width: l, init: { kind: 'gaussian', scale: 0.3 }, seed: 0 }, ln(0.05, 1), 1, 1);
        const model = buildRun(s, { simd }).stepper as unknown as Linear2;
        const d = (model as unknown as { data: { X: Float64Array; Y: Float64Array; Xtest: Float64Array; Ytest: Float64Array; ntest: number; XtX: Float64Array; XtY: Float64Array; yy: number } }).data;
        const tXtX = matmulTN(d.Xtest, d.Xtest, d.ntest, p, p), tXtY = matmulTN(d.Xtest, d.Ytest, d.ntest, p, k);
        let tyy = 0;
        for (const y of d.Ytest) tyy += y * y;
        for (let r = 0; r < 4; r++) {
          for (let i = 0; i < 25; i++) model.step();
          const m = model.metrics();
          const P = model.product();
          const train = gramLoss(d.XtX, d.XtY, d.yy, P, p, k), test = gramLoss(tXtX, tXtY, tyy, P, p, k);
          // (the recorded loss is the direct sum when the Gram form cancels: both checked where it does not)
          if (train > 1e-4 * d.yy) expect(Object.is(m.loss, train), `loss (${n},${p},${l},${k}) simd ${simd}`).toBe(true);
          if (test > 1e-4 * tyy) expect(Object.is(m.test_loss, test), `test_loss (${n},${p},${l},${k}) simd ${simd}`).toBe(true);
          checked += Number(train > 1e-4 * d.yy) + Number(test > 1e-4 * tyy);
        }
      }
    expect(checked).toBeGreaterThan(sizes.length * 2 * 4);
  });
});
