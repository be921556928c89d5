// What a relu2 record computes on the routed model's Arena (relu2.ts, products.ts), with the bits
// of the scalar code it replaces:
//  - the loss's f(x_r)_c = Σ_{j: h_rj > 0} a_jc·h_rj (j = 0, 1, … from +0; relu2.ts lossOn) as
//    the gemm Fᵀ = aᵀ·relu(Hᵀ), relu(h) = h > 0 ? h : 0 (NaN → 0, as the skip): the gemm adds the
//    inactive units' a·0 = ±0, which leaves a sum that started at +0 unchanged, so the bits agree
//    when a is finite (checked per record; else the scalar loop). The scalar loop's unit-by-unit
//    branch on h > 0 (half the units, unpredictable) and its stride-`cn` reads were half of a
//    record at (n, p, width) = (1000, 50, 200);
//  - σ(W) for min(width, p) > JACOBI_MAX by kernels.wat gkValues: golubKahanValuesT whole in
//    WebAssembly, the same bits as linalg.ts golubKahanSingularValues (the JS took ~1.4–2.3 ms at
//    200×50), when W is finite (else the JS, which a non-finite W leaves as it was).
import { allFinite, JACOBI_MAX, singularValues } from './linalg';
import { descending } from './svdValues';
import type { Arena } from './wasm/simd';

/** the record's own buffers: lengths appended to the model's Arena, in this order */
export function relu2RecordLengths(m: number, p: number, k: number, chunk: number): number[] {
  const big = Math.max(m, p), small = Math.min(m, p);
  const gk = small > JACOBI_MAX;
  return [m * k, k * chunk, gk ? m * p : 0, gk ? small : 0, gk ? small : 0, gk ? big : 0];
}

export class Relu2Record {
  private readonly aT: Float64Array; // a (m×k) copied into the arena, read as aᵀ
  private readonly F: Float64Array; // k×chunk: Fᵀ
  private readonly gk: { At: Float64Array; s: Float64Array; e: Float64Array; work: Float64Array } | null;

  /** `arrays`: the Arena's views of relu2RecordLengths' buffers */
  constructor(
    private readonly arena: Arena,
    private readonly m: number,
    private readonly p: number,
    private readonly k: number,
    arrays: Float64Array[],
  ) {
    const [aT, F, At, s, e, work] = arrays;
    this.aT = aT;
    this.F = F;
    this.gk = Math.min(m, p) > JACOBI_MAX ? { At, s, e, work } : null;
  }

  /** false when the gemm form would not have the scalar loop's bits (a not finite) */
  prepare(a: Float64Array): boolean {
    if (!allFinite(a)) return false;
    this.aT.set(a);
    return true;
  }

  /**
   * Σ_{r<cn, c<k} (Y[(r0 + r)·k + c] − f_rc)², in order (r, c), added to s from the left:
   * Ht (m×cn, Hᵀ of the chunk) is overwritten by relu(Ht). After prepare() returned true.
   */
  chunkSum(Ht: Float64Array, cn: number, Y: Float64Array, r0: number, s: number): number {
    const { m, k, F } = this;
    const len = m * cn;
    // relu without a branch: h·1 or h·0 (= ±0: a zero's sign changes no sum that started at +0).
    // NaN and −∞ give NaN there, where relu gives 0; such an h makes its sample's F NaN (a is
    // finite), so a NaN in F sends the chunk through relu's exact form (NaN → 0), the same values
    for (let t = 0; t < len; t++) {
      const h = Ht[t];
      Ht[t] = h * +(h > 0);
    }
    // Fᵀ[c, r] = Σ_j aᵀ[c, j]·relu(Hᵀ)[j, r]: A = aᵀ read from a (m×k) with strides (1, k)
    this.arena.gemm(k, cn, m, this.aT, 0, 1, k, Ht, 0, cn, F, 0, cn);
    if (hasNaN(F, k * cn)) {
      for (let t = 0; t < len; t++) if (Ht[t] !== Ht[t]) Ht[t] = 0;
      this.arena.gemm(k, cn, m, this.aT, 0, 1, k, Ht, 0, cn, F, 0, cn);
    }
    for (let r = 0; r < cn; r++) for (let c = 0; c < k; c++) s += (Y[(r0 + r) * k + c] - F[c * cn + r]) ** 2;
    return s;
  }

  /** singularValues(W, m, p), the same bits */
  singularValues(W: Float64Array): number[] {
    const { m, p, gk } = this;
    if (!gk || !allFinite(W)) return singularValues(W, m, p);
    // golubKahanSingularValues: the tall one of W, Wᵀ, given by its transpose
    const At = gk.At;
    if (m >= p) for (let j = 0; j < m; j++) for (let i = 0; i < p; i++) At[i * m + j] = W[j * p + i];
    else At.set(W.subarray(0, m * p));
    return descending(this.arena.gkValues(At, gk.s, gk.e, gk.work, Math.max(m, p), Math.min(m, p)));
  }
}

function hasNaN(a: Float64Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== a[i]) return true;
  return false;
}
