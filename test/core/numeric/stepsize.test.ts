// Stepsize schedules: their values at the boundaries, the closed-form sums against brute force,
// resume under a schedule, and Theorem 4.2's line integrated over the schedule (Σ_t η_t² in place
// of η²·t) against a simulation, up to the second-order excess predicted as in the
// constant-stepsize test (logdet.test.ts).
import { describe, expect, it } from 'vitest';
import { maxStepsize, sqSumAt, stepsizeAt, timeAt } from '../../../src/core/numeric/stepsize';
import { buildRun } from '../../../src/core/numeric/build';
import type { Linear2 } from '../../../src/core/numeric/linear2';
import { runTraining } from '../../../src/core/numeric/run';
import type { OptimizerSpec, ScheduleSpec } from '../../../src/core/numeric/spec';
import { bitwiseDiff, linear2, mean, spec, teacher } from './helpers';
import { residualSq, traces } from './logdetTerms';

const cosine = (from: number, to: number, horizon: number): ScheduleSpec => ({ kind: 'cosine', from, to, horizon });
const decay = (from: number, factor: number, every: number): ScheduleSpec => ({ kind: 'step_decay', from, factor, every });
const warmup = (to: number, steps: number): ScheduleSpec => ({ kind: 'warmup', to, steps });

describe('schedule values at their boundaries', () => {
  it('cosine: η_0 = from, η_{T/2} = (from + to)/2, η_T = to, decreasing', () => {
    const s = cosine(0.1, 0.01, 100);
    expect(stepsizeAt(s, 0)).toBe(0.1);
    expect(stepsizeAt(s, 50)).toBeCloseTo(0.055, 15);
    expect(stepsizeAt(s, 100)).toBeCloseTo(0.01, 15);
    expect(stepsizeAt(s, 99)).toBeGreaterThan(0.01);
    for (let t = 1; t <= 100; t++) expect(stepsizeAt(s, t)).toBeLessThan(stepsizeAt(s, t - 1));
    expect(maxStepsize(s, 100)).toBe(0.1);
  });
  it('step_decay: constant on [k·every, (k+1)·every), multiplied by factor at each multiple of every', () => {
    const s = decay(0.2, 0.5, 10);
    expect(stepsizeAt(s, 0)).toBe(0.2);
    expect(stepsizeAt(s, 9)).toBe(0.2);
    expect(stepsizeAt(s, 10)).toBe(0.1);
    expect(stepsizeAt(s, 19)).toBe(0.1);
    expect(stepsizeAt(s, 20)).toBe(0.05);
    expect(maxStepsize(s, 1000)).toBe(0.2);
  });
  it('warmup: η_0 = to/steps, η_{steps−1} = to, then constant', () => {
    const s = warmup(0.3, 3);
    expect(stepsizeAt(s, 0)).toBeCloseTo(0.1, 16);
    expect(stepsizeAt(s, 1)).toBeCloseTo(0.2, 16);
    expect(stepsizeAt(s, 2)).toBe(0.3);
    expect(stepsizeAt(s, 3)).toBe(0.3);
    expect(stepsizeAt(s, 1e6)).toBe(0.3);
    expect(maxStepsize(s, 2)).toBe(0.3);
  });
  it('time = Σ_{u<t} η_u and Σ_{u<t} η_u² in closed form equal the brute-force sums (before, at and after every boundary)', () => {
    for (const s of [cosine(0.1, 0.01, 100), cosine(0.05, 0, 7), cosine(0.2, 0.1, 1), cosine(0.2, 0.1, 2), decay(0.2, 0.5, 10), decay(0.1, 1, 3), warmup(0.3, 3), warmup(0.05, 40)]) {
      let time = 0, sq = 0;
      for (let t = 0; t <= 130; t++) {
        expect(timeAt(s, t), `${JSON.stringify(s)} time at ${t}`).toBeCloseTo(time, 12);
        expect(sqSumAt(s, t), `${JSON.stringify(s)} sq at ${t}`).toBeCloseTo(sq, 12);
        const e = stepsizeAt(s, t);
        time += e;
        sq += e * e;
      }
      expect(timeAt(s, 0)).toBe(0);
    }
  });
});

describe('runs under a schedule', () => {
  const lin = (lr: OptimizerSpec['lr'], steps = 200) => spec(teacher(100, 4, 2), linear2(7), { kind: 'label_noise', lr, delta: 1, batch: null, weight_decay: 0 }, steps, 20);

  it('resume N → M equals a fresh run bit for bit; time sums η_t', async () => {
    for (const s of [cosine(0.05, 0.005, 200), decay(0.05, 0.5, 60), warmup(0.05, 70)]) {
      const fresh = await runTraining(lin(s));
      expect(fresh.status).toBe('done');
      const half = await runTraining({ ...lin(s), steps: 90 });
      const resumed = await runTraining(lin(s), { resume: half.checkpoint });
      expect(resumed.startStep).toBe(90);
      expect(bitwiseDiff(resumed.trajectory, fresh.trajectory)).toBeNull();
      const last = fresh.trajectory.step.length - 1;
      expect(fresh.trajectory.time[last]).toBeCloseTo(timeAt(s, 200), 12);
      expect((fresh.trajectory.metrics.lr_sq_sum as number[])[last]).toBeCloseTo(sqSumAt(s, 200), 14);
    }
  });

  it('a constant stepsize records no lr_sq_sum and its time stays t·η', async () => {
    const o = await runTraining(lin(0.02));
    expect(o.trajectory.metrics.lr_sq_sum).toBeUndefined();
    expect(o.trajectory.time.at(-1)).toBe(200 * 0.02);
  });

  // Theorem 4.2's line over the schedule, to second order (docs/theory.md §4, Eq. (§4.S)). Step t
  // (η_t set before it, as run.ts does) lowers log det by exactly 2Σ log|1 − sᵢ(M_t)²|
  // = −2‖M_t‖²_F − Σ sᵢ(M_t)⁴ − O(s⁶), M_t = η_t R_t + η_t√δ·G_t, G_t's k columns iid N(0, S),
  // S = XᵀX. In expectation the fall over steps t ∈ [t0, T) is rate·Σ η_t² (rate = −2δ·k·tr S)
  // times 1 + e, with the predicted excess
  //   e = [Σ η_t²‖R_t‖²_F / (δ·k·tr S) + δ·(k(tr S)² + k(k+1)tr S²)/(2k·tr S) · Σ η_t⁴] / Σ η_t²
  // (the drift term and E‖GᵀG‖²_F, each step weighted by its own η_t), ‖R_t‖² measured on the
  // realised path at the state before step t. Fluctuation: the fall is dominated by
  // −2δ Σ η_t²‖G_t‖², Var ‖G‖²_F = 2k·tr S², so its relative s.e. per seed is
  // √(2k·tr S²·Σ η_t⁴)/(k·tr S·Σ η_t²). As the constant-stepsize test: n = 1000, p = 5, k = 2,
  // width 10, δ = 1, 20000 steps, the fall taken after a 2000-step burn-in, where ‖R‖² has settled to
  // its stationary level (the prediction holds from step 0 as well: measured 3.1–4.3 % per seed,
  // predicted 3.4–4.0 %, seed-mean residual −0.5 s.e.; the burn-in keeps e in the range checked).
  // Measured (seeds 0–7): the excess 1.9–2.9 % per seed for cosine, 1.8–2.9 % for step_decay, against
  // predicted 2.2–2.3 % and 2.2–2.4 % (the s⁴ term 0.05 % of it); residual per seed −1.1…+1.8 s.e.
  // (s.e. 0.38 %, 0.42 %), seed mean 0.00 % for both. So the test claims: the seed-mean residual is
  // within 4 s.e. of the mean (0.13 %, 0.15 %), and e is 2–3 %. Planted faults measured to fail both
  // schedules: δ 1 % larger in linear2.ts's noise scale (residual 7.5 and 6.8 s.e.), the prediction's
  // η_t 1 % larger than the run's (−15 and −14 s.e.).
  function scheduleExcess(s: ScheduleSpec, seed: number, steps = 20000, burn = 2000) {
    const delta = 1;
    const { stepper, data, opt } = buildRun(spec(teacher(1000, 5, 2), linear2(10), { kind: 'label_noise', lr: s, delta, batch: null, weight_decay: 0 }, steps, 40, { seed }));
    const lin = stepper as Linear2;
    if (data.kind !== 'regression') throw new Error('regression data');
    const { k } = data;
    const { trS, trS2 } = traces(data);
    const rate = -2 * delta * k * trS;
    expect(stepper.theory().logdet_rate_per_lr2).toBeCloseTo(rate, 12);
    expect(stepper.theory().logdet_rate_per_step).toBeUndefined();
    let L0 = NaN, sq = 0, q4 = 0, R2 = 0;
    for (let t = 0; t < steps; t++) {
      opt.stepSize = stepsizeAt(s, t);
      if (t === burn) L0 = stepper.metrics().logdet as number;
      if (t >= burn) {
        const e2 = opt.stepSize ** 2;
        sq += e2;
        q4 += e2 * e2;
        R2 += e2 * residualSq(data, lin.product());
      }
      stepper.step();
    }
    // Σ η_t² over the window is the run's own clock (lr_sq_sum), in closed form
    expect(sq).toBeCloseTo(sqSumAt(s, steps) - sqSumAt(s, burn), 12);
    const fall = (stepper.metrics().logdet as number) - L0;
    const err = fall / (rate * sq) - 1;
    const pred = (R2 / (delta * k * trS) + ((delta * (k * trS * trS + k * (k + 1) * trS2)) / (2 * k * trS)) * q4) / sq;
    const se = Math.sqrt(2 * k * trS2 * q4) / (k * trS * sq);
    return { err, pred, se };
  }
  for (const s of [cosine(0.014, 0.006, 20000), decay(0.014, 0.7, 5000)])
    it(`Theorem 4.2 under ${s.kind === 'cosine' ? 'cosine(0.014, 0.006)' : 'step_decay(0.014, 0.7, 5000)'}: the fall of log det is rate·Σ_t η_t² times 1 + the predicted excess`, () => {
      const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
      const r = seeds.map((seed) => scheduleExcess(s, seed));
      const resid = mean(r.map((x) => x.err - x.pred));
      const se = Math.sqrt(r.reduce((a, x) => a + x.se ** 2, 0)) / r.length;
      console.log(`${s.kind}: excess ${(100 * mean(r.map((x) => x.err))).toFixed(2)} %, predicted ${(100 * mean(r.map((x) => x.pred))).toFixed(2)} %, residual ${(resid / se).toFixed(2)} s.e. (informative)`);
      expect(Math.abs(resid)).toBeLessThan(4 * se);
      for (const x of r) {
        expect(x.pred).toBeGreaterThan(0.02);
        expect(x.pred).toBeLessThan(0.03);
      }
    });
});
