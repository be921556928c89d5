// Non-Gaussian initialisations (the Gaussian one, every weight ~ N(0, scale²), stays inline in
// each model so that its draws, hence the bits of existing runs, do not change).
//
//   orthogonal(scale): every weight matrix W ∈ ℝ^{a×b} is scale·Q with Q semi-orthogonal and
//     Haar-distributed: QᵀQ = I_b when a ≥ b (orthonormal columns), QQᵀ = I_a when a < b
//     (orthonormal rows). Drawn as Gram–Schmidt, applied twice, on the columns of an
//     a×b (or b×a, then transposed) matrix of N(0, 1) draws from the init stream.
//   balanced(scale): the conserved quantities of gradient flow start at zero. With d_0, …, d_L
//     the layer sizes and r = min_m d_m, draw Q_m ∈ ℝ^{d_m×r} with orthonormal columns (m = 0 … L)
//     and set W_m = scale·Q_m Q_{m−1}ᵀ ∈ ℝ^{d_m×d_{m−1}}. Then
//       W_{m+1}ᵀW_{m+1} = scale²·Q_m Q_mᵀ = W_m W_mᵀ   for every m,
//     i.e. W1ᵀW1 = W2W2ᵀ for linear2 (in its f(x) = W2ᵀW1ᵀx notation W1 = scale·Q_0Q_1ᵀ, p×l, and
//     W2 = scale·Q_1Q_2ᵀ, l×k), and every consecutive pair of deep_linear. Every singular value of
//     every W_m is scale (r of them), and the end-to-end matrix is scale^L·Q_L Q_0ᵀ.
import type { Rng } from './rng';

/** Q ∈ ℝ^{rows×cols}, row-major, with orthonormal columns (rows ≥ cols). */
export function orthonormalColumns(rows: number, cols: number, rng: Rng): Float64Array {
  const Q = new Float64Array(rows * cols);
  for (let t = 0; t < Q.length; t++) Q[t] = rng.gauss();
  for (let pass = 0; pass < 2; pass++)
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let t = 0; t < rows; t++) d += Q[t * cols + i] * Q[t * cols + j];
        for (let t = 0; t < rows; t++) Q[t * cols + j] -= d * Q[t * cols + i];
      }
      let s = 0;
      for (let t = 0; t < rows; t++) s += Q[t * cols + j] ** 2;
      s = Math.sqrt(s);
      // a Gaussian draw is rank-deficient with probability 0; guard the division anyway
      if (!(s > 0)) throw new Error('orthonormalColumns: degenerate draw');
      for (let t = 0; t < rows; t++) Q[t * cols + j] /= s;
    }
  return Q;
}

/** scale · a semi-orthogonal a×b matrix (orthonormal columns if a ≥ b, else orthonormal rows), row-major. */
export function semiOrthogonal(a: number, b: number, scale: number, rng: Rng): Float64Array {
  if (a >= b) {
    const Q = orthonormalColumns(a, b, rng);
    for (let t = 0; t < Q.length; t++) Q[t] *= scale;
    return Q;
  }
  const Qt = orthonormalColumns(b, a, rng); // b×a
  const W = new Float64Array(a * b);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) W[i * b + j] = scale * Qt[j * a + i];
  return W;
}

/** Balanced weights W_1 … W_L (W_m ∈ ℝ^{d_m×d_{m−1}}, row-major) for layer sizes dims = [d_0, …, d_L]. */
export function balancedLayers(dims: number[], scale: number, rng: Rng): Float64Array[] {
  const r = Math.min(...dims);
  const Q = dims.map((d) => orthonormalColumns(d, r, rng));
  const out: Float64Array[] = [];
  for (let m = 1; m < dims.length; m++) {
    const a = dims[m], b = dims[m - 1], Qa = Q[m], Qb = Q[m - 1];
    const W = new Float64Array(a * b);
    for (let i = 0; i < a; i++)
      for (let j = 0; j < b; j++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += Qa[i * r + t] * Qb[j * r + t];
        W[i * b + j] = scale * s;
      }
    out.push(W);
  }
  return out;
}
