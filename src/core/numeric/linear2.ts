// Two-layer linear network f(x) = W2ᵀW1ᵀx, W1 ∈ R^{p×l}, W2 ∈ R^{l×k} (Varre, Sagitova, Flammarion 2024).
//
// Layout: one buffer T = θᵀ ((p+k)×l, row-major) with rows 0..p−1 = W1's rows and rows p..p+k−1 =
// W2's columns, θ = [W1ᵀ | W2]. Then one step of GD / label-noise GD / Euler–Maruyama is exactly
// (docs/theory.md §2)  θ' = (1−2ηλ)θ + θA,  A = [[0, M], [Mᵀ, 0]],  M = ηR,  R = Xᵀ(Y + √δε − X W1W2):
//   row i < p:   T'[i]   = (1−2ηλ)T[i]   + Σ_c M[i,c]·T[p+c]     (W1 += ηRW2ᵀ)
//   row p + c:   T'[p+c] = (1−2ηλ)T[p+c] + Σ_i M[i,c]·T[i]       (W2 += ηW1ᵀR, old W1)
// both reading the old T (a second buffer: simultaneous update), 4·p·l·k flops.
//
// Full batch needs the data only through XᵀX, XᵀY (docs/theory.md §2): with P = W1W2 (via dot products
// of rows of T: Pᵀ[c,i] = ⟨T[p+c], T[i]⟩, 2plk flops), R = XᵀY − XᵀX·P + √δ·Xᵀε. The label-noise
// term Xᵀε has, per output column, the law N(0, XᵀX); 'cholesky' mode draws it as C·z with
// XᵀX = CCᵀ, z ~ N(0, I_p): exact in law, n-independent (p²k flops instead of npk). 'exact' mode
// draws ε (n×k) itself: needed when n ≤ p (XᵀX singular) and by the per-step determinant test,
// which must see the M of the actual draws. Minibatches go through the rows.

import type { RegressionData } from './data';
import type { ModelSpec } from './spec';
import type { MetricValue, OptConfig, Stepper, StepperState } from './model';
import { drawBatch, RANK_TOL, SpecError } from './model';
import { allFinite, cholesky, dot, transpose, JACOBI_MAX, logdetGramRows, lqFactor, lqRows, matmulTN, numericalRank, singularValues } from './linalg';
import { lowerDotsAdd, rowCombine, rowDots } from './kernels';
import { Arena } from './wasm/simd';
import { Rng } from './rng';
import { imbalanceRowSpace } from './imbalance';
import { descending } from './svdValues';
import { balancedLayers, semiOrthogonal } from './init';
import { linearModelLimit } from './stability';

export type NoiseMode = 'auto' | 'exact' | 'cholesky';

export interface Linear2Options {
  noiseMode?: NoiseMode;
  /** called after each step with M = ηR (p×k, row-major) of that step (tests) */
  onM?: (M: Float64Array) => void;
  /** the kernels: false scalar, true WebAssembly SIMD where the engine has it, unset by size
   *  (SIMD_MIN_PLK) and the process-wide switch (wasm/simd.ts). Same bits either way. */
  simd?: boolean;
}

/**
 * Below this many multiply-adds of θA per step (p·l·k) the scalar kernels run: the SIMD path's
 * per-step transposes, copies and calls do not pay there. Measured (steps per CPU second, SIMD /
 * scalar, full-batch label noise): p·l·k = 48: 0.68, 100: 0.75–0.96, 144–150: 0.92, 200:
 * 0.97–1.16, 1024: 1.5, 2400: 2.1, 8192: 2.9, 25000: 3.3. Both give the same bits, so the choice
 * is speed only.
 */
export const SIMD_MIN_PLK = 200;

/** numbers of data (n·(p + k)) a minibatch run copies into its Arena (64 MB) */
const MB_COPY_MAX = 8 << 20;

/** The SIMD path's buffers, all in one Arena (wasm/simd.ts); see Linear2.step. */
interface SimdBuffers {
  arena: Arena;
  kp: number; // k rounded up to even: P and W2 carry a zero column when k is odd, so the gemm
  // runs on whole f64x2 lanes (the lanes are separate outputs: the real columns' bits are unchanged)
  P: Float64Array; // p×kp, P = W1W2 (the gemm's output is contiguous along k)
  W2: Float64Array; // l×kp, W2 itself (T holds its columns as rows)
  XtXT: Float64Array; // p×p, (XᵀX)ᵀ: Gᵀ[c, ·] = Σ_j Pᵀ[c, j]·XᵀX[·, j] with contiguous rows
  LT: Float64Array | null; // p×p, Cᵀ (the Cholesky factor transposed), p ≥ 16
  mb: { X: Float64Array; Y: Float64Array; G: Float64Array | null; res: Float64Array } | null; // minibatches: the data, the draws
  lqW: Float64Array; // m×l column-major scratch: a record's LQ of θᵀ (kernels.wat lqApply)
  gk: { At: Float64Array; values(): Float64Array } | null;
  testXtXT: Float64Array | null; // filled with the test Gram statistics at the first record // σ(L11) (p×p): Golub–Kahan on At = L11ᵀ, all in kernels.wat gkValues
}

export class Linear2 implements Stepper {
  readonly p: number;
  readonly k: number;
  readonly l: number;
  readonly m: number; // p + k
  T: Float64Array;
  private T2: Float64Array;
  private readonly Pt: Float64Array; // k×p
  private readonly Gt: Float64Array; // k×p, (XᵀX P)ᵀ
  private readonly Mt: Float64Array; // k×p, (ηR)ᵀ
  private readonly Z: Float64Array; // k×p or n×k noise draws
  private readonly simd: SimdBuffers | null;
  /** which kernels the step runs (tests, benches) */
  get kernels(): 'simd' | 'scalar' {
    return this.simd ? 'simd' : 'scalar';
  }
  private readonly XtXt: Float64Array; // (XᵀY)ᵀ k×p
  private readonly chol: Float64Array | null;
  private readonly perm: Float64Array | null;
  private readonly resid: Float64Array; // k
  readonly mode: 'exact' | 'cholesky';
  notes: string[] = [];

  constructor(
    readonly data: RegressionData,
    spec: Extract<ModelSpec, { kind: 'linear2' }>,
    readonly opt: OptConfig,
    init: Rng,
    readonly rng: Rng,
    readonly options: Linear2Options = {},
  ) {
    const { p, k } = data;
    const l = spec.width;
    if (!(Number.isInteger(l) && l >= 1)) throw new SpecError(`linear2: width must be a positive integer (got ${l})`);
    if (!(spec.init.scale >= 0 && Number.isFinite(spec.init.scale))) throw new SpecError(`linear2: init scale must be ≥ 0`);
    this.p = p;
    this.k = k;
    this.l = l;
    this.m = p + k;
    const m = this.m;
    const want = options.noiseMode ?? 'auto';
    let chol: Float64Array | null = null;
    if (opt.delta > 0 && opt.batch === null && want !== 'exact' && (want === 'cholesky' || data.n > p)) chol = cholesky(data.XtX, p);
    if (want === 'cholesky' && opt.delta > 0 && !chol) throw new SpecError('linear2: XᵀX is not positive definite; cholesky noise mode impossible');
    this.chol = chol;
    this.mode = chol ? 'cholesky' : 'exact';
    const zLen = opt.batch === null ? (chol ? k * p : data.n * k) : k;
    // the SIMD path keeps every array its kernels touch in one Arena (null: scalar kernels);
    // minibatches copy the data into it up to MB_COPY_MAX numbers (beyond, their sum stays in JS)
    const mbCopy = opt.batch !== null && data.n * (p + k) <= MB_COPY_MAX;
    const kp = k + (k & 1);
    const lengths = [
      ...[m * l, m * l, k * p, k * p, k * p, zLen], // T, T2, Pt, Gt, Mt, Z
      ...[p * kp, l * kp, p * p, chol && p >= 16 ? p * p : 0], // SimdBuffers: P, W2, XtXT, LT
      // minibatches: X, Y, perm, the draws, the residuals
      ...(opt.batch === null ? [0, 0, 0, 0, 0] : [mbCopy ? data.n * p : 0, mbCopy ? data.n * k : 0, data.n, mbCopy && opt.delta > 0 ? opt.batch * k : 0, k]),
      m * l, // the records' LQ scratch
      ...[p * p, p, p, p], // σ(L11) by Golub–Kahan: L11ᵀ, e, work, s
      data.ntest > p ? p * p : 0, // the test set's XᵀX, transposed (its Gram-form loss by gemm)
    ];
    const useSimd = options.simd === true || (options.simd === undefined && p * l * k >= SIMD_MIN_PLK);
    const arena = useSimd ? Arena.create(lengths) : null;
    const A = arena?.arrays;
    // init: W1 then W2, iid N(0, scale²), drawn in the natural (row-major W1 p×l, W2 l×k) order
    this.T = A ? A[0] : new Float64Array(m * l);
    if (spec.init.kind === 'gaussian') {
      for (let i = 0; i < p; i++) for (let j = 0; j < l; j++) this.T[i * l + j] = spec.init.scale * init.gauss();
      for (let j = 0; j < l; j++) for (let c = 0; c < k; c++) this.T[(p + c) * l + j] = spec.init.scale * init.gauss();
    } else {
      // init.ts: W1 (p×l) and W2 (l×k), semi-orthogonal each, or balanced (W1ᵀW1 = W2W2ᵀ); in the
      // layer chain x ∈ ℝ^p → ℝ^l → ℝ^k the layers are W1ᵀ (l×p) and W2ᵀ (k×l)
      const [W1, W2] =
        spec.init.kind === 'orthogonal'
          ? [semiOrthogonal(p, l, spec.init.scale, init), semiOrthogonal(l, k, spec.init.scale, init)]
          : balancedLayers([p, l, k], spec.init.scale, init).map((W, m) => transpose(W, m === 0 ? l : k, m === 0 ? p : l));
      this.T.set(W1, 0);
      for (let j = 0; j < l; j++) for (let c = 0; c < k; c++) this.T[(p + c) * l + j] = W2[j * k + c];
    }
    this.T2 = A ? A[1] : new Float64Array(this.T.length);
    this.Pt = A ? A[2] : new Float64Array(k * p);
    this.Gt = A ? A[3] : new Float64Array(k * p);
    this.Mt = A ? A[4] : new Float64Array(k * p);
    this.XtXt = new Float64Array(k * p);
    for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) this.XtXt[c * p + i] = data.XtY[i * k + c];
    this.resid = new Float64Array(k);
    this.Z = A ? A[5] : new Float64Array(zLen);
    this.simd = null;
    if (arena && A) {
      A[8].set(transpose(data.XtX, p, p));
      const LT = chol && p >= 16 ? A[9] : null;
      if (LT) LT.set(transpose(chol!, p, p));
      let mb: SimdBuffers['mb'] = null;
      if (mbCopy) {
        A[10].set(data.X);
        A[11].set(data.Y);
        mb = { X: A[10], Y: A[11], G: opt.delta > 0 ? A[13] : null, res: A[14] };
      }
      const gk = p > JACOBI_MAX && p <= l ? { At: A[16], values: () => arena.gkValues(A[16], A[19], A[17], A[18], p, p) } : null;
      this.simd = { arena, kp, P: A[6], W2: A[7], XtXT: A[8], LT, mb, lqW: A[15], gk, testXtXT: data.ntest > p ? A[20] : null };
    }
    this.perm = opt.batch === null ? null : A ? A[12] : new Float64Array(data.n);
    if (this.perm) for (let i = 0; i < data.n; i++) this.perm[i] = i;
    if (l < this.m) this.notes.push(`logdet omitted: width ${l} < p + k = ${this.m}, so det(θᵀθ) = 0 for all time`);
  }

  /** this.Pt = (W1W2)ᵀ of the current state (the step's first product; metrics' P). SIMD:
   *  P = W1W2 in simd.P (p×kp) always, its transpose into Pt only when `transposed` */
  private productT(transposed = true): void {
    const { p, k, l, T, Pt, simd } = this;
    // Pᵀ[c, i] = ⟨W2[:, c], W1[i, :]⟩ = Σ_j W1[i, j]·W2[j, c], in order j = 0, 1, … on both paths:
    // SIMD as P = W1·W2 (lanes along c, from W2 laid out l×k), then transposed
    if (simd) {
      const { P, W2, kp } = simd;
      for (let c = 0; c < k; c++) {
        const o = (p + c) * l;
        for (let j = 0; j < l; j++) W2[j * kp + c] = T[o + j];
      }
      simd.arena.gemm(p, kp, l, T, 0, l, 1, W2, 0, kp, P, 0, kp);
      if (transposed) for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) Pt[c * p + i] = P[i * kp + c];
    } else rowDots(T, p * l, k, T, 0, p, l, Pt, p);
  }

  step(): number {
    const { p, k, l, T, T2, Pt, Gt, Mt, XtXt, data, opt, simd } = this;
    // full batch with SIMD reads P (p×kp) itself, strided, instead of a transposed copy
    this.productT(!(simd && opt.batch === null));
    let probe: number;
    const eta = opt.stepSize;
    if (opt.batch === null) {
      // Gᵀ = (XᵀX P)ᵀ, XᵀX symmetric: Gᵀ[c, i] = Σ_j Pᵀ[c, j]·XᵀX[i, j], in order j (both paths)
      if (simd) simd.arena.gemm(k, p, p, simd.P, 0, 1, simd.kp, simd.XtXT, 0, p, Gt, 0, p);
      else rowDots(Pt, 0, k, data.XtX, 0, p, p, Gt, p);
      // loss at the current state: ½(‖Y‖² − 2⟨P, XᵀY⟩ + ⟨P, XᵀXP⟩): a cheap divergence probe
      // (not used for recording: it cancels catastrophically near zero loss); t = c·p + i in
      // order on both paths (Pᵀ[t] = P[i·kp + c])
      let py = 0, pg = 0;
      if (simd) {
        const P = simd.P, kp = simd.kp;
        for (let c = 0, t = 0; c < k; c++)
          for (let i = 0; i < p; i++, t++) {
            const x = P[i * kp + c];
            py += x * XtXt[t];
            pg += x * Gt[t];
            Mt[t] = XtXt[t] - Gt[t];
          }
      } else
        for (let t = 0; t < k * p; t++) {
          py += Pt[t] * XtXt[t];
          pg += Pt[t] * Gt[t];
          Mt[t] = XtXt[t] - Gt[t];
        }
      probe = 0.5 * (data.yy - 2 * py + pg);
      if (opt.delta > 0) {
        const sd = Math.sqrt(opt.delta);
        const Z = this.Z, rng = this.rng;
        if (this.chol) {
          const C = this.chol;
          // the draws: in WebAssembly when SIMD is on (the same stream, bit for bit: ~3× faster)
          if (simd) simd.arena.gaussFill(rng, Z, 0, k * p);
          else for (let t = 0; t < k * p; t++) Z[t] = rng.gauss();
          // blocked kernel from p = 16 (measured 2.3× at p = 50, 100); below, the dot loop was faster
          if (p >= 16) {
            // Mᵀ[c, i] += √δ·Σ_{j≤i} Z[c, j]·C[i, j] (SIMD: lanes along i, from Cᵀ)
            if (simd?.LT) simd.arena.gemm(k, p, p, Z, 0, p, 1, simd.LT, 0, p, Mt, 0, p, { f: sd, tri: true });
            else lowerDotsAdd(Z, k, C, p, sd, Mt);
          }
          else
            for (let c = 0; c < k; c++)
              for (let i = 0; i < p; i++) Mt[c * p + i] += sd * dot(C, i * p, Z, c * p, i + 1);
        } else {
          const n = data.n, X = data.X;
          if (simd) simd.arena.gaussFill(rng, Z, 0, n * k);
          else for (let t = 0; t < n * k; t++) Z[t] = rng.gauss();
          // (Xᵀε)ᵀ[c, i] = Σ_r ε[r, c] X[r, i]
          for (let r = 0; r < n; r++)
            for (let c = 0; c < k; c++) {
              const e = sd * Z[r * k + c];
              const xr = r * p, mc = c * p;
              for (let i = 0; i < p; i++) Mt[mc + i] += e * X[xr + i];
            }
        }
      }
    } else {
      // minibatch: R = (n/b)·Σ_{r∈B} x_r (y_r + √δ ε_r − P ᵀx_r)ᵀ
      const b = opt.batch, n = data.n, X = data.X, Y = data.Y, perm = this.perm!, rng = this.rng, res = this.resid;
      drawBatch(perm, n, b, () => rng.uniform());
      Mt.fill(0);
      const sd = Math.sqrt(opt.delta);
      let bl = 0;
      if (simd?.mb) {
        // the same sums in WebAssembly (kernels.wat mbAccumulate), the noise drawn first: the
        // scalar loop draws nothing else in between, so the stream and the values are the same
        const { mb } = simd;
        if (mb.G) simd.arena.gaussFill(rng, mb.G, 0, b * k);
        bl = simd.arena.mbAccumulate(mb.X, mb.Y, perm, b, p, k, Pt, Mt, mb.G, sd, mb.res);
      } else for (let s = 0; s < b; s++) {
        const r = perm[s];
        for (let c = 0; c < k; c++) {
          const e = Y[r * k + c] - dot(X, r * p, Pt, c * p, p);
          bl += e * e;
          res[c] = opt.delta > 0 ? e + sd * rng.gauss() : e;
        }
        for (let c = 0; c < k; c++) {
          const e = res[c], mc = c * p, xr = r * p;
          for (let i = 0; i < p; i++) Mt[mc + i] += e * X[xr + i];
        }
      }
      const sc = n / b;
      probe = 0.5 * sc * bl;
      for (let t = 0; t < k * p; t++) Mt[t] *= sc;
    }
    for (let t = 0; t < k * p; t++) Mt[t] *= eta;
    if (this.options.onM) {
      const M = new Float64Array(p * k);
      for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) M[i * k + c] = Mt[c * p + i];
      this.options.onM(M);
    }
    // θ' = (1 − 2ηλ)θ + θA (see header): W1 rows from old W2 columns, W2 columns from old W1 rows
    const d = 1 - 2 * eta * opt.wd;
    if (simd) {
      simd.arena.rowCombine(T2, 0, T, 0, p, d, Mt, 1, p, T, p * l, k, l);
      simd.arena.rowCombine(T2, p * l, T, p * l, k, d, Mt, p, 1, T, 0, p, l);
    } else {
      rowCombine(T2, 0, T, 0, p, d, Mt, 1, p, T, p * l, k, l);
      rowCombine(T2, p * l, T, p * l, k, d, Mt, p, 1, T, 0, p, l);
    }
    this.T = T2;
    this.T2 = T;
    return probe;
  }

  /** P = W1W2 (p×k, row-major), by the step's kernel (SIMD when on; each entry summed in one
   *  order on both paths). Pt is scratch that a step recomputes first. */
  product(): Float64Array {
    this.productT();
    return transpose(this.Pt, this.k, this.p);
  }

  /**
   * ½‖Y − XP‖² from the Gram statistics, ½(‖Y‖² − 2⟨P, XᵀY⟩ + ⟨P, XᵀXP⟩): O(p²k) instead of
   * O(npk). It cancels when the loss is small against ‖Y‖²: its absolute error is ≈ ε·‖Y‖², so
   * it is used only while loss > 1e-4·‖Y‖² (relative error ≤ ~1e-11); below, the direct sum.
   */
  private lossFast(X: Float64Array, Y: Float64Array, rows: number, P: Float64Array, g: { XtX: Float64Array; XtY: Float64Array; yy: number }, XtXT: Float64Array | null): number {
    const { p, k, simd } = this;
    const XtX = g.XtX, XtY = g.XtY;
    if (simd && XtXT) {
      // (XᵀX P)ᵀ by the step's gemm on simd.P (this P, which product() just formed): entry
      // [c, i] = Σ_j P[j, c]·XᵀX[i, j] from +0 in order j, the loop's sum below (× commutes);
      // Gt is step scratch (each step forms it before reading it)
      const Gt = this.Gt;
      simd.arena.gemm(k, p, p, simd.P, 0, 1, simd.kp, XtXT, 0, p, Gt, 0, p);
      let py = 0, pg = 0;
      for (let i = 0; i < p; i++)
        for (let c = 0, o = i * k; c < k; c++) {
          py += P[o + c] * XtY[o + c];
          pg += P[o + c] * Gt[c * p + i];
        }
      const cheap = 0.5 * (g.yy - 2 * py + pg);
      return cheap > 1e-4 * g.yy ? cheap : this.lossOn(X, Y, rows, P);
    }
    // s_c = Σ_j XᵀX[i, j]·P[j, c] (from +0, j ascending) for four columns c side by side: each
    // sum keeps its own order (the same bits as one at a time), four add chains overlap; py and
    // pg still take their terms in order (i, c)
    let py = 0, pg = 0;
    for (let i = 0; i < p; i++) {
      const ri = i * p, o = i * k;
      let c = 0;
      for (; c + 3 < k; c += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < p; j++) {
          const x = XtX[ri + j], pj = j * k + c;
          s0 += x * P[pj];
          s1 += x * P[pj + 1];
          s2 += x * P[pj + 2];
          s3 += x * P[pj + 3];
        }
        py += P[o + c] * XtY[o + c];
        pg += P[o + c] * s0;
        py += P[o + c + 1] * XtY[o + c + 1];
        pg += P[o + c + 1] * s1;
        py += P[o + c + 2] * XtY[o + c + 2];
        pg += P[o + c + 2] * s2;
        py += P[o + c + 3] * XtY[o + c + 3];
        pg += P[o + c + 3] * s3;
      }
      for (; c < k; c++) {
        py += P[o + c] * XtY[o + c];
        let s = 0;
        for (let j = 0; j < p; j++) s += XtX[ri + j] * P[j * k + c];
        pg += P[o + c] * s;
      }
    }
    const cheap = 0.5 * (g.yy - 2 * py + pg);
    return cheap > 1e-4 * g.yy ? cheap : this.lossOn(X, Y, rows, P);
  }

  private testGram: { XtX: Float64Array; XtY: Float64Array; yy: number } | null = null;

  private lossOn(X: Float64Array, Y: Float64Array, rows: number, P: Float64Array): number {
    const { p, k } = this;
    let s = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < k; c++) {
        let f = 0;
        for (let i = 0; i < p; i++) f += X[r * p + i] * P[i * k + c];
        const e = Y[r * k + c] - f;
        s += e * e;
      }
    return 0.5 * s;
  }

  loss(): number {
    return this.lossOn(this.data.X, this.data.Y, this.data.n, this.product());
  }

  /** log det(θᵀθ) by QR of θ (robust; linalg.logdetGramRows) */
  logdet(): number {
    return logdetGramRows(this.T, this.m, this.l);
  }

  private recL: Float64Array | null = null;
  /** a record's LQ factor: one buffer per model, reused (zeroed by lqFactor) */
  private recordL(len: number): Float64Array {
    if (this.recL?.length !== len) this.recL = new Float64Array(len);
    return this.recL;
  }

  /** lqRows of θᵀ's first `rows` rows (rows ≤ l), in WebAssembly when SIMD is on (the same bits) */
  private lq(rows: number, L: Float64Array): number {
    const { T, l, simd } = this;
    if (!simd) return lqRows(T, rows, l, L);
    // column-major copy: rows i, i+1 neighbours, so a lane pair is two rows' own sums
    const W = simd.lqW;
    // four rows per pass: four contiguous writes per t instead of one strided one
    let i = 0;
    for (; i + 3 < rows; i += 4) {
      const r0 = i * l, r1 = r0 + l, r2 = r1 + l, r3 = r2 + l;
      for (let t = 0, o = i; t < l; t++, o += rows) {
        W[o] = T[r0 + t];
        W[o + 1] = T[r1 + t];
        W[o + 2] = T[r2 + t];
        W[o + 3] = T[r3 + t];
      }
    }
    for (; i < rows; i++) for (let t = 0; t < l; t++) W[t * rows + i] = T[i * l + t];
    return lqFactor(W, 1, rows, rows, l, L, (j, vtv) => simd.arena.lqApply(W, rows, l, j, vtv));
  }

  metrics(): Record<string, MetricValue> {
    const { p, k, l, m, T, data } = this;
    const P = this.product();
    const out: Record<string, MetricValue> = {};
    out.loss = data.n > p ? this.lossFast(data.X, data.Y, data.n, P, data, this.simd?.XtXT ?? null) : this.lossOn(data.X, data.Y, data.n, P);
    if (data.ntest > 0) {
      if (data.ntest > p && !this.testGram) {
        let yy = 0;
        for (const y of data.Ytest) yy += y * y;
        this.testGram = { XtX: matmulTN(data.Xtest, data.Xtest, data.ntest, p, p), XtY: matmulTN(data.Xtest, data.Ytest, data.ntest, p, k), yy };
        this.simd?.testXtXT?.set(transpose(this.testGram.XtX, p, p));
      }
      out.test_loss = this.testGram ? this.lossFast(data.Xtest, data.Ytest, data.ntest, P, this.testGram, this.simd?.testXtXT ?? null) : this.lossOn(data.Xtest, data.Ytest, data.ntest, P);
    }
    // σ(W1) from the p×p leading block of the LQ factor of θᵀ (the log det's QR, reused;
    // W1 = L11·Q1, so σ(W1) = σ(L11)): a p×p SVD instead of p×l (up to JACOBI_MAX rows one-sided
    // Jacobi, whose relative accuracy survives: the LQ is row-wise backward stable, so L11's rows
    // carry W1's row scaling). Above JACOBI_MAX the LQ is done for σ(W1) alone when l < p + k.
    // The same factor serves the imbalance when its cheap form cancels (no second LQ).
    let sv1: number[] | null = null;
    const useL = p <= l && (p > JACOBI_MAX || l >= m);
    const Lf = useL || l > m ? this.recordL(l >= m ? m * m : p * p) : null;
    if (l >= m) out.logdet = Lf ? this.lq(m, Lf) : this.logdet();
    else if (Lf) this.lq(p, Lf);
    if (Lf && useL) {
      const st = l >= m ? m : p;
      const gk = this.simd?.gk;
      if (gk) {
        // singularValues(L11, p, p) in WebAssembly (the same bits): golubKahanValuesT on L11ᵀ,
        // written straight from Lf (row j of L11ᵀ = column j of L11, zero above the diagonal)
        const At = gk.At;
        for (let j = 0; j < p; j++) {
          const rj = j * p;
          for (let i = 0; i < j; i++) At[rj + i] = 0;
          for (let i = j; i < p; i++) At[rj + i] = Lf[i * st + j];
        }
        if (allFinite(At)) sv1 = descending(gk.values());
      } else {
        const L11 = new Float64Array(p * p);
        for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) L11[i * p + j] = Lf[i * st + j];
        if (allFinite(L11)) sv1 = singularValues(L11, p, p);
      }
    }
    if (!sv1) sv1 = singularValues(T.subarray(0, p * l), p, l);
    out.sv_W1 = sv1;
    const sv2 = singularValues(T.subarray(p * l), k, l);
    out.sv_W2 = sv2;
    const svp = singularValues(P, p, k);
    out.sv_product = svp;
    if (svp.length >= 2) out.sv_ratio = svp[0] > 0 ? svp[1] / svp[0] : 0;
    out.imbalance = this.imbalance(P, sv1, sv2, l > m ? Lf : null);
    if (data.U) {
      let s = 0;
      for (let t = 0; t < p * k; t++) s += (P[t] - data.U[t]) ** 2;
      out.distance = Math.sqrt(s);
    }
    // numerical rank of W1: the quantity label noise lowers (Varre et al.)
    out.rank = numericalRank(sv1, RANK_TOL);
    return out;
  }

  /** ‖W1ᵀW1 − W2W2ᵀ‖_F (balancedness Δ, conserved by gradient flow). */
  imbalance(P = this.product(), sv1?: number[], sv2?: number[], L: Float64Array | null = null): number {
    const { p, k, l, T } = this;
    // ‖A − B‖² = ‖A‖² + ‖B‖² − 2⟨A, B⟩ with A = W1ᵀW1, B = W2W2ᵀ: ‖A‖ = ‖W1W1ᵀ‖ (p×p),
    // ‖B‖ = ‖W2ᵀW2‖ (k×k), ⟨A, B⟩ = ‖W1W2‖². Cheap, but cancels when Δ ≪ ‖A‖: then form Δ in
    // the (p+k)-dimensional row space of θᵀ.
    // Given the singular values (metrics), ‖A‖² = Σσ(W1)⁴, ‖B‖² = Σσ(W2)⁴ (no p²l Gram).
    const sum4 = (sv: number[]) => {
      let s = 0;
      for (const x of sv) s += x * x * (x * x);
      return s;
    };
    const gram = (o: number, r: number) => {
      let s = 0;
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) {
          const g = dot(T, (o + i) * l, T, (o + j) * l, l);
          s += g * g;
        }
      return s;
    };
    const a2 = sv1 ? sum4(sv1) : gram(0, p), b2 = sv2 ? sum4(sv2) : gram(p, k);
    let ab = 0;
    for (let t = 0; t < P.length; t++) ab += P[t] * P[t];
    const d2 = a2 + b2 - 2 * ab;
    if (d2 > 1e-6 * (a2 + b2)) return Math.sqrt(d2);
    // cancelling or not finite: Δ's norm from the LQ factor of θᵀ, O(l·(p+k)²) (imbalance.ts)
    return imbalanceRowSpace(T, p, k, l, L);
  }

  params(): Float64Array[] {
    return [this.T];
  }

  getState(): StepperState {
    const arrays: Record<string, Float64Array> = { theta: this.T.slice() }; // (slice: a memcpy; from() iterates)
    if (this.perm) arrays.perm = Float64Array.from(this.perm);
    return { arrays, rng: this.rng.getState() };
  }

  setState(s: StepperState): void {
    const th = s.arrays.theta;
    if (!th || th.length !== this.T.length) throw new SpecError('linear2: checkpoint parameters do not match the model shape');
    this.T.set(th);
    if (this.perm && s.arrays.perm && s.arrays.perm.length === this.perm.length) this.perm.set(s.arrays.perm);
    this.rng.setState(s.rng);
  }

  theory(): Record<string, number> {
    const { opt, data, l, m } = this;
    // full-batch GD: the limit of the linear model part, drawn on final(…, x = lr, theory = true)
    const limit = opt.wd === 0 ? linearModelLimit(data, opt) : {};
    if (opt.wd !== 0 || opt.batch !== null || l < m) return limit;
    // Theorem 4.2 (SGF): d log det(θᵀθ)/dt = −2ηδ·k·tr(XᵀX); per step of size h: ×h.
    // GD (δ = 0): gradient flow conserves det; discrete GD lowers log det by ≈ 2η²‖R‖²_F per step (docs/theory.md §3).
    // Under a stepsize schedule the rate per step is −2η_t²δ·k·tr(XᵀX): the line is drawn against
    // Σ_{u<t} η_u² (the run records it as lr_sq_sum), with this coefficient per unit of η².
    if (opt.schedule) return { logdet_rate_per_lr2: -2 * opt.sdeDelta * data.k * data.trXtX || 0, trace_XtX: data.trXtX };
    const perTime = -2 * opt.eta * opt.sdeDelta * data.k * data.trXtX || 0; // (no −0 for GD)
    return { logdet_rate_per_time: perTime, logdet_rate_per_step: perTime * opt.timePerStep, trace_XtX: data.trXtX, ...limit };
  }
}
