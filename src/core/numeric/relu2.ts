// One-hidden-layer ReLU network f(x) = Σⱼ aⱼ relu(wⱼᵀx) (Varre et al. §7), W ∈ R^{m×p}, a ∈ R^{m×k}.
// On rescaled data (x̃ = x/√n) f(x̃) = f(x)/√n by positive homogeneity, so L = ½‖Ỹ − f(X̃)‖² is
// the raw mean-squared loss. With H = X̃Wᵀ, S = relu(H), E = S·a − Ỹ (label noise: Ỹ + √δε):
//   ∇_a L = SᵀE,   ∇_W L = ((E aᵀ) ⊙ 1[H > 0])ᵀ X̃.

import type { RegressionData } from './data';
import type { ModelSpec } from './spec';
import type { MetricValue, OptConfig, Stepper, StepperState } from './model';
import { drawBatch, SpecError } from './model';
import { singularValues } from './linalg';
import { Rng } from './rng';
import { semiOrthogonal } from './init';
import { linearModelLimit } from './stability';
import { allFinite } from './linalg';
import { ProductArrays } from './products';
import { simdAvailable } from './wasm/simd';
import { Relu2Record, relu2RecordLengths } from './relu2Record';

/** rows·width·p from which the step's products go through the gemm: measured per step (SIMD /
 *  scalar, same process) 0.86–0.90× at 64–75, 1.27× at 192, 2.0× at 640, 2.6× at (n, p, width) =
 *  (200, 5, 10), 10–11× at (1000, 50, 200); the per-sample work around the products stays scalar */
export const RELU2_SIMD_MIN = 128;

/** samples per gemm of a minibatch model's recorded loss (bounds its buffers to width·LOSS_CHUNK) */
const LOSS_CHUNK = 256;
/** the routed buffers' cap: beyond it (full batch: 16·n·(p + width) bytes) the model stays scalar */
const RELU2_MAX_BYTES = 256 * 2 ** 20;

/** The routed step's buffers (one Arena; products.ts): the two products of the step,
 *  Hᵀ = W·X̃ᵀ (m×rows) and ∇_W = EAᵀ·X̃ (m×p), EA[r, j] = (E aᵀ)[r, j] on active units, 0 elsewhere.
 *  Full batch: bX = X (n×p) and bXt = Xᵀ copied once, and the loss uses the step's buffers
 *  (lXt = bXt, lHt = bHt, chunk n). Minibatch: the batch's rows gathered into bX and bXt each
 *  step; the loss gathers chunks of LOSS_CHUNK samples into lXt (p×chunk), Hᵀ into lHt. */
interface Routed {
  pa: ProductArrays;
  bX: Float64Array;
  bXt: Float64Array;
  bHt: Float64Array;
  EA: Float64Array;
  lXt: Float64Array;
  lHt: Float64Array;
  chunk: number;
  /** the record's loss and σ(W) on the arena (relu2Record.ts) */
  rec: Relu2Record;
}

export class Relu2 implements Stepper {
  readonly width: number;
  W: Float64Array; // m×p
  a: Float64Array; // m×k
  private readonly gW: Float64Array;
  private readonly ga: Float64Array;
  private readonly h: Float64Array;
  private readonly e: Float64Array;
  private readonly perm: Float64Array | null;
  private readonly routed: Routed | null;
  notes: string[] = [];

  constructor(
    readonly data: RegressionData,
    spec: Extract<ModelSpec, { kind: 'relu2' }>,
    readonly opt: OptConfig,
    init: Rng,
    readonly rng: Rng,
  ) {
    const m = spec.width;
    if (!(Number.isInteger(m) && m >= 1)) throw new SpecError(`relu2: width must be a positive integer (got ${m})`);
    this.width = m;
    const { p, k } = data;
    // the step's two products through the SIMD gemm (products.ts) when large enough; their
    // right factor is the data, so it must be finite for the bits to agree (checked once)
    const n = data.n;
    const rows = opt.batch ?? n;
    const chunk = opt.batch === null ? n : Math.min(n, LOSS_CHUNK);
    const lengths = [m * p, m * p, rows * p, p * rows, m * rows, rows * m, ...(opt.batch === null ? [0, 0] : [p * chunk, m * chunk]), ...relu2RecordLengths(m, p, k, chunk)];
    const bytes = 8 * lengths.reduce((t, x) => t + x, 0);
    const pa = rows * m * p >= RELU2_SIMD_MIN && bytes <= RELU2_MAX_BYTES && simdAvailable() && allFinite(data.X) ? new ProductArrays(lengths, true) : null;
    const W = pa?.arena ? pa.arrays[0] : new Float64Array(m * p);
    if (pa?.arena) {
      const [, gW, bX, bXt, bHt, EA, cXt, cHt, ...recArrays] = pa.arrays;
      const [lXt, lHt] = opt.batch === null ? [bXt, bHt] : [cXt, cHt];
      this.routed = { pa, bX, bXt, bHt, EA, lXt, lHt, chunk, rec: new Relu2Record(pa.arena, m, p, k, recArrays) };
      this.gW = gW;
      if (opt.batch === null) {
        bX.set(data.X.subarray(0, n * p));
        for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) bXt[i * n + r] = data.X[r * p + i];
      }
    } else {
      this.routed = null;
      this.gW = new Float64Array(m * p);
    }
    if (spec.init.kind === 'gaussian') {
      this.W = init.fillGauss(W, spec.init.scale);
      this.a = init.fillGauss(new Float64Array(m * k), spec.init.scale);
    } else if (spec.init.kind === 'orthogonal') {
      this.W = W;
      W.set(semiOrthogonal(m, p, spec.init.scale, init));
      this.a = semiOrthogonal(m, k, spec.init.scale, init);
    } else {
      // W1ᵀW1 = W2W2ᵀ is not conserved by a ReLU network's gradient flow (only the per-neuron
      // ‖wⱼ‖² − ‖aⱼ‖² are): the checker refuses balanced(…) here
      throw new SpecError('relu2: balanced(…) is for linear networks (linear2, deep_linear)');
    }
    this.ga = new Float64Array(m * k);
    this.h = new Float64Array(m);
    this.e = new Float64Array(k);
    this.perm = opt.batch === null ? null : Float64Array.from({ length: data.n }, (_, i) => i);
  }

  /** adds sample `row`'s gradient contribution (scaled) and returns its squared error */
  private accumulate(X: Float64Array, Y: Float64Array, row: number, scale: number, sd: number): number {
    const { width: m, W, a, h, e, gW, ga } = this;
    const { p, k } = this.data;
    const xo = row * p;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += W[j * p + i] * X[xo + i];
      h[j] = s;
    }
    let sq = 0;
    for (let c = 0; c < k; c++) {
      let f = 0;
      for (let j = 0; j < m; j++) if (h[j] > 0) f += a[j * k + c] * h[j];
      const err = f - Y[row * k + c];
      sq += err * err;
      e[c] = (sd > 0 ? err - sd * this.rng.gauss() : err) * scale;
    }
    for (let j = 0; j < m; j++) {
      if (!(h[j] > 0)) continue;
      let ea = 0;
      for (let c = 0; c < k; c++) {
        ga[j * k + c] += e[c] * h[j];
        ea += e[c] * a[j * k + c];
      }
      for (let i = 0; i < p; i++) gW[j * p + i] += ea * X[xo + i];
    }
    return sq;
  }

  /** whether the step's products go through the SIMD gemm (tests, benches) */
  get kernels(): 'simd' | 'scalar' {
    return this.routed ? 'simd' : 'scalar';
  }

  /**
   * accumulate() for the `rows` samples of the step at once, the same operations in the same
   * order per output: hⱼ = Σᵢ Wⱼᵢxᵢ (i = 0, 1, … from +0) is row r of H = X̃·Wᵀ, taken from the
   * gemm's Hᵀ = W·X̃ᵀ; the residuals, the noise draws (same order: sample by sample, output by
   * output), ga and ea as there; ∇_W[j, i] = Σ_r ea_rj·x_ri over r in order from +0 is the
   * gemm EAᵀ·X̃, where an inactive unit's 0·x_ri = ±0 leaves the sum as accumulate()'s skip does
   * (x finite, checked). Returns Σ of the samples' squared errors, summed in sample order.
   */
  private accumulateRouted(R: Routed, rowOf: (s: number) => number, rows: number, scale: number, sd: number): number {
    const { width: m, W, a, e, gW, ga } = this;
    const { p, k, X, Y } = this.data;
    const { pa, EA } = R;
    const Xr = R.bX, Xt = R.bXt, Ht = R.bHt;
    if (this.perm) {
      // the batch's rows, gathered (and transposed) into the arena
      for (let s = 0; s < rows; s++) {
        const xo = rowOf(s) * p;
        for (let i = 0; i < p; i++) {
          const x = X[xo + i];
          Xr[s * p + i] = x;
          Xt[i * rows + s] = x;
        }
      }
    }
    const ar = pa.arena!;
    ar.gemm(m, rows, p, W, 0, p, 1, Xt, 0, rows, Ht, 0, rows);
    let probe = 0;
    for (let s = 0; s < rows; s++) {
      const row = rowOf(s);
      let sq = 0;
      for (let c = 0; c < k; c++) {
        let f = 0;
        for (let j = 0; j < m; j++) {
          const h = Ht[j * rows + s];
          if (h > 0) f += a[j * k + c] * h;
        }
        const err = f - Y[row * k + c];
        sq += err * err;
        e[c] = (sd > 0 ? err - sd * this.rng.gauss() : err) * scale;
      }
      for (let j = 0; j < m; j++) {
        const h = Ht[j * rows + s];
        if (!(h > 0)) {
          EA[s * m + j] = 0;
          continue;
        }
        let ea = 0;
        for (let c = 0; c < k; c++) {
          ga[j * k + c] += e[c] * h;
          ea += e[c] * a[j * k + c];
        }
        EA[s * m + j] = ea;
      }
      probe += sq;
    }
    ar.gemm(m, p, rows, EA, 0, 1, m, Xr, 0, p, gW, 0, p);
    return probe;
  }

  step(): number {
    const { data, opt, W, a, gW, ga, routed } = this;
    gW.fill(0);
    ga.fill(0);
    const sd = Math.sqrt(opt.delta);
    let probe = 0;
    if (routed) {
      if (opt.batch === null) probe = this.accumulateRouted(routed, (s) => s, data.n, 1, sd) * 0.5;
      else {
        const b = opt.batch, rng = this.rng, perm = this.perm!;
        drawBatch(perm, data.n, b, () => rng.uniform());
        const sc = data.n / b;
        probe = this.accumulateRouted(routed, (s) => perm[s], b, sc, sd) * (0.5 * sc);
      }
    } else if (opt.batch === null) {
      for (let r = 0; r < data.n; r++) probe += this.accumulate(data.X, data.Y, r, 1, sd);
      probe *= 0.5;
    } else {
      const b = opt.batch, rng = this.rng;
      drawBatch(this.perm!, data.n, b, () => rng.uniform());
      const sc = data.n / b;
      for (let s = 0; s < b; s++) probe += this.accumulate(data.X, data.Y, this.perm![s], sc, sd);
      probe *= 0.5 * sc;
    }
    const dec = 1 - 2 * opt.stepSize * opt.wd;
    for (let t = 0; t < W.length; t++) W[t] = dec * W[t] - opt.stepSize * gW[t];
    for (let t = 0; t < a.length; t++) a[t] = dec * a[t] - opt.stepSize * ga[t];
    return probe;
  }

  private lossOn(X: Float64Array, Y: Float64Array, rows: number): number {
    const { width: m, W, a } = this;
    const { p, k } = this.data;
    let s = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < k; c++) {
        let f = 0;
        for (let j = 0; j < m; j++) {
          let hj = 0;
          for (let i = 0; i < p; i++) hj += W[j * p + i] * X[r * p + i];
          if (hj > 0) f += a[j * k + c] * hj;
        }
        s += (Y[r * k + c] - f) ** 2;
      }
    return 0.5 * s;
  }

  loss(): number {
    return this.routed ? this.lossRouted(this.routed) : this.lossOn(this.data.X, this.data.Y, this.data.n);
  }

  /** lossOn(X, Y, n) with its hⱼ from the gemm's Hᵀ = W·Xᵀ (each the same sum in the same order;
   *  the rest as there): a record's loss was ~3× a step at (n, p, width) = (1000, 50, 200) */
  private lossRouted(R: Routed): number {
    const { width: m, W, a, perm } = this;
    const { n, p, k, X, Y } = this.data;
    const { lXt: Xt, lHt: Ht } = R;
    // the gemm form of the sum over units (relu2Record.ts: the same bits) when a is finite
    const fast = R.rec.prepare(a);
    let s = 0;
    for (let r0 = 0; r0 < n; r0 += R.chunk) {
      const cn = Math.min(R.chunk, n - r0);
      // (full batch: Xᵀ is already there, and cn = n)
      if (perm) for (let r = 0; r < cn; r++) for (let i = 0; i < p; i++) Xt[i * cn + r] = X[(r0 + r) * p + i];
      R.pa.arena!.gemm(m, cn, p, W, 0, p, 1, Xt, 0, cn, Ht, 0, cn);
      if (fast) {
        s = R.rec.chunkSum(Ht, cn, Y, r0, s);
        continue;
      }
      for (let r = 0; r < cn; r++)
        for (let c = 0; c < k; c++) {
          let f = 0;
          for (let j = 0; j < m; j++) {
            const hj = Ht[j * cn + r];
            if (hj > 0) f += a[j * k + c] * hj;
          }
          s += (Y[(r0 + r) * k + c] - f) ** 2;
        }
    }
    return 0.5 * s;
  }

  /** each neuron's largest |cos| with a teacher direction */
  alignment(): number[] {
    const { width: m, W, data } = this;
    const p = data.p;
    const out: number[] = [];
    for (let j = 0; j < m; j++) {
      let nw = 0;
      for (let i = 0; i < p; i++) nw += W[j * p + i] ** 2;
      nw = Math.sqrt(nw);
      let best = 0;
      for (let t = 0; t < data.ndirections; t++) {
        let c = 0;
        for (let i = 0; i < p; i++) c += W[j * p + i] * data.directions[t * p + i];
        best = Math.max(best, nw > 0 ? Math.abs(c) / nw : 0);
      }
      out.push(best);
    }
    return out;
  }

  metrics(): Record<string, MetricValue> {
    const data = this.data;
    const out: Record<string, MetricValue> = { loss: this.loss() };
    if (data.ntest > 0) out.test_loss = this.lossOn(data.Xtest, data.Ytest, data.ntest);
    out.alignment = this.alignment();
    out.sv_W1 = this.routed ? this.routed.rec.singularValues(this.W) : singularValues(this.W, this.width, data.p);
    return out;
  }

  params(): Float64Array[] {
    return [this.W, this.a];
  }

  getState(): StepperState {
    const arrays: Record<string, Float64Array> = { W: Float64Array.from(this.W), a: Float64Array.from(this.a) };
    if (this.perm) arrays.perm = Float64Array.from(this.perm);
    return { arrays, rng: this.rng.getState() };
  }

  setState(s: StepperState): void {
    const { W, a } = s.arrays;
    if (!W || !a || W.length !== this.W.length || a.length !== this.a.length) throw new SpecError('relu2: checkpoint parameters do not match the model shape');
    this.W.set(W);
    this.a.set(a);
    if (this.perm && s.arrays.perm && s.arrays.perm.length === this.perm.length) this.perm.set(s.arrays.perm);
    this.rng.setState(s.rng);
  }

  /** Full-batch GD: the limit of the linear model on the same data (docs/theory.md §7). */
  theory(): Record<string, number> {
    return this.opt.wd === 0 ? linearModelLimit(this.data, this.opt) : {};
  }
}
