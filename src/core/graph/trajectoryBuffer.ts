// A run's partial trajectory as the main thread accumulates it. A worker posts only the records
// added since its previous post (pool.ts FromWorker 'progress': `from` and the records from there
// on), so handling a post costs this thread O(new records) — a structured clone of the whole
// trajectory so far, five times a second per job, grew with the run and kept the thread that
// answers the editor busy.
//
// The buffer only grows; a progress report names the buffer and how many of its records are the
// report's (`records`): a reader keeps a report as long as it likes and reads exactly what it
// covered, with no copy when the report is made.
import type { Trajectory } from '../wire/results';

/** What the pool hands its listener for a job's progress: the first `records` of `buffer`. */
export interface StreamedProgress {
  step: number;
  steps: number;
  records: number;
  buffer: TrajectoryBuffer;
}

/** The records of `t` from index `from` on (fresh arrays). */
export function trajectoryTail(t: Trajectory, from: number): Trajectory {
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(t.metrics)) metrics[k] = v.slice(from) as number[] | number[][];
  return { step: t.step.slice(from), time: t.time.slice(from), metrics };
}

export class TrajectoryBuffer implements Trajectory {
  readonly step: number[] = [];
  readonly time: number[] = [];
  readonly metrics: Record<string, number[] | number[][]> = {};

  static of(t: Trajectory): TrajectoryBuffer {
    const b = new TrajectoryBuffer();
    const why = b.append(t, 0);
    if (why) throw new Error(`not a trajectory: ${why}`);
    return b;
  }

  get length(): number {
    return this.step.length;
  }

  /**
   * Appends `tail`, the records from index `from` on of a trajectory whose first `from` records
   * this holds. Returns a reason instead (and appends nothing) when it does not fit, as
   * wire/append.ts appendRun does: another record count than `from`, other metrics, steps that
   * do not increase, or columns of unequal length.
   */
  append(tail: Trajectory, from: number): string | null {
    const n = this.step.length;
    if (n !== from) return `holds ${n} records, the delta continues from ${from}`;
    if (!tail || !Array.isArray(tail.step) || !Array.isArray(tail.time) || !tail.metrics || typeof tail.metrics !== 'object') return 'not a trajectory';
    const k = tail.step.length;
    if (tail.time.length !== k) return 'steps and times differ in length';
    const bk = Object.keys(this.metrics).sort().join(',');
    const tk = Object.keys(tail.metrics).sort().join(',');
    if (n > 0 && bk !== tk) return `metrics differ (${bk} / ${tk})`;
    for (const [m, v] of Object.entries(tail.metrics)) if (!Array.isArray(v) || v.length !== k) return `metric ${m} has ${Array.isArray(v) ? v.length : 'no'} values for ${k} records`;
    for (let i = 0; i < k; i++) {
      const prev = i > 0 ? tail.step[i - 1] : n > 0 ? this.step[n - 1] : -Infinity;
      if (!(tail.step[i]! > prev!)) return `steps do not increase (${prev} then ${tail.step[i]})`;
    }
    if (k === 0) return null;
    // an empty buffer takes the tail's metrics (not those of an empty trajectory it was made from)
    if (n === 0) for (const m of Object.keys(this.metrics)) if (!(m in tail.metrics)) delete this.metrics[m];
    for (let i = 0; i < k; i++) {
      this.step.push(tail.step[i]!);
      this.time.push(tail.time[i]!);
    }
    for (const [m, v] of Object.entries(tail.metrics)) {
      const into = (this.metrics[m] ??= []) as unknown[];
      for (const x of v as unknown[]) into.push(x);
    }
    return null;
  }

  /**
   * The records of a whole trajectory `t` beyond those held, when `t` continues them (an
   * in-thread runner reports its whole trajectory each time). O(new records).
   */
  extend(t: Trajectory): string | null {
    const n = this.step.length;
    if (t.step.length < n || (n > 0 && t.step[n - 1] !== this.step[n - 1])) return `the trajectory does not continue the ${n} records held`;
    return this.append(trajectoryTail(t, n), n);
  }

  /** The first `n` records, in fresh arrays. */
  snapshot(n = this.step.length): Trajectory {
    const metrics: Trajectory['metrics'] = {};
    for (const [k, v] of Object.entries(this.metrics)) metrics[k] = v.slice(0, n) as number[] | number[][];
    return { step: this.step.slice(0, n), time: this.time.slice(0, n), metrics };
  }
}

/** A whole trajectory as a progress report (a cancelled run's last records, a test). */
export function progressOf(step: number, steps: number, t: Trajectory): StreamedProgress {
  const buffer = TrajectoryBuffer.of(t);
  return { step, steps, records: buffer.length, buffer };
}
