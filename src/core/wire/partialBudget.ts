// How many records of a run a partial (non-final) results message carries: what the page can
// draw, not what the run recorded. A figure draws a line with at most ~2 points per 3 px column
// (figures/frame.ts, decimate.ts: a few hundred points), so a streamed run is thinned to at most
// PARTIAL_RECORDS records; the final document carries every record and replaces the partial ones.
//
// The thinning is by stride in record index: records 0, s, 2s, … with s the least power of two
// that keeps ⌈n/s⌉ ≤ PARTIAL_RECORDS. It is chosen so the deltas of append.ts stay exact:
// - while s does not change, the kept records of a longer trajectory extend those of a shorter
//   one (a delta carries only the new kept records);
// - when s grows by a factor t, the new view is every t-th record of the old one, continued: the
//   delta says `thin: t` and carries only the records the receiver cannot derive (append.ts);
// - against the final document (s = 1) no stride continues a thinned view: the run goes whole.
// The latest records (fewer than s) wait for the next multiple of s: the drawn line reaches
// within 1/PARTIAL_RECORDS of the run's recorded index range; `progress` still counts every step.
import type { Trajectory } from './results';

/** Most records of one run in a partial message (each curve of a run gets one point per record). */
export const PARTIAL_RECORDS = 1000;

/** The record stride of a partial message's view of `n` records. */
export function partialStride(n: number, budget = PARTIAL_RECORDS): number {
  let s = 1;
  while (Math.ceil(n / s) > budget) s *= 2;
  return s;
}

/**
 * The first `n` records of a trajectory thinned to the budget (always fresh arrays: `t`'s may
 * grow after this call). O(kept records · metrics), however many `t` holds.
 */
export function partialView(t: Trajectory, n = t.step.length, budget = PARTIAL_RECORDS): Trajectory {
  const s = partialStride(n, budget);
  const pick = <T>(a: readonly T[]): T[] => {
    if (s === 1) return a.slice(0, n);
    const out: T[] = [];
    for (let i = 0; i < n; i += s) out.push(a[i] as T);
    return out;
  };
  const metrics: Trajectory['metrics'] = {};
  for (const [k, v] of Object.entries(t.metrics)) metrics[k] = pick(v as unknown[]) as number[] | number[][];
  return { step: pick(t.step), time: pick(t.time), metrics };
}
