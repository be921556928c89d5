// The results document (docs/results-format.md).
// It is an interface read by users' scripts and CI: add fields freely, never rename or remove
// one without bumping `version`.

export type RunStatus =
  | 'done'
  | 'diverged'
  | 'cancelled'
  | 'error'
  // only in streamed (not final) documents:
  | 'running'
  | 'queued'
  | 'stale'
  | 'blocked';

export interface Trajectory {
  /** recorded step indices, increasing */
  step: number[];
  /** step · lr (sgf: step · dt) */
  time: number[];
  /** scalar metrics: one number per recorded step; vector metrics (sv_*, gain, alignment): one array per step */
  metrics: Record<string, number[] | number[][]>;
}

export interface RunResult extends Trajectory {
  status: RunStatus;
  message: string | null;
  model: string;
  optimizer: string;
  /** the resolved numeric parameters that identify the run (lr, steps, width, ...) */
  params: Record<string, number | string | boolean | null>;
  /** family member coordinates, e.g. { lr: 0.05 }, or null */
  member: Record<string, number> | null;
  /** the definition the run comes from: `sgd` for `sgd[lr=0.05]` (documents before it: the key up to `[`) */
  def?: string;
  /** the member's coordinates, `{}` for a single run: figures select and group runs by def and coords */
  coords?: Record<string, number>;
  /** predictions of the theory, e.g. { logdet_rate_per_step: -2 lr² δ k tr(XᵀX) } */
  theory: Record<string, number>;
  /** last finite step, when diverged */
  diverged_at?: number | null;
  /** while streaming */
  progress?: { step: number; steps: number } | null;
  /** remarks of the stepping core about this run (e.g. why a metric is omitted) */
  notes?: string[];
}

export type PlotKind = 'series' | 'final' | 'gain';

export interface PlotSpec {
  title: string;
  kind: PlotKind;
  /** metric key, e.g. 'logdet', 'sv_W1', 'loss', 'gain' */
  metric: string;
  /** run keys (as in `runs`); a family contributes all its members */
  runs: string[];
  /** 'step' | 'time' for series; the swept parameter for 'final' */
  x: string;
  y: 'linear' | 'log';
  theory: boolean;
  /** singular values: how many to draw */
  top?: number | null;
  /** rank: the relative threshold, applied to the recorded singular values when drawn */
  tol?: number;
  /** rank: which matrix (`W1`, `product`); absent: W1 where recorded, else the product */
  of?: string;
  /** fixed axis ranges [a, b] (absent: fitted to the data); gain: xlim selects coordinates by index */
  xlim?: [number, number];
  ylim?: [number, number];
  /** 1-based first and last line of the `plot` statement in the text the document was computed
   *  from (absent: an older writer); the preview reveals it and follows the editor's cursor to it */
  line?: number;
  endLine?: number;
}

/** Where a definition is written: 1-based first and last line of its statement. */
export interface SourceLines {
  line: number;
  endLine: number;
}

/** A finding of the checker on the text a document was computed from (optional: a preview shows
 *  "error on line N" with it, and keeps the curves of the runs it names). */
export interface ResultsDiagnostic {
  severity: 'error' | 'warning';
  /** 1-based */
  line: number;
  message: string;
  /** the definition it is on, when known */
  def?: string | null;
}

/** A claim (`expect` statement) checked against the runs of a final document (src/core/claims.ts). */
export interface ClaimResult {
  /** 1-based line of the `expect` statement */
  line: number;
  /** the claim as written, without `expect` */
  text: string;
  status: 'held' | 'failed' | 'error';
  /** the two sides as measured (for a family: at the member shown), and for ≈ the deviation
   *  (relative for `within P%`, else absolute); empty on an error */
  values: { left?: number; right?: number; deviation?: number };
  /** the claim with its measured values, as the CLI prints it */
  summary: string;
  /** why it failed or could not be evaluated; null when it held */
  message: string | null;
  /** the family member(s) shown; with families, how many members were checked and failed */
  member?: string;
  members?: number;
  failing?: number;
  /** zero-based range of what the verdict is about (the comparison, or the term that could not be read) */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface ResultsDoc {
  format: 'sgdexp-results';
  version: 1;
  file: string;
  seed: number;
  runs: Record<string, RunResult>;
  plots: PlotSpec[];
  /** the checker's errors on the text this revision was computed from (absent: none, or an older writer) */
  diagnostics?: ResultsDiagnostic[];
  /** the file's claims, evaluated; only in final documents of files with `expect` statements */
  claims?: ClaimResult[];
  /** each definition's statement (`gd = train(…)`), by name: a run's `def` is a key (absent: an
   *  older writer) */
  definitions?: Record<string, SourceLines>;
}
