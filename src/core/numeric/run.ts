// The run loop: steps a model, records metrics on the prefix-stable schedule (schedule.ts),
// yields to the event loop every few ms (so a worker's 'cancel' message can arrive), polls a
// shared cancel flag between clock reads (a cancel that needs no event loop at all), reports
// progress, stops at the first non-finite loss keeping everything up to the last finite step,
// and resumes from a checkpoint bit-identically to a fresh run.
//
// Divergence: each step returns a cheap probe of the loss at the state it started from; records
// compute the full loss. When either is non-finite, the loop restores the state of the last
// record (all records are finite), replays deterministically while checking the full loss every
// step, and so finds the first step j* whose loss is non-finite; the run ends at j* − 1 (recorded
// there too), with the checkpoint of that state.

import type { RunSpec } from './spec';
import type { Trajectory } from './trajectory';
import { recordSteps } from './schedule';
import { buildRun } from './build';
import type { MetricValue, Stepper, StepperState } from './model';
import { DataError } from './data';
import { SpecError } from './model';
import type { Linear2Options } from './linear2';
import { specKey } from '../keys';
import { offshootReads } from './checkpoint';
import { sqSumAt, stepsizeAt, timeAt } from './stepsize';

export { serializeCheckpoint, deserializeCheckpoint, offshootReads } from './checkpoint';
// checkpoints are stamped with the spec key (src/core/keys.ts, the one place of keys and of the
// version that any numeric change bumps)
export { specKey };

export interface Checkpoint {
  version: 1;
  specKey: string;
  /** the step whose state this is */
  step: number;
  /** the `record` setting of the run that produced it (resume needs its records) */
  record: number;
  /** parameters and accumulators (Gain, minibatch permutation), by name */
  arrays: Record<string, Float64Array>;
  /** the noise stream's state after `step` steps */
  rng: number[];
  /** everything recorded up to and including `step` */
  trajectory: Trajectory;
}

export interface RunProgress {
  step: number;
  steps: number;
  trajectory: Trajectory;
  /** the run's clock (performance.now) when it decided to report: reports are throttled on it */
  at?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** non-zero element 0: stop, as an aborted signal does. Shared memory written by another
   *  thread (src/core/graph/pool.ts), read with Atomics between clock reads (~0.5 ms apart) */
  cancelFlag?: Int32Array | null;
  onProgress?: (p: RunProgress) => void;
  progressIntervalMs?: number;
  resume?: Checkpoint | null;
  initFrom?: Checkpoint | null;
  /** tests only: force linear2's label-noise draw mode / observe M each step */
  linear2?: Linear2Options;
}

export interface RunOutput {
  status: 'done' | 'diverged' | 'cancelled' | 'error';
  message: string | null;
  /** first step whose loss is non-finite (the message's step); null unless diverged */
  divergedAt: number | null;
  /** last step with a finite loss (= the trajectory's last step) when diverged, else null */
  lastFiniteStep: number | null;
  trajectory: Trajectory;
  theory: Record<string, number>;
  checkpoint: Checkpoint | null;
  stepsDone: number;
  /** the step the loop started from: the resume checkpoint's step when it was usable, else 0
   *  (a caller cannot tell from its own request whether a checkpoint was accepted) */
  startStep: number;
  /** remarks for the user, e.g. why logdet is omitted */
  notes: string[];
}

const emptyTrajectory = (): Trajectory => ({ step: [], time: [], metrics: {} });

function copyTrajectory(t: Trajectory): Trajectory {
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(t.metrics)) metrics[k] = (v as unknown[]).map((x) => (Array.isArray(x) ? x.slice() : x)) as number[] | number[][];
  return { step: t.step.slice(), time: t.time.slice(), metrics };
}

export function pushRecord(traj: Trajectory, step: number, time: number, m: Record<string, MetricValue>): void {
  traj.step.push(step);
  traj.time.push(time);
  for (const k in m) {
    let s = traj.metrics[k] as MetricValue[] | undefined;
    if (!s) traj.metrics[k] = s = [] as number[];
    s.push(m[k]);
  }
}

/** The records of `t` at the given steps (all must be present), in order. */
function selectRecords(t: Trajectory, steps: number[]): Trajectory | null {
  const pos = new Map<number, number>();
  t.step.forEach((s, i) => pos.set(s, i));
  const idx: number[] = [];
  for (const s of steps) {
    const i = pos.get(s);
    if (i === undefined) return null;
    idx.push(i);
  }
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(t.metrics)) {
    const arr = v as MetricValue[];
    if (arr.length !== t.step.length) return null;
    metrics[k] = idx.map((i) => (Array.isArray(arr[i]) ? (arr[i] as number[]).slice() : arr[i])) as number[] | number[][];
  }
  return { step: idx.map((i) => t.step[i]), time: idx.map((i) => t.time[i]), metrics };
}

const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((r) => setImmediate(r)) : () => new Promise((r) => setTimeout(r, 0));

const now = () => performance.now();

/** The state for the record's snapshot, in `prev`'s arrays when the stepper can (prev is the
 *  loop's own earlier snapshot, handed out only when the run ends). Exported for the bench of
 *  the record's cost (bench/recordShare.ts), which times what the loop does at a record. */
export function stateOf(stepper: Stepper, prev: StepperState | null = null): StepperState {
  return prev && stepper.copyStateInto?.(prev) ? prev : stepper.getState();
}

function errorOutput(message: string, traj: Trajectory = emptyTrajectory()): RunOutput {
  return { status: 'error', message, divergedAt: null, lastFiniteStep: null, trajectory: traj, theory: {}, checkpoint: null, stepsDone: 0, startStep: 0, notes: [] };
}

export async function runTraining(spec: RunSpec, opts: RunOptions = {}): Promise<RunOutput> {
  try {
    return await runInner(spec, opts);
  } catch (e) {
    if (e instanceof SpecError || e instanceof DataError) return errorOutput(e.message);
    return errorOutput(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function runInner(spec: RunSpec, opts: RunOptions): Promise<RunOutput> {
  const steps = spec.steps;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new SpecError(`steps must be a non-negative integer (got ${steps})`);
  if (!(Number.isFinite(spec.record) && spec.record >= 0)) throw new SpecError(`record must be ≥ 0 (got ${spec.record})`);
  const key = specKey(spec);
  const { opt, stepper } = buildRun(spec, opts.linear2);
  const theory = stepper.theory();
  const notes = stepper.notes.slice();
  const schedule = recordSteps(steps, spec.record);
  const dtime = opt.timePerStep;
  // a stepsize schedule: η_t is set before step t (a function of t alone, so resume and the
  // divergence replay take the same steps); time = Σ_{u<t} η_u, and the records carry
  // Σ_{u<t} η_u² (`lr_sq_sum`), the clock of Theorem 4.2's line under a schedule. A constant
  // stepsize keeps time = t·η and no extra series (its bits do not change).
  const lrs = opt.schedule;
  const timeOf = (step: number) => (lrs ? timeAt(lrs, step) : step * dtime);
  const stepAt = (step: number): number => {
    if (lrs) opt.stepSize = stepsizeAt(lrs, step);
    return stepper.step();
  };
  const metricsAt = (step: number): Record<string, MetricValue> => {
    const m = stepper.metrics();
    if (lrs) m.lr_sq_sum = sqSumAt(lrs, step);
    return m;
  };
  const signal = opts.signal;
  const flag = opts.cancelFlag ?? null;
  const stopped = (): boolean => !!signal?.aborted || (flag !== null && Atomics.load(flag, 0) !== 0);
  const progressEvery = opts.progressIntervalMs ?? 100;

  // ---- starting state: resume, offshoot or init
  let t = 0;
  let traj = emptyTrajectory();
  let resumed = false;
  const rc = opts.resume;
  if (rc && rc.version === 1 && rc.specKey === key && rc.step <= steps && rc.step >= 0) {
    const need = schedule.filter((s) => s <= rc.step);
    const sel = selectRecords(rc.trajectory, need);
    if (sel) {
      stepper.setState({ arrays: rc.arrays, rng: rc.rng });
      t = rc.step;
      traj = sel;
      resumed = true;
    }
  }
  if (!resumed && spec.from) {
    const parent = spec.from;
    let pc = opts.initFrom ?? null;
    if (!pc || pc.specKey !== specKey(parent) || pc.step !== parent.steps) {
      const po = await runTraining(parent, { signal, cancelFlag: opts.cancelFlag });
      if (po.status === 'cancelled') return { ...errorOutput('cancelled'), status: 'cancelled' };
      if (po.status !== 'done' || !po.checkpoint) return errorOutput(`the run it continues from ended with status ${po.status}${po.message ? `: ${po.message}` : ''}`);
      pc = po.checkpoint;
    }
    const own = stepper.getState();
    const arrays: Record<string, Float64Array> = {};
    for (const [k, v] of offshootReads(pc)) arrays[k] = Float64Array.from(v);
    if (own.arrays.perm) arrays.perm = own.arrays.perm;
    try {
      stepper.setState({ arrays, rng: own.rng });
    } catch {
      throw new SpecError(`an offshoot must keep its parent's model shape (${spec.from.model.kind} → ${spec.model.kind})`);
    }
  }

  const startStep = t;
  let ri = schedule.findIndex((s) => s > t || (s === t && !resumed));
  if (ri < 0) ri = schedule.length;

  let snap = { step: t, state: stateOf(stepper) };
  const makeCheckpoint = (step: number, state: StepperState, tr: Trajectory): Checkpoint => ({
    version: 1,
    specKey: key,
    step,
    record: spec.record,
    arrays: state.arrays,
    rng: state.rng,
    trajectory: copyTrajectory(tr),
  });
  const out = (status: RunOutput['status'], message: string | null, extra: Partial<RunOutput> = {}): RunOutput => ({
    status,
    message,
    divergedAt: null,
    lastFiniteStep: null,
    trajectory: traj,
    theory,
    checkpoint: null,
    stepsDone: t,
    startStep,
    notes,
    ...extra,
  });

  // Divergence suspected at state `j` (its probe or recorded loss is not finite).
  const diverge = (j: number): RunOutput => {
    stepper.setState(snap.state);
    let s = snap.step;
    let good = snap.state;
    let jstar = -1;
    let bad = NaN;
    const l0 = stepper.loss();
    if (!Number.isFinite(l0)) {
      jstar = s;
      bad = l0;
    }
    while (jstar < 0 && s < Math.max(j, snap.step + 1)) {
      stepAt(s);
      s++;
      const L = stepper.loss();
      if (!Number.isFinite(L)) {
        jstar = s;
        bad = L;
        break;
      }
      good = stepper.getState();
    }
    if (jstar < 0) return out('error', `internal error: divergence suspected at step ${j} but the loss is finite up to step ${s}`);
    if (jstar === snap.step) {
      // only possible for a starting state (init, offshoot, resume) that is already non-finite
      return out('diverged', `diverged at step ${jstar} (loss = ${bad})`, { divergedAt: jstar, lastFiniteStep: null, stepsDone: jstar });
    }
    const last = jstar - 1;
    stepper.setState(good);
    if (traj.step.length === 0 || traj.step[traj.step.length - 1] < last) pushRecord(traj, last, timeOf(last), metricsAt(last));
    t = last;
    return out('diverged', `diverged at step ${jstar} (loss = ${bad})`, {
      divergedAt: jstar,
      lastFiniteStep: last,
      stepsDone: last,
      checkpoint: makeCheckpoint(last, good, traj),
    });
  };

  const recordNow = (): boolean => {
    const m = metricsAt(t);
    if (!Number.isFinite(m.loss as number)) return false;
    pushRecord(traj, t, timeOf(t), m);
    snap = { step: t, state: stateOf(stepper, snap.state) };
    ri++;
    return true;
  };

  if (ri < schedule.length && schedule[ri] === t) {
    if (!recordNow()) return diverge(t);
  }

  let lastProgress = now();
  let checkEvery = 1;
  while (t < steps) {
    if (stopped()) break;
    const chunkStart = now();
    let lastCheck = chunkStart;
    let chunkDone = false;
    while (!chunkDone && t < steps) {
      for (let c = 0; c < checkEvery && t < steps; c++) {
        const probe = stepAt(t);
        t++;
        if (!Number.isFinite(probe)) return diverge(t - 1);
        if (schedule[ri] === t) {
          if (!recordNow()) return diverge(t);
        }
      }
      const tn = now();
      const dt = tn - lastCheck;
      lastCheck = tn;
      // keep ~0.5 ms between clock reads
      if (dt < 0.25) checkEvery = Math.min(checkEvery * 2, 1 << 20);
      else if (dt > 1 && checkEvery > 1) checkEvery = Math.max(1, checkEvery >> 1);
      if (tn - chunkStart >= 4) chunkDone = true;
      // a cancel through the flag ends the chunk now, not at the next yield
      else if (flag !== null && Atomics.load(flag, 0) !== 0) chunkDone = true;
    }
    if (stopped()) break;
    if (opts.onProgress && now() - lastProgress >= progressEvery) {
      lastProgress = now();
      opts.onProgress({ step: t, steps, trajectory: copyTrajectory(traj), at: lastProgress });
    }
    await yieldToLoop();
  }

  if (t < steps) {
    // cancelled: hand back what we have, with the state of the last record as the checkpoint
    // (known finite, and no work after the abort); resuming from it replays the steps since
    return out('cancelled', `cancelled at step ${t}`, { checkpoint: makeCheckpoint(snap.step, snap.state, traj) });
  }
  if (opts.onProgress) opts.onProgress({ step: t, steps, trajectory: copyTrajectory(traj) });
  // end-of-run theory (diagonal: the implicit-bias gaps) from the final state, done runs only: a
  // diverged or cancelled run has not converged to anything a prediction describes
  const fin = stepper.finalTheory?.() ?? {};
  return out('done', null, { theory: { ...theory, ...fin }, checkpoint: makeCheckpoint(t, stepper.getState(), traj) });
}
