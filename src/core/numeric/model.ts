// What every model's stepper provides to the run loop (run.ts), and the optimiser conventions
// shared by all models (docs/theory.md §1):
//  - weight decay λ: θ ← (1 − 2ηλ)θ − η∇L, i.e. the objective L + λ‖θ‖² (Wang & Jacot's convention,
//    applied to every model so that one `weight_decay` means the same thing everywhere);
//  - label noise δ: the variance of the noise added to the *rescaled* labels each step,
//    Y_t = Y + √δ·ε_t, ε_t iid N(0, 1) (regression: rescaled by 1/√n; deep_linear: entries by 1/√N
//    over the N observed ones, so raw noise std is √(n·δ) resp. √(N·δ); deep_linear.ts derives it);
//  - minibatch b < n: b distinct samples drawn uniformly without replacement each step, loss
//    L_B = (n/b)·½Σ_{i∈B}‖ỹᵢ − f(x̃ᵢ)‖² on rescaled data = 1/(2b)·Σ_{i∈B}‖yᵢ − f(xᵢ)‖² raw (Even et al.);
//    b ≥ n is full-batch GD;
//  - sgf(dt, lr, δ): Euler–Maruyama with step h = dt of dθ = −∇L dt + √(ηδ)·J_fᵀ dB, dB ~ N(0, h)
//    per label (docs/theory.md §1, SGF). A label-noise step with lr h and labels Y + σε moves θ by
//    −h∇L + hσ·J_fᵀε, so EM with step h *is* the label-noise step with lr = h and σ² = ηδ/h:
//    with h = η it is label-noise GD (same law; Varre et al. §3).

import type { OptimizerSpec, ScheduleSpec, Stepsize } from './spec';
import { stepsizeAt } from './stepsize';
import type { RngState } from './rng';

export interface StepperState {
  /** parameters and per-run accumulators (Gain, minibatch permutation, ...), copies */
  arrays: Record<string, Float64Array>;
  /** the noise stream */
  rng: RngState;
}

export type MetricValue = number | number[];

export interface Stepper {
  /**
   * One optimiser step. Returns a cheap probe of the loss *at the state before the update*
   * (full-batch: the exact loss; minibatch: the batch loss), non-finite iff that state diverged
   * as far as this step can see. The run loop confirms with loss() when it is not finite.
   */
  step(): number;
  /** full training loss at the current state */
  loss(): number;
  /** every applicable metric at the current state (keys as in docs/results-format.md) */
  metrics(): Record<string, MetricValue>;
  getState(): StepperState;
  /** optional: overwrite `s` (an earlier getState() of this stepper, owned by the caller) with the
   *  current state, reusing its arrays; false when they do not fit (the caller then calls
   *  getState()). The run loop snapshots the state at every record: for a small model, allocating
   *  fresh typed arrays each time cost as much as the metrics (diagonal, d = 30) */
  copyStateInto?(s: StepperState): boolean;
  setState(s: StepperState): void;
  /** predictions of the theory for this run (e.g. the label-noise log det rate) */
  theory(): Record<string, number>;
  /** theory entries of the final state, added to `theory` when a run completes (keys in
   *  END_OF_RUN_THEORY: they describe the last step, so a shorter run sliced from it drops them) */
  finalTheory?(): Record<string, number>;
  /** notes for the user (e.g. why a metric is omitted) */
  notes: string[];
  /** the live parameter buffers after the last step (not accumulators such as Gain or the
   *  minibatch permutation): what heavy-ball momentum extrapolates (momentum.ts) */
  params(): Float64Array[];
}

export interface OptConfig {
  kind: OptimizerSpec['kind'];
  /** step size h of the iteration: lr for gd, sgd and label_noise; dt for sgf (docs/theory.md §1:
   *  an Euler–Maruyama step of size h is a label-noise step with stepsize h) */
  stepSize: number;
  /** label-noise variance on rescaled labels actually injected per step (sgf: ηδ/dt) */
  delta: number;
  /** minibatch size, or null for full batch */
  batch: number | null;
  /** λ in θ ← (1 − 2ηλ)θ − η∇L */
  wd: number;
  /** model time advanced per step (lr, or dt for sgf) */
  timePerStep: number;
  /** the SDE's η and δ (sgf) or lr and delta (label_noise), for the theory */
  eta: number;
  sdeDelta: number;
  /** heavy-ball μ (momentum.ts); 0 = the plain method */
  momentum: number;
  /** a stepsize schedule: the run loop sets stepSize = η_t before step t (then timePerStep, eta
   *  are those of step 0 and unused); null for a constant stepsize */
  schedule: ScheduleSpec | null;
}

export class SpecError extends Error {}

/** Theory entries computed from a completed run's final state (Stepper.finalTheory). */
export const END_OF_RUN_THEORY: readonly string[] = ['bias_gap_exact', 'bias_gap_effective', 'bias_gap_flow'];

/** `theory` without the entries that belong to the last step of a longer run. */
export function theoryAtStart(theory: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(theory).filter(([k]) => !END_OF_RUN_THEORY.includes(k)));
}

/** Validate and normalise an optimiser spec for a dataset of n samples (or observed entries). */
export function resolveOptimizer(o: OptimizerSpec, n: number): OptConfig {
  const pos = (x: number, what: string) => {
    if (!(Number.isFinite(x) && x > 0)) throw new SpecError(`${o.kind}: ${what} must be a positive number (got ${x})`);
  };
  const nonneg = (x: number, what: string) => {
    if (!(Number.isFinite(x) && x >= 0)) throw new SpecError(`${o.kind}: ${what} must be ≥ 0 (got ${x})`);
  };
  const batchOf = (b: number | null): number | null => {
    if (b === null) return null;
    if (!(Number.isInteger(b) && b >= 1)) throw new SpecError(`${o.kind}: batch must be a positive integer (got ${b})`);
    return b >= n ? null : b;
  };
  nonneg(o.weight_decay, 'weight_decay');
  // a schedule: validated, and its first stepsize stands for lr in the conventions below
  let schedule: ScheduleSpec | null = null;
  const lrOf = (lr: Stepsize): number => {
    if (typeof lr === 'number') return lr;
    schedule = checkSchedule(lr, o.kind);
    return stepsizeAt(lr, 0);
  };
  const mu = o.kind === 'sgf' ? 0 : (o.momentum ?? 0);
  if (!(Number.isFinite(mu) && mu >= 0 && mu < 1)) throw new SpecError(`${o.kind}: momentum must be in [0, 1) (got ${mu})`);
  switch (o.kind) {
    case 'gd': {
      const lr = lrOf(o.lr);
      pos(lr, 'lr');
      return { kind: o.kind, stepSize: lr, delta: 0, batch: null, wd: o.weight_decay, timePerStep: lr, eta: lr, sdeDelta: 0, momentum: mu, schedule };
    }
    case 'sgd': {
      const lr = lrOf(o.lr);
      pos(lr, 'lr');
      return { kind: o.kind, stepSize: lr, delta: 0, batch: batchOf(o.batch), wd: o.weight_decay, timePerStep: lr, eta: lr, sdeDelta: 0, momentum: mu, schedule };
    }
    case 'label_noise': {
      const lr = lrOf(o.lr);
      pos(lr, 'lr');
      nonneg(o.delta, 'delta');
      return { kind: o.kind, stepSize: lr, delta: o.delta, batch: batchOf(o.batch), wd: o.weight_decay, timePerStep: lr, eta: lr, sdeDelta: o.delta, momentum: mu, schedule };
    }
    case 'sgf':
      pos(o.dt, 'dt');
      pos(o.lr, 'lr');
      nonneg(o.delta, 'delta');
      return { kind: o.kind, stepSize: o.dt, delta: (o.lr * o.delta) / o.dt, batch: null, wd: o.weight_decay, timePerStep: o.dt, eta: o.lr, sdeDelta: o.delta, momentum: 0, schedule: null };
  }
}

function checkSchedule(s: ScheduleSpec, kind: string): ScheduleSpec {
  const bad = (what: string, x: unknown) => {
    throw new SpecError(`${kind}: ${s.kind}(…) ${what} (got ${x})`);
  };
  const posNum = (x: number, what: string) => {
    if (!(Number.isFinite(x) && x > 0)) bad(`${what} must be a positive number`, x);
  };
  const posInt = (x: number, what: string) => {
    if (!(Number.isInteger(x) && x >= 1)) bad(`${what} must be a positive integer`, x);
  };
  switch (s.kind) {
    case 'cosine':
      posNum(s.from, 'from');
      if (!(Number.isFinite(s.to) && s.to >= 0)) bad('to must be ≥ 0', s.to);
      posInt(s.horizon, 'horizon');
      break;
    case 'step_decay':
      posNum(s.from, 'from');
      if (!(s.factor > 0 && s.factor <= 1)) bad('factor must be in (0, 1]', s.factor);
      posInt(s.every, 'every');
      break;
    case 'warmup':
      posNum(s.to, 'to');
      posInt(s.steps, 'steps');
      break;
    default:
      bad('is not a stepsize schedule', (s as { kind: string }).kind);
  }
  return s;
}

/** Draw b distinct indices of [0, n) uniformly into perm[0..b) by a partial Fisher–Yates shuffle
 *  of the persistent permutation `perm` (its order is part of the run state). */
export function drawBatch(perm: Float64Array, n: number, b: number, uniform: () => number): void {
  for (let i = 0; i < b; i++) {
    const j = i + Math.floor(uniform() * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

export const RANK_TOL = 1e-3;
