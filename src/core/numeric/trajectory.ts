// What a run records: the stepping core's output, and (field for field) the series part of a
// run in the results document (wire/results.ts declares the same shape for the wire leaf;
// graph/runValue.ts checks at compile time that the two stay assignable both ways).
export interface Trajectory {
  /** recorded step indices, increasing */
  step: number[];
  /** step · lr (sgf: step · dt) */
  time: number[];
  /** scalar metrics: one number per recorded step; vector metrics (sv_*, gain, alignment): one array per step */
  metrics: Record<string, number[] | number[][]>;
}
