// Small dense linear algebra on row-major Float64Arrays. Decompositions whose speed does not
// matter (they run at record points, not per step) come from ml-matrix; the QR below is
// hand-written because it is the robust log det (see logdetGramRows) and runs on the
// parameter matrix layout directly (rows of θᵀ are contiguous: no copy into a Matrix).

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { descending, golubKahanValuesT } from './svdValues';

/** C (m×q) = A (m×n) · B (n×q). */
export function matmul(A: Float64Array, B: Float64Array, m: number, n: number, q: number, C = new Float64Array(m * q)): Float64Array {
  C.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * q;
    for (let j = 0; j < n; j++) {
      const a = A[i * n + j];
      if (a === 0) continue;
      const bj = j * q;
      for (let c = 0; c < q; c++) C[ci + c] += a * B[bj + c];
    }
  }
  return C;
}

/** C (n×q) = Aᵀ · B with A (m×n), B (m×q). */
export function matmulTN(A: Float64Array, B: Float64Array, m: number, n: number, q: number, C = new Float64Array(n * q)): Float64Array {
  C.fill(0);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < n; i++) {
      const a = A[r * n + i];
      if (a === 0) continue;
      const ci = i * q, br = r * q;
      for (let c = 0; c < q; c++) C[ci + c] += a * B[br + c];
    }
  }
  return C;
}

export function transpose(A: Float64Array, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}

/** Σ a[ia + t]·b[ib + t], t < len, with four accumulators (the hot kernel of every step). */
export function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 += a[ia + t] * b[ib + t];
    s1 += a[ia + t + 1] * b[ib + t + 1];
    s2 += a[ia + t + 2] * b[ib + t + 2];
    s3 += a[ia + t + 3] * b[ib + t + 3];
  }
  for (; t < len; t++) s0 += a[ia + t] * b[ib + t];
  return s0 + s1 + (s2 + s3);
}

export function frob2(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

export function allFinite(a: Float64Array): boolean {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * 0;
  return s === 0; // x·0 is NaN exactly when x is ±∞ or NaN
}

/** Lower Cholesky factor of a symmetric positive definite n×n matrix, or null if not SPD. */
export function cholesky(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let t = 0; t < j; t++) s -= L[i * n + t] * L[j * n + t];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/**
 * log det(ΘΘᵀ) for Θ (m×len, row-major, m ≤ len) — i.e. log det(θᵀθ) for θ = Θᵀ — as
 * 2 Σ log|R_jj| from a Householder QR of θ (equivalently an LQ of Θ; its rows are θ's columns).
 * Householder QR is backward stable, so the error is ≈ ε·cond(θ) in log det, whereas forming
 * the Gram matrix θᵀθ first costs ε·cond(θ)²: at σ_min(θ) ~ 1e-13 the Gram matrix is numerically
 * singular (docs/theory.md §3, computing log det robustly). Returns −Infinity when a column is
 * exactly dependent, NaN for non-finite input.
 */
export function logdetGramRows(Theta: Float64Array, m: number, len: number): number {
  return lqRows(Theta, m, len, null);
}

/**
 * Householder LQ of Θ (m×len, row-major, m ≤ len): Θ = L·Q with L lower triangular (m×m), Q
 * with orthonormal rows. Returns log det(ΘΘᵀ) = 2 Σ log|L_jj| (as logdetGramRows) and, when
 * `L` (m×m) is given, fills it with the factor. Its leading r×r block is the factor of Θ's first
 * r rows, so σ(Θ[0:r]) = σ(L[0:r, 0:r]) (a smaller SVD: linear2 records σ(W1) this way).
 */
export function lqRows(Theta: Float64Array, m: number, len: number, L: Float64Array | null): number {
  const W = Theta.slice(0, m * len);
  return lqFactor(W, len, 1, m, len, L, (j, vtv) => reflectRows(W, m, len, j, vtv));
}

/**
 * The LQ of lqRows on W(i, t) = W[i·rs + t·cs] (overwritten: row-major rs = len, cs = 1, or
 * column-major rs = 1, cs = m for the SIMD kernel), m ≤ len. For each j it forms the reflector in
 * row j (O(len)) and calls apply(j, vtv) to reflect rows j+1…m−1 (the O(m·len) part): that must
 * compute, per row i, s = Σ_{t ≥ j} v_t·W(i, t) in order t from +0, then W(i, t) −= ((2s)/vtv)·v_t
 * (reflectRows; kernels.wat lqApply), so both layouts give the same bits.
 */
export function lqFactor(W: Float64Array, rs: number, cs: number, m: number, len: number, L: Float64Array | null, apply: (j: number, vtv: number) => void): number {
  if (L) L.fill(0);
  let logdet = 0;
  for (let j = 0; j < m; j++) {
    const rj = j * rs;
    // Householder on the tail W[j, j:], scaled against overflow/underflow.
    // max is exact and NaN-propagating in any order: four running maxima, combined, are the
    // one-at-a-time max's value with a quarter of its dependency chain
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    let t = j;
    for (; t + 3 < len; t += 4) {
      m0 = Math.max(m0, Math.abs(W[rj + t * cs]));
      m1 = Math.max(m1, Math.abs(W[rj + (t + 1) * cs]));
      m2 = Math.max(m2, Math.abs(W[rj + (t + 2) * cs]));
      m3 = Math.max(m3, Math.abs(W[rj + (t + 3) * cs]));
    }
    for (; t < len; t++) m0 = Math.max(m0, Math.abs(W[rj + t * cs]));
    const scale = Math.max(Math.max(m0, m1), Math.max(m2, m3));
    if (!(scale > 0)) {
      if (scale === 0 && L) {
        // exactly dependent row: L_jj = 0, finish the factor without this reflection
        for (let i = j; i < m; i++) L[i * m + j] = W[i * rs + j * cs];
        L[j * m + j] = 0;
        logdet = -Infinity;
        continue;
      }
      return scale === 0 ? -Infinity : NaN;
    }
    let norm2 = 0;
    for (let t = j; t < len; t++) {
      const x = W[rj + t * cs] / scale;
      norm2 += x * x;
    }
    const norm = scale * Math.sqrt(norm2);
    const x0 = W[rj + j * cs];
    const alpha = x0 >= 0 ? -norm : norm; // R_jj
    logdet += 2 * Math.log(Math.abs(alpha));
    // v = x − alpha·e_j (stored in place), H = I − 2vvᵀ/(vᵀv), vᵀv = 2(norm² − x0·alpha)
    W[rj + j * cs] = x0 - alpha;
    const vtv = 2 * (norm * norm - x0 * alpha);
    if (vtv !== 0) apply(j, vtv);
    if (L) {
      L[j * m + j] = alpha;
      for (let i = j + 1; i < m; i++) L[i * m + j] = W[i * rs + j * cs];
    }
  }
  return logdet;
}

/** lqFactor's reflection on row-major W (m×len): rows four per pass, then two, then one (the
 *  reflector loaded once for all; four independent sums hide the add latency of one); each row's
 *  own sums keep their order, so the values are those of the one-row loop. */
function reflectRows(W: Float64Array, m: number, len: number, j: number, vtv: number): void {
  const rj = j * len;
  let i = j + 1;
  for (; i + 3 < m; i += 4) {
    const ri = i * len, ri1 = ri + len, ri2 = ri1 + len, ri3 = ri2 + len;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = j; t < len; t++) {
      const v = W[rj + t];
      s0 += v * W[ri + t];
      s1 += v * W[ri1 + t];
      s2 += v * W[ri2 + t];
      s3 += v * W[ri3 + t];
    }
    const f0 = (2 * s0) / vtv, f1 = (2 * s1) / vtv, f2 = (2 * s2) / vtv, f3 = (2 * s3) / vtv;
    for (let t = j; t < len; t++) {
      const v = W[rj + t];
      W[ri + t] -= f0 * v;
      W[ri1 + t] -= f1 * v;
      W[ri2 + t] -= f2 * v;
      W[ri3 + t] -= f3 * v;
    }
  }
  for (; i < m; i++) {
    const ri = i * len;
    let s = 0;
    for (let t = j; t < len; t++) s += W[rj + t] * W[ri + t];
    const f = (2 * s) / vtv;
    for (let t = j; t < len; t++) W[ri + t] -= f * W[rj + t];
  }
}

/**
 * Singular values (descending) of a rows×cols row-major matrix. Small matrices (the common case:
 * recorded every ~100 steps, where ml-matrix's object overhead dominated the record cost at
 * 40–70 µs for 5×10) use a one-sided Jacobi iteration (Hestenes) on the min(rows, cols) vectors:
 * values-only, and with high relative accuracy for tiny singular values (Demmel & Veselić), which
 * matters for the collapse of σ(W1) on log plots. Larger ones go to Golub–Kahan (svdValues.ts:
 * ml-matrix's SVD, the same bits, on a Float64Array).
 */
export function singularValues(A: Float64Array, rows: number, cols: number): number[] {
  if (rows === 0 || cols === 0) return [];
  if (rows === 1 || cols === 1) return [Math.sqrt(frob2(A.subarray(0, rows * cols)))];
  if (Math.min(rows, cols) <= JACOBI_MAX) {
    return rows <= cols ? jacobiSingularValues(A, rows, cols) : jacobiSingularValues(transpose(A, rows, cols), cols, rows);
  }
  return golubKahanSingularValues(A, rows, cols);
}

/** Singular values (descending) by Golub–Kahan (svdValues.ts), on the tall one of A, Aᵀ (σ(A) = σ(Aᵀ)). */
export function golubKahanSingularValues(A: Float64Array, rows: number, cols: number): number[] {
  // golubKahanValuesT takes the tall matrix's transpose: Aᵀ when A is tall, else A itself
  const At = rows >= cols ? transpose(A, rows, cols) : A.slice(0, rows * cols);
  return descending(golubKahanValuesT(At, Math.max(rows, cols), Math.min(rows, cols)));
}

/** above this many vectors Golub–Kahan (svdValues.ts) is used (measured crossover, see bench notes) */
export const JACOBI_MAX = 16;

/** One-sided Jacobi: orthogonalise the m rows (length len, m ≤ len) of a copy of A by plane
 *  rotations until every pair is orthogonal to ε; the row norms are then the singular values. */
export function jacobiSingularValues(A: Float64Array, m: number, len: number): number[] {
  const W = A.slice(0, m * len);
  const tol = 1e-15;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < m - 1; i++) {
      const ri = i * len;
      for (let j = i + 1; j < m; j++) {
        const rj = j * len;
        let a = 0, b = 0, g = 0;
        for (let t = 0; t < len; t++) {
          const x = W[ri + t], y = W[rj + t];
          a += x * x;
          b += y * y;
          g += x * y;
        }
        if (g === 0 || Math.abs(g) <= tol * Math.sqrt(a * b)) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        const tn = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + tn * tn), s = c * tn;
        for (let t = 0; t < len; t++) {
          const x = W[ri + t], y = W[rj + t];
          W[ri + t] = c * x - s * y;
          W[rj + t] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < len; t++) s += W[i * len + t] ** 2;
    out.push(Math.sqrt(s));
  }
  return out.sort((x, y) => y - x);
}

export function toMatrix(A: Float64Array, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, A[i * cols + j]);
  return M;
}

/** Largest eigenvalue of a symmetric n×n matrix. */
export function symLambdaMax(A: Float64Array, n: number): number {
  if (n === 0) return 0;
  const evd = new EigenvalueDecomposition(toMatrix(A, n, n), { assumeSymmetric: true });
  return Math.max(...evd.realEigenvalues);
}

/** Numerical rank: number of singular values above tol·σ₁. */
export function numericalRank(sv: number[], tol: number): number {
  if (sv.length === 0 || !(sv[0] > 0)) return 0;
  let r = 0;
  for (const s of sv) if (s > tol * sv[0]) r++;
  return r;
}
