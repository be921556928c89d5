// Singular values only of a tall matrix by Golub–Kahan: Householder bidiagonalisation, then
// implicit-shift QR sweeps on the bidiagonal (the LINPACK/JAMA algorithm). It is ml-matrix 6.15's
// SingularValueDecomposition with both vector flags off, operation for operation (the same
// hypotenuse, the same loop orders, the same deflation tests), on one Float64Array instead of a
// Matrix of row arrays with get/set calls: the values are the same bits, and it is ~4× faster
// (that class's object overhead was half the cost of a linear2 record at p = 50). The parity test
// (test/core/numeric/svdValues.test.ts) compares both bit for bit.

/** √(a² + b²) without overflow, exactly as ml-matrix's dc/util hypotenuse. */
function hypotenuse(a: number, b: number): number {
  let r = 0;
  if (Math.abs(a) > Math.abs(b)) {
    r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** The bidiagonalisation's two O(m·n) loops in WebAssembly (kernels.wat gkLeft, gkRight: the
 *  same bits), on `At`, `e` (n) and `work` (m) of one arena. A record uses kernels.wat gkValues
 *  (this whole function in WebAssembly, these two loops included); this hook tests the loops
 *  alone against the JS ones (test/core/numeric/lqSimd.test.ts). */
export interface GkKernels {
  e: Float64Array;
  work: Float64Array;
  left(k: number): void;
  right(k: number): void;
}

/**
 * Singular values, in the order the QR sweeps leave them (descending, as ml-matrix's `diagonal`),
 * of the m×n matrix whose TRANSPOSE is `At` (n×m, row-major: row j is column j of the matrix),
 * m ≥ n ≥ 1. `At` is overwritten.
 */
export function golubKahanValuesT(At: Float64Array, m: number, n: number, gk: GkKernels | null = null): Float64Array {
  const at = At;
  const ni = Math.min(m + 1, n);
  const s = new Float64Array(ni);
  const e = gk ? gk.e.fill(0) : new Float64Array(n);
  const work = gk ? gk.work.fill(0) : new Float64Array(m);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const mrc = Math.max(nct, nrt);

  for (let k = 0; k < mrc; k++) {
    const rk = k * m;
    if (k < nct) {
      // left reflection: zero column k below the diagonal (row k of at)
      let sk = 0;
      for (let i = k; i < m; i++) sk = hypotenuse(sk, at[rk + i]);
      if (sk !== 0) {
        if (at[rk + k] < 0) sk = -sk;
        for (let i = k; i < m; i++) at[rk + i] = at[rk + i] / sk;
        at[rk + k] = at[rk + k] + 1;
      }
      s[k] = -sk;
    }
    if (k < nct && s[k] !== 0 && gk) gk.left(k);
    else if (k < nct && s[k] !== 0) {
      // apply the reflection to columns k+1… (rows of at), four at a time: each column's dot
      // keeps its order (the same bits as one at a time), four chains hide the add latency
      const akk = at[rk + k];
      let j = k + 1;
      for (; j + 3 < n; j += 4) {
        const r0 = j * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m;
        let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (let i = k; i < m; i++) {
          const a = at[rk + i];
          t0 += a * at[r0 + i];
          t1 += a * at[r1 + i];
          t2 += a * at[r2 + i];
          t3 += a * at[r3 + i];
        }
        t0 = -t0 / akk;
        t1 = -t1 / akk;
        t2 = -t2 / akk;
        t3 = -t3 / akk;
        for (let i = k; i < m; i++) {
          const a = at[rk + i];
          at[r0 + i] = at[r0 + i] + t0 * a;
          at[r1 + i] = at[r1 + i] + t1 * a;
          at[r2 + i] = at[r2 + i] + t2 * a;
          at[r3 + i] = at[r3 + i] + t3 * a;
        }
      }
      for (; j < n; j++) {
        const rj = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += at[rk + i] * at[rj + i];
        t = -t / akk;
        for (let i = k; i < m; i++) at[rj + i] = at[rj + i] + t * at[rk + i];
      }
    }
    for (let j = k + 1; j < n; j++) e[j] = at[j * m + k];
    if (k < nrt) {
      // right reflection: zero row k right of the superdiagonal
      let ek = 0;
      for (let i = k + 1; i < n; i++) ek = hypotenuse(ek, e[i]);
      if (ek !== 0) {
        if (e[k + 1] < 0) ek = 0 - ek;
        for (let i = k + 1; i < n; i++) e[i] /= ek;
        e[k + 1] += 1;
      }
      e[k] = -ek;
      if (k + 1 < m && e[k] !== 0 && gk) gk.right(k);
      else if (k + 1 < m && e[k] !== 0) {
        for (let i = k + 1; i < m; i++) work[i] = 0;
        // work[i] = Σ_j e[j]·at[j, i], j ascending for every i as in ml-matrix (its loops nest
        // i outside j: the same sums in the same order), here along rows of at (contiguous)
        for (let j = k + 1; j < n; j++) {
          const ej = e[j], rj = j * m;
          for (let i = k + 1; i < m; i++) work[i] += ej * at[rj + i];
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j] / e[k + 1];
          const rj = j * m;
          for (let i = k + 1; i < m; i++) at[rj + i] = at[rj + i] + t * work[i];
        }
      }
    }
  }

  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = at[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt];
  e[p - 1] = 0;

  const pp = p - 1;
  const eps = Number.EPSILON;
  while (p > 0) {
    let k: number, kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + eps * Math.abs(s[k] + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // deflate a negligible s[p−1]
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypotenuse(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
      }
    } else if (kase === 2) {
      // split at a negligible s[k−1]
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypotenuse(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
      }
    } else if (kase === 3) {
      // one QR sweep with the Wilkinson-like shift from the trailing 2×2
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        if (b < 0) shift = 0 - Math.sqrt(b * b + c);
        else shift = Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypotenuse(f, g);
        if (t === 0) t = Number.MIN_VALUE;
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        t = hypotenuse(f, g);
        if (t === 0) t = Number.MIN_VALUE;
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
      }
      e[p - 2] = f;
    } else {
      // converged: make s[k] non-negative and bubble it into place
      if (s[k] <= 0) s[k] = s[k] < 0 ? -s[k] : 0;
      while (k < pp) {
        if (s[k] >= s[k + 1]) break;
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        k++;
      }
      p--;
    }
  }
  return s;
}

/**
 * Array.from(s).sort((a, b) => b − a), without the sort when s is already non-increasing and
 * finite, as the QR sweeps leave it: a stable sort (the language's is) with a consistent
 * comparator leaves such an array as it is, so the result is the same either way.
 */
export function descending(s: Float64Array): number[] {
  const out = Array.from(s);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i]) || (i > 0 && !(out[i - 1] >= out[i]))) return out.sort((a, b) => b - a);
  return out;
}
