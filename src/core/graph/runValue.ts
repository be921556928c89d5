// The memoised value of one run node, and the two prefix operations on it.
//
// The record schedule is prefix-stable (src/core/numeric/schedule.ts): for N < M,
// schedule(M) ∩ [0, N) ⊆ schedule(N). Hence
//   * extending N → M: the cached N-trajectory, restricted to schedule(M), is exactly what a
//     fresh M-run records before step N; the resumed part supplies the rest;
//   * shrinking M → N: a fresh N-run records schedule(N), which the M-trajectory holds only when
//     schedule(N) ⊆ recorded(M) — true e.g. when every step is recorded, not in general
//     (schedule(N) is finer than schedule(M)). We slice only in that case, else re-run.
import type { Trajectory } from '../wire/results';
import type { Trajectory as CoreTrajectory } from '../numeric/trajectory';
import { recordSteps } from '../numeric/schedule';
import { hashRunValue } from './hash';

// The stepping core and the wire leaf each declare the trajectory shape (neither imports the
// other); the graph hands one to the other, so the two must stay assignable both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTrajectory: Same<Trajectory, CoreTrajectory> = true;
void sameTrajectory;

export type FinalStatus = 'done' | 'diverged' | 'cancelled' | 'error';

export interface RunValue {
  key: string;
  prefixKey: string;
  steps: number;
  record: number;
  status: FinalStatus;
  message: string | null;
  /** first step whose loss is not finite */
  divergedAt: number | null;
  /** last step with a finite loss, when diverged */
  lastFiniteStep: number | null;
  /** remarks of the stepping core (e.g. why a metric is omitted) */
  notes: string[];
  trajectory: Trajectory;
  theory: Record<string, number>;
  stepsDone: number;
  /** the stepping core's serialised final state (for resume and offshoots), or null */
  checkpoint: Uint8Array | null;
  /** hash of that state as an offshoot reads it (state.ts), when the runner reported it; the
   *  engine computes it from `checkpoint` otherwise */
  stateHash?: string | null;
  valueHash: string;
}

export function makeRunValue(v: Omit<RunValue, 'valueHash'>): RunValue {
  return {
    ...v,
    valueHash: hashRunValue({ status: v.status, message: v.message, theory: v.theory, ...v.trajectory }),
  };
}

/** Approximate heap size in bytes (doubles at 8 bytes, plus the checkpoint). */
export function runValueBytes(v: RunValue): number {
  let n = 16 * v.trajectory.step.length + 512;
  for (const s of Object.values(v.trajectory.metrics)) {
    for (const x of s) n += Array.isArray(x) ? 8 * x.length + 32 : 8;
  }
  return n + (v.checkpoint?.byteLength ?? 0);
}

/** Rows of a trajectory whose step satisfies `keep`, in order. */
export function filterTrajectory(t: Trajectory, keep: (step: number, i: number) => boolean): Trajectory {
  const idx: number[] = [];
  t.step.forEach((s, i) => keep(s, i) && idx.push(i));
  const metrics: Trajectory['metrics'] = {};
  for (const [k, s] of Object.entries(t.metrics)) metrics[k] = idx.map((i) => (s as unknown[])[i]) as number[] | number[][];
  return { step: idx.map((i) => t.step[i]), time: idx.map((i) => t.time[i]), metrics };
}

/**
 * Joins the cached prefix (an N-step trajectory) and the trajectory of the resumed run to M
 * steps: prefix rows are kept when they belong to schedule(M) and precede the first resumed
 * row. The stepping core may or may not repeat the prefix in its output; both are handled.
 */
export function joinTrajectories(prefix: Trajectory, rest: Trajectory, steps: number, record: number): Trajectory {
  const want = new Set(recordSteps(steps, record));
  const firstNew = rest.step.length ? rest.step[0] : Infinity;
  const head = filterTrajectory(prefix, (s) => s < firstNew && want.has(s));
  if (head.step.length === 0) return rest;
  const metrics: Trajectory['metrics'] = {};
  const keys = new Set([...Object.keys(head.metrics), ...Object.keys(rest.metrics)]);
  for (const k of keys) {
    const a = (head.metrics[k] ?? []) as unknown[];
    const b = (rest.metrics[k] ?? []) as unknown[];
    metrics[k] = [...a, ...b] as number[] | number[][];
  }
  return { step: [...head.step, ...rest.step], time: [...head.time, ...rest.time], metrics };
}

/**
 * The trajectory of an N-step run cut from a cached longer run, or null when the cached run
 * did not record every step a fresh N-run records (or it stopped before N).
 */
export function sliceTrajectory(t: Trajectory, steps: number, record: number): Trajectory | null {
  const want = recordSteps(steps, record);
  const have = new Set(t.step);
  if (!want.every((s) => have.has(s))) return null;
  const w = new Set(want);
  return filterTrajectory(t, (s) => w.has(s));
}
