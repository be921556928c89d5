// linear2's full-batch Cholesky label noise from p = 16 (the triangular kernels: SIMD gemm with
// tri, lowerDotsAdd): M = η(XᵀY − XᵀX·P + √δ·C·z) with C the Cholesky factor of XᵀX, checked
// against that formula written out (the draws z taken from a copy of the stream) on both kernel
// paths, and the exact determinant identity of a step θ(I + A) (docs/theory.md §3) on that path.
// (Written for R = XᵀY − C(CᵀP − √δz), two triangular products, measured and not kept: the
// same formula, so it checks either form.)
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { cholesky, singularValues } from '../../../src/core/numeric/linalg';
import type { RegressionData } from '../../../src/core/numeric/data';
import type { Linear2 } from '../../../src/core/numeric/linear2';
import { Rng } from '../../../src/core/numeric/rng';
import { linear2, ln, spec, teacher } from './helpers';

describe('Cholesky label noise, p ≥ 16', () => {
  for (const simd of [true, false])
    for (const [n, p, l, k] of [[60, 16, 9, 3], [80, 21, 30, 2], [90, 33, 12, 1]])
      it(`M = η(XᵀY − XᵀX·P + √δ·C·z), the draws of the stream (n ${n}, p ${p}, l ${l}, k ${k}, SIMD ${simd})`, () => {
        const eta = 0.02, delta = 0.7;
        let M: Float64Array | null = null;
        const { stepper, data: d } = buildRun(spec(teacher(n, p, k), linear2(l, 0.3), ln(eta, delta), 5, 5), { simd, noiseMode: 'cholesky', onM: (m) => (M = m) });
        const lin = stepper as Linear2, data = d as RegressionData;
        expect(lin.kernels).toBe(simd ? 'simd' : 'scalar');
        const C = cholesky(data.XtX, p)!;
        for (let s = 0; s < 3; s++) {
          const P = lin.product();
          const z = Rng.fromState(lin.rng.getState()).fillGauss(new Float64Array(k * p)); // z[c·p + j]
          lin.step();
          let worst = 0, norm = 0;
          for (let i = 0; i < p; i++)
            for (let c = 0; c < k; c++) {
              let r = data.XtY[i * k + c];
              for (let j = 0; j < p; j++) r -= data.XtX[i * p + j] * P[j * k + c];
              let cz = 0;
              for (let j = 0; j <= i; j++) cz += C[i * p + j] * z[c * p + j];
              const want = eta * (r + Math.sqrt(delta) * cz);
              worst = Math.max(worst, Math.abs(M![i * k + c] - want));
              norm = Math.max(norm, Math.abs(want));
            }
          expect(worst / norm, `step ${s}`).toBeLessThan(1e-12);
        }
      });

  it('the determinant identity of each step holds on that path (p = 20, 300 steps, relative 1e-10)', () => {
    // log det(θ'ᵀθ') − log det(θᵀθ) = 2Σᵢ log|1 − sᵢ(M)²| for θ' = θ(I + A) (docs/theory.md §3)
    let M: Float64Array | null = null;
    const { stepper } = buildRun(spec(teacher(100, 20, 2), linear2(25, 0.5), ln(0.01, 1), 300, 300), { noiseMode: 'cholesky', onM: (m) => (M = m) });
    const lin = stepper as Linear2;
    let prev = lin.logdet(), worst = 0;
    for (let t = 0; t < 300; t++) {
      stepper.step();
      const now = lin.logdet();
      let pred = 0;
      for (const x of singularValues(M!, lin.p, lin.k)) pred += 2 * Math.log(Math.abs(1 - x * x));
      worst = Math.max(worst, Math.abs(Math.expm1(now - prev - pred)));
      prev = now;
    }
    expect(worst).toBeLessThan(1e-10);
  });
});
