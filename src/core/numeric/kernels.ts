// Register-blocked kernels for the linear2 step (the only hot loop whose speed matters at large
// sizes). Measured reason: plain dot/axpy loops do 1–2 loads per multiply-add; these do ~0.75
// (rowDots: 2×4 block, 6 loads per 8 MACs) and ~0.9 (rowCombine: 2×4 block, 6 loads + 2 stores
// per 8 MACs), which is what V8 (no SIMD) is bound by. Rows are contiguous slices of length len.

/**
 * out[a·outStride + b] = ⟨A row a, B row b⟩ for a < na, b < nb;
 * A row a starts at A[aOff + a·len], B row b at B[bOff + b·len].
 */
export function rowDots(
  A: Float64Array, aOff: number, na: number,
  B: Float64Array, bOff: number, nb: number,
  len: number, out: Float64Array, outStride: number,
): void {
  let a = 0;
  for (; a + 1 < na; a += 2) {
    const a0 = aOff + a * len, a1 = a0 + len;
    let b = 0;
    for (; b + 3 < nb; b += 4) {
      const b0 = bOff + b * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < len; q++) {
        const x0 = A[a0 + q], x1 = A[a1 + q];
        const y0 = B[b0 + q], y1 = B[b1 + q], y2 = B[b2 + q], y3 = B[b3 + q];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const o0 = a * outStride + b, o1 = o0 + outStride;
      out[o0] = s00; out[o0 + 1] = s01; out[o0 + 2] = s02; out[o0 + 3] = s03;
      out[o1] = s10; out[o1 + 1] = s11; out[o1 + 2] = s12; out[o1 + 3] = s13;
    }
    for (; b < nb; b++) {
      const b0 = bOff + b * len;
      let s0 = 0, s1 = 0;
      for (let q = 0; q < len; q++) {
        const y = B[b0 + q];
        s0 += A[a0 + q] * y;
        s1 += A[a1 + q] * y;
      }
      out[a * outStride + b] = s0;
      out[(a + 1) * outStride + b] = s1;
    }
  }
  for (; a < na; a++) {
    const a0 = aOff + a * len;
    let b = 0;
    for (; b + 3 < nb; b += 4) {
      const b0 = bOff + b * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < len; q++) {
        const x = A[a0 + q];
        s0 += x * B[b0 + q]; s1 += x * B[b1 + q]; s2 += x * B[b2 + q]; s3 += x * B[b3 + q];
      }
      const o = a * outStride + b;
      out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
    }
    for (; b < nb; b++) {
      const b0 = bOff + b * len;
      let s = 0;
      for (let q = 0; q < len; q++) s += A[a0 + q] * B[b0 + q];
      out[a * outStride + b] = s;
    }
  }
}

/**
 * For r < nr:  OUT row r = d·IN row r + Σ_{s<ns} C[r·cr + s·cs] · SRC row s
 * (OUT row r at out[outOff + r·len], IN row r at inp[inOff + r·len], SRC row s at src[srcOff + s·len]).
 * OUT must not overlap IN or SRC. Rows of OUT go in pairs, sources in groups of up to 4; the
 * first group reads IN scaled by d (no separate initialisation pass over OUT).
 */
export function rowCombine(
  out: Float64Array, outOff: number, inp: Float64Array, inOff: number, nr: number, d: number,
  C: Float64Array, cr: number, cs: number,
  src: Float64Array, srcOff: number, ns: number, len: number,
): void {
  let r = 0;
  for (; r + 1 < nr; r += 2) {
    const o0 = outOff + r * len, o1 = o0 + len;
    const ra = r * cr, rb = ra + cr;
    if (ns === 0) {
      const i0 = inOff + r * len, i1 = i0 + len;
      for (let q = 0; q < len; q++) {
        out[o0 + q] = d * inp[i0 + q];
        out[o1 + q] = d * inp[i1 + q];
      }
      continue;
    }
    for (let s = 0; s < ns; ) {
      const first = s === 0;
      const b = first ? inp : out;
      const b0 = first ? inOff + r * len : o0, b1 = b0 + len;
      const f = first ? d : 1;
      const w = ns - s >= 4 ? 4 : ns - s;
      const s0 = srcOff + s * len, s1 = s0 + len, s2 = s1 + len, s3 = s2 + len;
      const c00 = C[ra + s * cs], c10 = C[rb + s * cs];
      if (w === 4) {
        const c01 = C[ra + (s + 1) * cs], c02 = C[ra + (s + 2) * cs], c03 = C[ra + (s + 3) * cs];
        const c11 = C[rb + (s + 1) * cs], c12 = C[rb + (s + 2) * cs], c13 = C[rb + (s + 3) * cs];
        for (let q = 0; q < len; q++) {
          const x0 = src[s0 + q], x1 = src[s1 + q], x2 = src[s2 + q], x3 = src[s3 + q];
          out[o0 + q] = f * b[b0 + q] + c00 * x0 + c01 * x1 + c02 * x2 + c03 * x3;
          out[o1 + q] = f * b[b1 + q] + c10 * x0 + c11 * x1 + c12 * x2 + c13 * x3;
        }
      } else if (w === 3) {
        const c01 = C[ra + (s + 1) * cs], c02 = C[ra + (s + 2) * cs];
        const c11 = C[rb + (s + 1) * cs], c12 = C[rb + (s + 2) * cs];
        for (let q = 0; q < len; q++) {
          const x0 = src[s0 + q], x1 = src[s1 + q], x2 = src[s2 + q];
          out[o0 + q] = f * b[b0 + q] + c00 * x0 + c01 * x1 + c02 * x2;
          out[o1 + q] = f * b[b1 + q] + c10 * x0 + c11 * x1 + c12 * x2;
        }
      } else if (w === 2) {
        const c01 = C[ra + (s + 1) * cs], c11 = C[rb + (s + 1) * cs];
        for (let q = 0; q < len; q++) {
          const x0 = src[s0 + q], x1 = src[s1 + q];
          out[o0 + q] = f * b[b0 + q] + c00 * x0 + c01 * x1;
          out[o1 + q] = f * b[b1 + q] + c10 * x0 + c11 * x1;
        }
      } else {
        for (let q = 0; q < len; q++) {
          const x0 = src[s0 + q];
          out[o0 + q] = f * b[b0 + q] + c00 * x0;
          out[o1 + q] = f * b[b1 + q] + c10 * x0;
        }
      }
      s += w;
    }
  }
  for (; r < nr; r++) {
    const o0 = outOff + r * len, i0 = inOff + r * len;
    for (let q = 0; q < len; q++) out[o0 + q] = d * inp[i0 + q];
    let s = 0;
    for (; s + 3 < ns; s += 4) {
      const c0 = C[r * cr + s * cs], c1 = C[r * cr + (s + 1) * cs], c2 = C[r * cr + (s + 2) * cs], c3 = C[r * cr + (s + 3) * cs];
      const s0 = srcOff + s * len, s1 = s0 + len, s2 = s1 + len, s3 = s2 + len;
      for (let q = 0; q < len; q++) out[o0 + q] += c0 * src[s0 + q] + c1 * src[s1 + q] + c2 * src[s2 + q] + c3 * src[s3 + q];
    }
    for (; s < ns; s++) {
      const c = C[r * cr + s * cs], s0 = srcOff + s * len;
      for (let q = 0; q < len; q++) out[o0 + q] += c * src[s0 + q];
    }
  }
}

/**
 * out[c·p + i] += f·⟨Z row c, L row i⟩ for c < nz, i < p, with L lower triangular (p×p, zeros
 * above the diagonal, row-major) and Z rows of length p: the Cholesky noise C·z of linear2 for
 * all output columns at once. Same 2×4 blocking as rowDots; a block of L rows i0..i0+3 runs over
 * j < i0 + 4 only (the terms beyond row i's diagonal are exact zeros), ≈ p²·nz/2 multiply-adds.
 */
export function lowerDotsAdd(Z: Float64Array, nz: number, L: Float64Array, p: number, f: number, out: Float64Array): void {
  let i = 0;
  for (; i + 3 < p; i += 4) {
    const b0 = i * p, b1 = b0 + p, b2 = b1 + p, b3 = b2 + p, len = i + 4;
    let c = 0;
    for (; c + 1 < nz; c += 2) {
      const a0 = c * p, a1 = a0 + p;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < len; q++) {
        const x0 = Z[a0 + q], x1 = Z[a1 + q];
        const y0 = L[b0 + q], y1 = L[b1 + q], y2 = L[b2 + q], y3 = L[b3 + q];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      out[a0 + i] += f * s00; out[a0 + i + 1] += f * s01; out[a0 + i + 2] += f * s02; out[a0 + i + 3] += f * s03;
      out[a1 + i] += f * s10; out[a1 + i + 1] += f * s11; out[a1 + i + 2] += f * s12; out[a1 + i + 3] += f * s13;
    }
    for (; c < nz; c++) {
      const a0 = c * p;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < len; q++) {
        const x = Z[a0 + q];
        s0 += x * L[b0 + q]; s1 += x * L[b1 + q]; s2 += x * L[b2 + q]; s3 += x * L[b3 + q];
      }
      out[a0 + i] += f * s0; out[a0 + i + 1] += f * s1; out[a0 + i + 2] += f * s2; out[a0 + i + 3] += f * s3;
    }
  }
  for (; i < p; i++) {
    const b0 = i * p;
    for (let c = 0; c < nz; c++) {
      const a0 = c * p;
      let s = 0;
      for (let q = 0; q <= i; q++) s += Z[a0 + q] * L[b0 + q];
      out[a0 + i] += f * s;
    }
  }
}

/**
 * The scalar reference of the SIMD gemm (wasm/kernels.wat):
 * S[i, c] = Σ_{j<kk} A[aOff + i·ars + j·acs]·B[bOff + j·ldb + c], summed in order j = 0, 1, …
 * from +0 — the order of one output of rowDots and lowerDotsAdd. Without `add`,
 * C[cOff + i·ldc + c] = S; with it, C += f·S (and `tri` skips the terms j > c, whose B entries
 * are zero: x·0 = ±0 leaves such a sum unchanged, as it is never −0).
 */
export function gemmSeq(
  m: number, n: number, kk: number, A: Float64Array, aOff: number, ars: number, acs: number,
  B: Float64Array, bOff: number, ldb: number, C: Float64Array, cOff: number, ldc: number,
  add: { f: number; tri: boolean } | null = null,
): void {
  for (let i = 0; i < m; i++)
    for (let c = 0; c < n; c++) {
      const end = add?.tri ? Math.min(kk, c + 1) : kk;
      let s = 0;
      for (let j = 0; j < end; j++) s += A[aOff + i * ars + j * acs] * B[bOff + j * ldb + c];
      const o = cOff + i * ldc + c;
      C[o] = add ? C[o] + add.f * s : s;
    }
}
