// linear2's imbalance ‖W1ᵀW1 − W2W2ᵀ‖_F: the row-space form (O(l·(p+k)²)) that replaces the
// entrywise l×l form where the cheap form cancels or overflows, checked against the definition.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { imbalanceDirect, imbalanceRowSpace } from '../../../src/core/numeric/imbalance';
import type { Linear2 } from '../../../src/core/numeric/linear2';
import { Rng } from '../../../src/core/numeric/rng';
import { gd, linear2, spec, teacher } from './helpers';

/** a random θᵀ (rows: W1's p rows, then W2's k columns), l wide */
function randomT(rng: Rng, p: number, k: number, l: number, scale = 1): Float64Array {
  return Float64Array.from({ length: (p + k) * l }, () => scale * rng.gauss());
}

/** nearly balanced: W1's first k rows an orthogonal mix of W2's rows (Δ unchanged by the mix), the
 *  rest of W1 and a perturbation of size eps: ‖Δ‖ ≈ eps² ≪ ‖W1ᵀW1‖ (the cheap form cancels) */
function balancedT(rng: Rng, p: number, k: number, l: number, eps: number): Float64Array {
  const T = new Float64Array((p + k) * l);
  for (let t = p * l; t < (p + k) * l; t++) T[t] = rng.gauss();
  const angle = rng.uniform() * Math.PI;
  for (let u = 0; u < l; u++) {
    // a rotation of W2's first two rows (or the row itself when k = 1)
    const x = T[p * l + u], y = k > 1 ? T[(p + 1) * l + u] : 0;
    T[u] = k > 1 ? Math.cos(angle) * x - Math.sin(angle) * y : x;
    if (k > 1) T[l + u] = Math.sin(angle) * x + Math.cos(angle) * y;
    for (let c = 2; c < k; c++) T[c * l + u] = T[(p + c) * l + u];
    for (let i = k; i < p; i++) T[i * l + u] = eps * rng.gauss();
  }
  return T;
}

const sumSq = (T: Float64Array) => T.reduce((s, x) => s + x * x, 0);

describe('linear2 imbalance in the row space', () => {
  const rng = Rng.stream(7, 0, 'noise');
  const shapes: [number, number, number][] = [[3, 1, 10], [4, 2, 9], [5, 3, 40], [2, 2, 5], [6, 1, 7], [3, 2, 4], [1, 1, 3]];

  it('equals the entrywise definition on random states (to rounding: ε·‖θ‖²)', () => {
    for (const [p, k, l] of shapes)
      for (const scale of [1, 1e-3, 1e3]) {
        const T = randomT(rng, p, k, l, scale);
        const want = imbalanceDirect(T, p, k, l);
        expect(Math.abs(imbalanceRowSpace(T, p, k, l) - want), `${p} ${k} ${l}`).toBeLessThanOrEqual(1e-13 * (p + k) * sumSq(T));
        expect(Math.abs(imbalanceRowSpace(T, p, k, l) - want) / want).toBeLessThan(1e-10);
      }
  });

  it('equals it on nearly balanced states, where the cheap form cancels', () => {
    for (const [p, k, l] of shapes.filter(([p, k]) => p >= k))
      for (const eps of [1e-3, 1e-6, 0]) {
        const T = balancedT(rng, p, k, l, eps);
        const want = imbalanceDirect(T, p, k, l);
        expect(Math.abs(imbalanceRowSpace(T, p, k, l) - want), `${p} ${k} ${l} ${eps}`).toBeLessThanOrEqual(1e-13 * (p + k) * sumSq(T));
      }
  });

  it('non-finite states: NaN for a NaN parameter; +Inf for an infinite one (the definition: NaN or Inf)', () => {
    for (const [p, k, l] of shapes) {
      const T = randomT(rng, p, k, l);
      const at = Math.floor(rng.uniform() * T.length);
      const withNaN = Float64Array.from(T);
      withNaN[at] = NaN;
      expect(imbalanceRowSpace(withNaN, p, k, l)).toBeNaN();
      expect(imbalanceDirect(withNaN, p, k, l)).toBeNaN();
      for (const inf of [Infinity, -Infinity]) {
        const withInf = Float64Array.from(T);
        withInf[at] = inf;
        expect(Number.isFinite(imbalanceDirect(withInf, p, k, l))).toBe(false);
        // l ≤ p + k: the definition itself is used
        if (l > p + k) expect(imbalanceRowSpace(withInf, p, k, l)).toBe(Infinity);
      }
    }
  });

  it('huge finite states: the finite norm where the entrywise sums overflow (exact power-of-two scaling)', () => {
    const [p, k, l] = [4, 2, 12];
    const T = randomT(rng, p, k, l);
    const big = T.map((x) => x * 2 ** 500); // ‖Δ‖ ≈ 2^1000·‖Δ(T)‖ ≈ 1e301: representable
    expect(imbalanceDirect(big, p, k, l)).toBe(Infinity); // (a − b)² overflows
    const want = imbalanceDirect(T, p, k, l) * 2 ** 1000;
    expect(Math.abs(imbalanceRowSpace(big, p, k, l) - want) / want).toBeLessThan(1e-10);
  });

  it("Linear2.imbalance: the cheap form where it applies, else the row-space form; the definition's value either way", () => {
    const { stepper } = buildRun(spec(teacher(20, 4, 2), linear2(16), gd(0.01), 10));
    const net = stepper as Linear2;
    const [p, k, l] = [4, 2, 16];
    for (const T of [randomT(rng, p, k, l), balancedT(rng, p, k, l, 1e-4), balancedT(rng, p, k, l, 0), randomT(rng, p, k, l, 2 ** 300)]) {
      net.T.set(T);
      const want = imbalanceDirect(T, p, k, l);
      const got = net.imbalance();
      if (Number.isFinite(want)) expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * (p + k) * sumSq(T));
      else expect(Number.isFinite(got) && got > 1e180).toBe(true); // 2^600·‖Δ‖: finite now
    }
  });
});
