// The partial trajectory of a job that resumes a cached shorter run: the cached records the new
// run also records (runValue.ts joinTrajectories: those before the job's first own record, on
// this spec's schedule), then the job's own. Kept as one growing buffer, so each progress report
// costs O(its new records) like the job's own buffer (trajectoryBuffer.ts), not a join of both
// trajectories per report.
import type { Trajectory } from '../wire/results';
import { recordSteps } from '../numeric/schedule';
import { filterTrajectory, joinTrajectories } from './runValue';
import { TrajectoryBuffer, type StreamedProgress } from './trajectoryBuffer';

export function prefixJoin(prefix: Trajectory, steps: number, record: number): (p: StreamedProgress) => StreamedProgress {
  let want: Set<number> | null = null;
  let joined: TrajectoryBuffer | null = null;
  /** the job buffer `joined` continues, how many of its records it took, and the job's first
   *  record it was cut at (Infinity: none yet, so it holds every wanted cached record) */
  let source: TrajectoryBuffer | null = null;
  let taken = 0;
  let cutAt = Infinity;
  return (p) => {
    const own = p.buffer;
    const firstNew = p.records > 0 ? own.step[0]! : Infinity;
    const headLast = joined && joined.length - taken > 0 ? joined.step[joined.length - taken - 1]! : -Infinity;
    // the cached head ends where the job's own records begin; known only once it has one
    if (!joined || source !== own || (cutAt === Infinity && firstNew !== Infinity && headLast >= firstNew)) {
      want ??= new Set(recordSteps(steps, record));
      const w = want;
      joined = TrajectoryBuffer.of(filterTrajectory(prefix, (s) => s < firstNew && w.has(s)));
      source = own;
      taken = 0;
    }
    if (firstNew !== Infinity) cutAt = firstNew;
    if (p.records > taken) {
      const why = joined.append(trajectoryRange(own, taken, p.records), joined.length);
      if (why) {
        // the cached records and the job's disagree (other metrics): the plain join, O(n)
        joined = TrajectoryBuffer.of(joinTrajectories(prefix, own.snapshot(p.records), steps, record));
        source = null;
      }
      taken = p.records;
    }
    return { step: p.step, steps: p.steps, records: joined.length, buffer: joined };
  };
}

/** records [a, b) of `t` */
function trajectoryRange(t: Trajectory, a: number, b: number): Trajectory {
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(t.metrics)) metrics[k] = v.slice(a, b) as number[] | number[][];
  return { step: t.step.slice(a, b), time: t.time.slice(a, b), metrics };
}
