// ‖W1ᵀW1 − W2W2ᵀ‖_F (linear2's balancedness Δ) when the cheap form ‖A‖² + ‖B‖² − 2‖W1W2‖²
// cancels or is not finite (linear2.ts imbalance). θᵀ = T ((p+k)×l, rows: W1's rows, then W2's
// columns) gives Δ = Tᵀ·S·T with S = diag(+1 ×p, −1 ×k), an l×l matrix of rank ≤ m = p+k.
// Formed entry by entry that is O(l²·m): at width 10⁵ minutes, at 10⁶ hours. With the LQ
// factorisation T = L·Q (L m×m lower triangular, Q with orthonormal rows, linalg.lqRows),
// Δ = Qᵀ(LᵀSL)Q and ‖Δ‖_F = ‖LᵀSL‖_F: O(l·m²), and as accurate as the entrywise form (Householder
// is backward stable: the error is ε·‖T‖², as the entrywise sums' rounding is).
import { lqRows } from './linalg';

/** Δ entry by entry in the l×l space, O(l²·m): the definition (used when l ≤ m, and by tests). */
export function imbalanceDirect(T: Float64Array, p: number, k: number, l: number): number {
  let s = 0;
  for (let u = 0; u < l; u++)
    for (let v = 0; v < l; v++) {
      let a = 0, b = 0;
      for (let i = 0; i < p; i++) a += T[i * l + u] * T[i * l + v];
      for (let c = 0; c < k; c++) b += T[(p + c) * l + u] * T[(p + c) * l + v];
      s += (a - b) ** 2;
    }
  return Math.sqrt(s);
}

/**
 * ‖Δ‖_F in the m-dimensional row space, O(l·m²) (for l > m; l ≤ m: the entrywise form is as
 * cheap). A NaN parameter gives NaN, an infinite one +Inf (the entrywise form gives NaN or +Inf
 * there, by the order its infinities meet: neither is a measurement). Finite parameters are first
 * scaled by a power of two (exact), so huge states give the finite norm when it is representable.
 */
export function imbalanceRowSpace(T: Float64Array, p: number, k: number, l: number, Lshared: Float64Array | null = null): number {
  const m = p + k;
  if (l <= m) return imbalanceDirect(T, p, k, l);
  let big = 0;
  for (let t = 0; t < m * l; t++) {
    const a = Math.abs(T[t]);
    if (a !== a) return NaN;
    if (a > big) big = a;
  }
  if (big === Infinity) return Infinity;
  if (big === 0) return 0;
  const e = Math.max(-1000, Math.min(1000, Math.floor(Math.log2(big))));
  // Lshared: the LQ factor of T itself (a record's log det factor, linear2 metrics). Householder
  // commutes with scaling by 2^−e exactly (every operation scales by a power of two) while nothing
  // over- or underflows, so for |e| ≤ 64 it is the factor of the scaled copy times 2^e: the sums
  // below then scale by 2^4e and the result is the same. Outside that range: the scaled copy.
  if (Lshared && Math.abs(e) <= 64) return rowSpaceNorm(Lshared, p, m);
  const sc = 2 ** -e;
  const W = new Float64Array(m * l);
  for (let t = 0; t < m * l; t++) W[t] = T[t] * sc;
  const L = new Float64Array(m * m);
  lqRows(W, m, l, L);
  return rowSpaceNorm(L, p, m) / sc / sc;
}

/** ‖LᵀSL‖_F for the m×m lower-triangular L, S = diag(+1 ×p, −1 ×(m−p)) */
function rowSpaceNorm(L: Float64Array, p: number, m: number): number {
  // (LᵀSL)[u,v] = Σ_r s_r L[r,u]·L[r,v], L[r,u] = 0 for r < u
  let s = 0;
  for (let u = 0; u < m; u++)
    for (let v = 0; v < m; v++) {
      let a = 0, b = 0;
      for (let r = Math.max(u, v); r < p; r++) a += L[r * m + u] * L[r * m + v];
      for (let r = Math.max(u, v, p); r < m; r++) b += L[r * m + u] * L[r * m + v];
      s += (a - b) ** 2;
    }
  return Math.sqrt(s);
}
