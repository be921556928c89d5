// Diagonal linear network β = u ⊙ v (Even, Pesme, Gunasekar, Flammarion 2023), u₀ = √2·α, v₀ = 0.
// With g = ∇_β L_B(β) (minibatch, rescaled data; model.ts):
//   u ← (1−2γλ)u − γ g⊙v,   v ← (1−2γλ)v − γ g⊙u          (simultaneous)
// so without weight decay (u+v) ← (1−γg)(u+v), (u−v) ← (1+γg)(u−v) and exactly
//   (u² − v²)/2 = α²·exp(−Gain),  Gain = Σ_steps q(γg),  q(x) = −½ ln((1 − x²)²) = −ln|1 − x²|
// (docs/theory.md §5; Even et al. 2023). Gain is accumulated per coordinate; α∞ = α·exp(−Gain/2) is the effective init.
// Also tracked, per coordinate (docs/theory.md §5.1): with w± = (u ± v)/√2, w± ← w±(c ∓ γg), c = 1 − 2γλ,
//   ρ_t = Σ_k ln|(c − γg_k)/(c + γg_k)|,   ln α_t² = ln α² + Σ_k ln|c² − γ²g_k²|,
// so that β_t = u⊙v = α_t² ⊙ sinh(ρ_t) at every step; the end of a run solves for the
// predictions of where it ends (hyperbolic.ts).

import type { RegressionData } from './data';
import type { ModelSpec } from './spec';
import type { MetricValue, OptConfig, Stepper, StepperState } from './model';
import { drawBatch, SpecError } from './model';
import { Rng } from './rng';
import { matmulTN } from './linalg';
import { biasGaps, flowStabilityLimit } from './hyperbolic';

/** q(x) = −ln|1 − x²|, accurate for small x (log1p). */
export function qGain(x: number): number {
  const x2 = x * x;
  return x2 < 1 ? -Math.log1p(-x2) : -Math.log(x2 - 1);
}

/** ln|(1 − x)/(1 + x)| = −2 atanh(x) for |x| < 1, −2 atanh(1/x) beyond (accurate for small x). */
export function rhoStep(x: number): number {
  return Math.abs(x) < 1 ? -2 * Math.atanh(x) : -2 * Math.atanh(1 / x);
}

export class Diagonal implements Stepper {
  readonly d: number;
  u: Float64Array;
  v: Float64Array;
  gain: Float64Array;
  /** ρ_t per coordinate */
  rho: Float64Array;
  /** ln α_t² per coordinate (= ln α² − Gain without weight decay) */
  lnA2: Float64Array;
  private readonly g: Float64Array;
  private readonly r: Float64Array;
  private readonly perm: Float64Array | null;
  notes: string[] = [];

  constructor(
    readonly data: RegressionData,
    readonly spec: Extract<ModelSpec, { kind: 'diagonal' }>,
    readonly opt: OptConfig,
    readonly rng: Rng,
  ) {
    if (data.k !== 1) throw new SpecError(`diagonal: needs one output (k = 1), the data has k = ${data.k}`);
    if (!(spec.alpha > 0 && Number.isFinite(spec.alpha))) throw new SpecError(`diagonal: alpha must be positive (got ${spec.alpha})`);
    const d = data.p;
    this.d = d;
    this.u = new Float64Array(d).fill(Math.SQRT2 * spec.alpha);
    this.v = new Float64Array(d);
    this.gain = new Float64Array(d);
    this.rho = new Float64Array(d);
    this.lnA2 = new Float64Array(d).fill(2 * Math.log(spec.alpha));
    this.g = new Float64Array(d);
    this.r = new Float64Array(data.n);
    this.perm = opt.batch === null ? null : Float64Array.from({ length: data.n }, (_, i) => i);
    this.betaRec = new Float64Array(d);
  }

  step(): number {
    const { d, u, v, g, gain, rho, lnA2, data, opt } = this;
    const X = data.X, Y = data.Y, n = data.n;
    const gamma = opt.stepSize;
    const sd = Math.sqrt(opt.delta);
    const full = opt.batch === null;
    const b = full ? n : opt.batch!;
    const perm = this.perm, rng = this.rng;
    if (!full) drawBatch(perm!, n, b, () => rng.uniform());
    const sc = full ? 1 : n / b;
    g.fill(0);
    let probe = 0;
    for (let s = 0; s < b; s++) {
      const row = full ? s : perm![s];
      const o = row * d;
      let f = 0;
      for (let j = 0; j < d; j++) f += X[o + j] * u[j] * v[j];
      const e = Y[row] - f;
      probe += e * e;
      const e2 = (sd > 0 ? e + sd * rng.gauss() : e) * sc;
      for (let j = 0; j < d; j++) g[j] -= e2 * X[o + j];
    }
    probe *= 0.5 * sc;
    const dec = 1 - 2 * gamma * opt.wd;
    // with weight decay c − γg = c(1 − γg/c): ρ moves by ln|(1 − x/c)/(1 + x/c)|, ln α² by 2 ln|c| − q(x/c)
    const lnDec2 = 2 * Math.log(Math.abs(dec));
    for (let j = 0; j < d; j++) {
      const x = gamma * g[j];
      const uj = u[j], vj = v[j];
      u[j] = dec * uj - x * vj;
      v[j] = dec * vj - x * uj;
      const q = qGain(x);
      gain[j] += q;
      if (dec === 1) {
        rho[j] += rhoStep(x);
        lnA2[j] -= q;
      } else {
        rho[j] += rhoStep(x / dec);
        lnA2[j] += lnDec2 - qGain(x / dec);
      }
    }
    return probe;
  }

  beta(into: Float64Array = new Float64Array(this.d)): Float64Array {
    for (let j = 0; j < this.d; j++) into[j] = this.u[j] * this.v[j];
    return into;
  }

  /** β at a record: one buffer for all records (metrics() only reads it) */
  private readonly betaRec: Float64Array;

  private lossOn(X: Float64Array, Y: Float64Array, rows: number, beta: Float64Array): number {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      let f = 0;
      for (let j = 0; j < this.d; j++) f += X[r * this.d + j] * beta[j];
      s += (Y[r] - f) ** 2;
    }
    return 0.5 * s;
  }

  loss(): number {
    return this.lossOn(this.data.X, this.data.Y, this.data.n, this.beta());
  }

  private testGram: { XtX: Float64Array; Xty: Float64Array; yy: number } | null = null;

  /** test loss in O(d²) from the test set's Gram statistics when n_test > d (the default test set
   *  of 1000 would otherwise cost more per record than ~100 SGD steps); direct sum near zero
   *  (cancellation: used only while the value exceeds 1e-4·‖y‖², relative error ≲ 1e-11). */
  private testLoss(beta: Float64Array): number {
    const { data, d } = this;
    if (data.ntest <= d) return this.lossOn(data.Xtest, data.Ytest, data.ntest, beta);
    if (!this.testGram) {
      let yy = 0;
      for (const y of data.Ytest) yy += y * y;
      this.testGram = { XtX: matmulTN(data.Xtest, data.Xtest, data.ntest, d, d), Xty: matmulTN(data.Xtest, data.Ytest, data.ntest, d, 1), yy };
    }
    const g = this.testGram;
    let by = 0, bgb = 0;
    for (let i = 0; i < d; i++) {
      by += beta[i] * g.Xty[i];
      let s = 0;
      for (let j = 0; j < d; j++) s += g.XtX[i * d + j] * beta[j];
      bgb += beta[i] * s;
    }
    const cheap = 0.5 * (g.yy - 2 * by + bgb);
    return cheap > 1e-4 * g.yy ? cheap : this.lossOn(data.Xtest, data.Ytest, data.ntest, beta);
  }

  metrics(): Record<string, MetricValue> {
    const beta = this.beta(this.betaRec);
    const data = this.data;
    const out: Record<string, MetricValue> = { loss: this.lossOn(data.X, data.Y, data.n, beta) };
    if (data.ntest > 0) out.test_loss = this.testLoss(beta);
    // ‖Gain‖₁ = Σ|Gainⱼ| (Even et al.). Gainⱼ < 0 once a step has γ|gⱼ| > √2 (q(x) < 0 for
    // |x| > √2, near divergence), so the plain sum is not a norm there: it went negative.
    // One pass copies the vector too (Array.from of a typed array goes through its iterator:
    // ~15× slower than this loop at d = 30, and records are frequent on this cheap model).
    const gain = this.gain, d = this.d;
    const copy: number[] = [];
    let s = 0;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const x = gain[j];
      copy.push(x);
      s += x;
      norm += Math.abs(x);
    }
    out.gain = copy;
    out.gain_norm = norm;
    // scalar α∞: geometric mean of the per-coordinate α∞ⱼ = α·exp(−Gainⱼ/2) (Even et al.), i.e.
    // α·exp(−mean(Gain)/2). The per-coordinate values are not a separate series: they are an exact
    // function of the recorded `gain` vector, and `effective_alpha` is a scalar metric for every
    // consumer (series/final plots); a vector would need a new key there.
    out.effective_alpha = this.spec.alpha * Math.exp(-s / (2 * this.d));
    if (data.U) {
      let dd = 0;
      for (let j = 0; j < this.d; j++) dd += (beta[j] - data.U[j]) ** 2;
      out.distance = Math.sqrt(dd);
    }
    return out;
  }

  params(): Float64Array[] {
    return [this.u, this.v];
  }

  getState(): StepperState {
    const arrays: Record<string, Float64Array> = {
      u: Float64Array.from(this.u), v: Float64Array.from(this.v), gain: Float64Array.from(this.gain), rho: Float64Array.from(this.rho), lnA2: Float64Array.from(this.lnA2),
    };
    if (this.perm) arrays.perm = Float64Array.from(this.perm);
    return { arrays, rng: this.rng.getState() };
  }

  copyStateInto(s: StepperState): boolean {
    const a = s.arrays;
    const live: [string, Float64Array | null][] = [['u', this.u], ['v', this.v], ['gain', this.gain], ['rho', this.rho], ['lnA2', this.lnA2], ['perm', this.perm]];
    for (const [k, x] of live) if (x ? a[k]?.length !== x.length : a[k] !== undefined) return false;
    for (const [k, x] of live) if (x) a[k].set(x);
    s.rng = this.rng.getState();
    return true;
  }

  setState(s: StepperState): void {
    const { u, v, gain } = s.arrays;
    if (!u || !v || u.length !== this.d || v.length !== this.d) throw new SpecError('diagonal: checkpoint parameters do not match the model shape');
    this.u.set(u);
    this.v.set(v);
    if (gain && gain.length === this.d) this.gain.set(gain);
    const { rho, lnA2 } = s.arrays;
    if (rho && rho.length === this.d) this.rho.set(rho);
    if (lnA2 && lnA2.length === this.d) this.lnA2.set(lnA2);
    if (this.perm && s.arrays.perm && s.arrays.perm.length === this.perm.length) this.perm.set(s.arrays.perm);
    this.rng.setState(s.rng);
  }

  /** GD's stability limit where it is known (full-batch GD without label noise): at gradient
   *  flow's interpolator (hyperbolic.ts flowStabilityLimit; docs/theory.md §7). */
  theory(): Record<string, number> {
    const { data, opt } = this;
    if (opt.batch !== null || opt.delta !== 0 || opt.kind === 'sgf' || !(data.n < this.d)) return {};
    const lim = flowStabilityLimit(data.X, data.Y, data.n, this.d, this.spec.alpha);
    return Number.isFinite(lim) ? { lr_stability_limit: lim } : {};
  }

  /** At the end of a run: how far β_t is from each prediction of the implicit bias (§5.2). */
  finalTheory(): Record<string, number> {
    const { data } = this;
    const g = biasGaps(data.X, data.Y, data.n, this.d, this.beta(), this.lnA2, this.rho, this.spec.alpha);
    if (!g) return {};
    const out: Record<string, number> = {};
    if (Number.isFinite(g.exact)) out.bias_gap_exact = g.exact;
    if (Number.isFinite(g.effective)) out.bias_gap_effective = g.effective;
    if (Number.isFinite(g.flow)) out.bias_gap_flow = g.flow;
    return out;
  }
}
