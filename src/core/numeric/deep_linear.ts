// Deep linear network for matrix completion (Wang & Jacot): A = W_L ⋯ W_1, W_1 ∈ R^{w×cols},
// W_2..W_{L−1} ∈ R^{w×w}, W_L ∈ R^{rows×w}. The loss is ½·mean over the batch of observed entries
// of (A_ij − A*_ij)², and with weight decay the update is their
//   θ ← (1 − 2ηλ)θ − (η/2)·∇(A*_ij − A_ij)²        (one entry per step: sgd(batch = 1))
// GD uses all observed entries: the (1/2N)Σ_I loss of the paper. The gradient for W_m is
//   (W_L⋯W_{m+1})ᵀ · E · (W_{m−1}⋯W_1)ᵀ,  E_ij = (A_ij − A*_ij)/|B| on the batch, 0 elsewhere.
//
// Label noise δ (model.ts, docs/theory.md §1 "Label noise": the variance of the noise on the *rescaled*
// labels). The rescaling that turns this loss into a plain half squared error is the one of
// linear2 with n → N observed entries: Ã = A/√N, Ã* = A*/√N, since
//   L = (1/2N)Σ_I (A_ij − A*_ij)² = ½Σ_I (Ã_ij − Ã*_ij)²,
// and the minibatch loss is (N/b)·½Σ_B on rescaled entries = 1/(2b)·Σ_B on raw ones (model.ts).
// Noisy rescaled labels Ã* + √δ·z, z ~ N(0, 1), are raw labels A* + √(Nδ)·z: the raw-entry noise
// has standard deviation √(N·δ) (as linear2's raw labels carry √(n·δ)). Per step the gradient of
//   (N/b)·½Σ_B (Ã_f − Ã*_f − √δ z_f)²  is  (1/b)·Σ_B (A_f − A*_f − √(Nδ) z_f)·∇A_f,
// i.e. E_f = (e_f − √(Nδ)·z_f)/b. The noise moves θ by (η√(Nδ)/b)·Σ_B z_f ∇A_f, of covariance
// η²δ·(N/b²)·Σ_B ∇A_f∇A_fᵀ; full batch (b = N): η²δ·Σ_I ∇Ã_f∇Ã_fᵀ = η²δ·J̃ᵀJ̃ with J̃ the
// Jacobian of the rescaled predictions — the same law as linear2's √δ·Xᵀε term.
// SGF (resolveOptimizer): stepSize = h and δ_eff = ηδ/h, so the noise increment is √(ηδh)·Σ_I z_f ∇Ã_f,
// the Euler–Maruyama step of dθ = −∇L dt + √(ηδ)·J̃ᵀdB, dB ~ N(0, h) per entry (docs/theory.md §1, SGF).

import type { CompletionData } from './data';
import type { ModelSpec } from './spec';
import type { MetricValue, OptConfig, Stepper, StepperState } from './model';
import { drawBatch, RANK_TOL, SpecError } from './model';
import { matmul, numericalRank, singularValues } from './linalg';
import { Rng } from './rng';
import { balancedLayers, semiOrthogonal } from './init';
import { PRODUCTS_SIMD_MIN, ProductArrays } from './products';

/** a batch of b ≤ cols/SPARSE_E entries leaves at most b non-zero columns in E and in leftᵀE, so
 *  the gradient products with them as left factor stay scalar: linalg.ts matmul skips their zero
 *  terms, the gemm would not (SGD with batch 1 at 100×100: ~10⁴ operations instead of 10⁶) */
const SPARSE_E = 16;

function transposeInto(A: Float64Array, m: number, n: number, T: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}

export class DeepLinear implements Stepper {
  readonly L: number;
  readonly dims: number[]; // d_0 = cols, ..., d_L = rows
  W: Float64Array[];
  private readonly perm: Float64Array | null;
  private readonly E: Float64Array;
  /** the step's buffers, allocated once (in one Arena when SIMD is on: products.ts): right
   *  products R[i] = W_{i+1}⋯W_1 (R[0] = W_1 itself), A, two left products (ping-pong), LE = leftᵀE,
   *  Rᵀ, the gradients */
  private readonly pa: ProductArrays;
  private readonly R: Float64Array<ArrayBuffer>[];
  private readonly A: Float64Array<ArrayBuffer>;
  private readonly lefts: Float64Array<ArrayBuffer>[];
  private readonly LE: Float64Array<ArrayBuffer>;
  private readonly Rt: Float64Array<ArrayBuffer>;
  private readonly grads: Float64Array<ArrayBuffer>[];
  /** a record's imbalance: W_{m+1}ᵀW_{m+1}, W_mᵀ (transposed copy), W_mW_mᵀ */
  private readonly gram: Float64Array<ArrayBuffer>[];
  notes: string[] = [];

  constructor(
    readonly data: CompletionData,
    spec: Extract<ModelSpec, { kind: 'deep_linear' }>,
    readonly opt: OptConfig,
    init: Rng,
    readonly rng: Rng,
  ) {
    const { depth, width } = spec;
    if (!(Number.isInteger(depth) && depth >= 1)) throw new SpecError(`deep_linear: depth must be a positive integer (got ${depth})`);
    if (!(Number.isInteger(width) && width >= 1)) throw new SpecError(`deep_linear: width must be a positive integer (got ${width})`);
    this.L = depth;
    this.dims = [data.cols, ...Array(depth - 1).fill(width), data.rows];
    // W_1 first, row-major, iid N(0, scale²)
    let W0: Float64Array[] = [];
    if (spec.init.kind === 'balanced') W0 = balancedLayers(this.dims, spec.init.scale, init);
    else
      for (let m = 1; m <= depth; m++) {
        if (spec.init.kind === 'orthogonal') {
          W0.push(semiOrthogonal(this.dims[m], this.dims[m - 1], spec.init.scale, init));
          continue;
        }
        const w = new Float64Array(this.dims[m] * this.dims[m - 1]);
        for (let t = 0; t < w.length; t++) w[t] = spec.init.scale * init.gauss();
        W0.push(w);
      }
    this.perm = opt.batch === null ? null : Float64Array.from(data.observed);
    const { dims } = this;
    const { rows, cols } = data;
    const maxd = Math.max(...dims);
    const sizes = W0.map((w) => w.length);
    const rSizes = dims.slice(2, depth).map((d) => d * cols); // R[1..L−2]
    const lengths = [...sizes, ...rSizes, rows * cols, rows * cols, rows * maxd, rows * maxd, maxd * cols, cols * maxd, ...sizes, maxd * maxd, maxd * maxd, maxd * maxd];
    // no product of a step exceeds maxd³ multiply-adds: below the crossover, no Arena at all
    this.pa = new ProductArrays(lengths, maxd ** 3 >= PRODUCTS_SIMD_MIN);
    const arr = this.pa.arrays.slice();
    const W = arr.splice(0, depth);
    W.forEach((w, m) => w.set(W0[m]));
    this.W = W;
    this.R = [W[0], ...arr.splice(0, Math.max(0, depth - 2))];
    [this.A, this.E] = arr.splice(0, 2);
    this.lefts = arr.splice(0, 2);
    [this.LE, this.Rt] = arr.splice(0, 2);
    this.grads = arr.splice(0, depth);
    this.gram = arr.splice(0, 3);
  }

  /** whether the step's products can go through the SIMD gemm (tests, benches) */
  get kernels(): 'simd' | 'scalar' {
    return this.pa.arena ? 'simd' : 'scalar';
  }

  /** A = W_L ⋯ W_1 (rows×cols), a copy: the step's products (the same chain, R then A) */
  product(): Float64Array {
    const { L, W, dims, pa, R } = this;
    const cols = this.data.cols;
    if (L === 1) return Float64Array.from(W[0]);
    for (let m = 2; m < L; m++) pa.mm(W[m - 1], R[m - 2], dims[m], dims[m - 1], cols, R[m - 1]);
    return Float64Array.from(pa.mm(W[L - 1], R[L - 2], dims[L], dims[L - 1], cols, this.A));
  }

  step(): number {
    const { L, dims, W, data, opt, E, pa, R, lefts, LE, Rt, grads } = this;
    const { rows, cols } = data;
    // right products R_m = W_{m−1}⋯W_1 (d_{m−1}×cols) for m ≥ 2, here R[m − 2]; R_1 = I
    for (let m = 2; m < L; m++) pa.mm(W[m - 1], R[m - 2], dims[m], dims[m - 1], cols, R[m - 1]);
    const A = L === 1 ? W[0] : pa.mm(W[L - 1], R[L - 2], rows, dims[L - 1], cols, this.A);
    E.fill(0);
    let probe = 0;
    // raw-entry noise std √(N·δ), N = number of observed entries (header)
    const sd = Math.sqrt(data.observed.length * opt.delta);
    let idx: ArrayLike<number>, b: number;
    if (opt.batch === null) {
      idx = data.observed;
      b = idx.length;
    } else {
      b = opt.batch;
      const rng = this.rng;
      drawBatch(this.perm!, data.observed.length, b, () => rng.uniform());
      idx = this.perm!;
    }
    for (let s = 0; s < b; s++) {
      const f = idx[s];
      const e = A[f] - data.target[f];
      probe += e * e;
      E[f] = (opt.delta > 0 ? e - sd * this.rng.gauss() : e) / b;
    }
    probe *= 0.5 / b;
    const sparse = b * SPARSE_E <= cols;
    // left products, walking down from the top: left = W_L⋯W_{m+1} (rows×d_m)
    const dec = 1 - 2 * opt.stepSize * opt.wd;
    const gs: Float64Array[] = new Array(L);
    let left: Float64Array | null = null;
    let flip = 0;
    for (let m = L; m >= 1; m--) {
      const dm = dims[m], dp = dims[m - 1];
      // G_m = leftᵀ E R_mᵀ   (d_m × d_{m−1}); for m = 1, R_1 = I: G_1 = leftᵀE
      const LEm = left ? pa.mmTN(left, E, rows, dm, cols, m > 1 ? LE : grads[0]) : E; // d_m×cols
      if (m > 1) {
        transposeInto(R[m - 2], dp, cols, Rt);
        gs[m - 1] = sparse ? matmul(LEm, Rt, dm, cols, dp, grads[m - 1]) : pa.mm(LEm, Rt, dm, cols, dp, grads[m - 1]);
        // (at m = 1 the next left product would be unused)
        if (left) {
          left = pa.mm(left, W[m - 1], rows, dm, dp, lefts[flip]);
          flip ^= 1;
        } else left = W[m - 1];
      } else gs[0] = LEm;
    }
    for (let m = 0; m < L; m++) {
      const w = W[m], g = gs[m];
      for (let t = 0; t < w.length; t++) w[t] = dec * w[t] - opt.stepSize * g[t];
    }
    return probe;
  }

  loss(): number {
    const A = this.product();
    let s = 0;
    for (const f of this.data.observed) s += (A[f] - this.data.target[f]) ** 2;
    return (0.5 * s) / this.data.observed.length;
  }

  metrics(): Record<string, MetricValue> {
    const { data } = this;
    const A = this.product();
    let s = 0;
    for (const f of data.observed) s += (A[f] - data.target[f]) ** 2;
    const out: Record<string, MetricValue> = { loss: (0.5 * s) / data.observed.length };
    if (data.truth && data.missing.length > 0) {
      let t = 0;
      for (const f of data.missing) t += (A[f] - data.truth[f]) ** 2;
      t /= data.missing.length;
      out.test_loss = 0.5 * t;
      out.missing_error = Math.sqrt(t);
    }
    if (data.truth) {
      let d = 0;
      for (let f = 0; f < A.length; f++) d += (A[f] - data.truth[f]) ** 2;
      out.distance = Math.sqrt(d);
    }
    const sv = singularValues(A, data.rows, data.cols);
    out.sv_product = sv;
    if (sv.length >= 2) out.sv_ratio = sv[0] > 0 ? sv[1] / sv[0] : 0;
    out.rank = numericalRank(sv, RANK_TOL);
    // Σ_m ‖W_{m+1}ᵀW_{m+1} − W_m W_mᵀ‖²_F, square-rooted (balancedness, as in Wang & Jacot)
    let imb = 0;
    for (let m = 1; m < this.L; m++) {
      const dm = this.dims[m];
      const [G1, T, G2] = this.gram;
      const up = this.pa.mmTN(this.W[m], this.W[m], this.dims[m + 1], dm, dm, G1);
      const dn = this.pa.mm(this.W[m - 1], transposeInto(this.W[m - 1], dm, this.dims[m - 1], T), dm, this.dims[m - 1], dm, G2);
      for (let t = 0; t < dm * dm; t++) imb += (up[t] - dn[t]) ** 2;
    }
    if (this.L > 1) out.imbalance = Math.sqrt(imb);
    return out;
  }

  params(): Float64Array[] {
    return this.W;
  }

  getState(): StepperState {
    const arrays: Record<string, Float64Array> = {};
    this.W.forEach((w, m) => (arrays[`W${m + 1}`] = Float64Array.from(w)));
    if (this.perm) arrays.perm = Float64Array.from(this.perm);
    return { arrays, rng: this.rng.getState() };
  }

  setState(s: StepperState): void {
    this.W.forEach((w, m) => {
      const x = s.arrays[`W${m + 1}`];
      if (!x || x.length !== w.length) throw new SpecError('deep_linear: checkpoint parameters do not match the model shape');
      w.set(x);
    });
    if (this.perm && s.arrays.perm && s.arrays.perm.length === this.perm.length) this.perm.set(s.arrays.perm);
    this.rng.setState(s.rng);
  }

  theory(): Record<string, number> {
    return {};
  }
}
