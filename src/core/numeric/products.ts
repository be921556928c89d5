// Dense products of the deep_linear and relu2 steps, through the WebAssembly SIMD gemm
// (wasm/kernels.wat) when the model has an Arena and the product is large enough, else the
// scalar loops of linalg.ts. Same bits either way:
//   - linalg.ts matmul / matmulTN sum each output C[i, c] over j = 0, 1, … from +0 (C.fill(0)),
//     skipping the terms whose left factor is exactly 0; the gemm sums the same terms in the
//     same order without the skip. A skipped term is ±0·b = ±0 for finite b, and a sum that
//     started at +0 is never −0, so adding ±0 leaves it unchanged: the bits agree whenever the
//     right factor is finite. It is checked (O(size of B), against the O(m·n·q) product); when
//     not finite, the scalar loop runs (a diverging run keeps its bits too).
//   - the gemm's f64x2 lanes are two different outputs, never two halves of one sum (kernels.wat).
// Measured crossover (test shapes m = n = q, this 2-core VM, scalar matmul vs gemm incl. the
// call): 2³: 0.27×, 4³: 2.3×, 8³: 6×, 16³–100³: 17–22×; so from m·n·q ≥ 64.
import { matmul, matmulTN } from './linalg';
import { Arena } from './wasm/simd';

export const PRODUCTS_SIMD_MIN = 64;

/** a[0..len) all finite (x·0 is NaN exactly when x is ±∞ or NaN) */
function finite(a: Float64Array, len: number): boolean {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[i] * 0;
  return s === 0;
}

/** `lengths` as Float64Arrays: views of one Arena when SIMD is on (and wanted), else plain. */
export class ProductArrays {
  readonly arrays: Float64Array<ArrayBuffer>[];
  readonly arena: Arena | null;

  constructor(lengths: number[], simd: boolean) {
    this.arena = simd ? Arena.create(lengths) : null;
    // an Arena's views are on a WebAssembly.Memory's buffer: an ArrayBuffer
    this.arrays = this.arena ? (this.arena.arrays as Float64Array<ArrayBuffer>[]) : lengths.map((n) => new Float64Array(n));
  }

  /** C (m×q) = A (m×n) · B (n×q), row-major: linalg.ts matmul's bits */
  mm(A: Float64Array, B: Float64Array, m: number, n: number, q: number, C: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
    const ar = this.arena;
    if (ar && m * n * q >= PRODUCTS_SIMD_MIN && finite(B, n * q)) ar.gemm(m, q, n, A, 0, n, 1, B, 0, q, C, 0, q);
    else matmul(A, B, m, n, q, C);
    return C;
  }

  /** C (n×q) = Aᵀ · B with A (m×n), B (m×q): linalg.ts matmulTN's bits */
  mmTN(A: Float64Array, B: Float64Array, m: number, n: number, q: number, C: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
    const ar = this.arena;
    if (ar && m * n * q >= PRODUCTS_SIMD_MIN && finite(B, m * q)) ar.gemm(n, q, m, A, 0, 1, n, B, 0, q, C, 0, q);
    else matmulTN(A, B, m, n, q, C);
    return C;
  }
}
