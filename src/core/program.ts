// The checked, resolved experiment: the contract between the language (src/core/lang)
// and the reactive graph (src/core/graph). Plain data; no syntax-tree objects leak through.

/** LSP-compatible zero-based position and range (UTF-16 code units, like VS Code). */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  message: string;
  /** stable machine-readable code, e.g. 'unknown-name', 'duplicate', 'cycle', 'rank-deficient' */
  code: string;
  related?: { range: Range; message: string }[];
  /** data for code actions, e.g. { replacement: 'linear2' } */
  data?: unknown;
}

/**
 * A resolved argument value. The checker fills in every parameter of a built-in call
 * (defaults included) under its parameter name, in canonical form: positional arguments are
 * named, `linspace`/`logspace` are evaluated to lists, numbers are numbers.
 */
export type Value =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  /** a word from a parameter's fixed set: `of = W1`, `y = log`, `x = lr`, `activation = relu` */
  | { kind: 'word'; value: string }
  /** a list given to a numeric parameter makes the enclosing definition a family */
  | { kind: 'list'; items: Value[] }
  /** reference to another top-level definition (an edge of the graph) */
  | { kind: 'ref'; name: string }
  /** one member of a family: `gd[lr = 0.3]` */
  /** `name[p = v, q = w]`: the members whose coordinates match every pair */
  | { kind: 'select'; name: string; where: { param: string; value: number }[] }
  /** a nested built-in call, e.g. `gd(lr = 0.01)` inline in `train(...)`, or `gaussian(scale = 1)` */
  | { kind: 'call'; builtin: string; args: Record<string, Value> }
  /** a matrix literal with missing entries (`?` → null), for `completion(observed = ...)` */
  | { kind: 'matrix'; rows: (number | null)[][] }
  /** `null` default (e.g. label_noise batch = n) */
  | { kind: 'null' };

export type Category = 'data' | 'model' | 'optimizer' | 'init' | 'schedule' | 'run' | 'value';

export interface Definition {
  name: string;
  /** the whole statement */
  range: Range;
  /** just the name being defined */
  nameRange: Range;
  category: Category;
  /** the defining expression, resolved (usually a 'call'; a 'list' or 'number' for plain values) */
  value: Value;
  /** names of the top-level definitions this one references, in order of appearance */
  deps: string[];
  /** a family: the parameters swept by lists (its own and those of what it references), with
   *  their values; absent for a single run (added by the language checker) */
  family?: { param: string; values: number[]; /** the run it continues, whose parameter this is */ from?: string }[];
}

export interface PlotDef {
  /** position among the file's plots, 0-based */
  index: number;
  range: Range;
  /** the plotted built-in: a metric name (`logdet`, `loss`, `singular_values`, ...), `final` or `gain` */
  builtin: string;
  /** the runs (or families) plotted, as refs or selects, in order */
  runs: Value[];
  /** resolved options: x, y, theory, title, of, top, metric (for `final`) ... */
  options: Record<string, Value>;
  deps: string[];
}

/** A number a claim computes: literals, arithmetic, and reads of the results (src/core/claims.ts). */
export type ClaimTerm =
  | { kind: 'number'; value: number }
  | { kind: 'arith'; op: '+' | '-' | '*' | '/'; left: ClaimTerm; right: ClaimTerm }
  | { kind: 'neg'; operand: ClaimTerm }
  | {
      kind: 'read';
      fn: 'final' | 'slope' | 'theory' | 'max' | 'min';
      /** the metric's name and the result series it reads (docs/results-format.md) */
      metric: string;
      key: string;
      /** a value of the final state only (bias_gap): run.theory[key], not a recorded series */
      endOfRun?: true;
      /** theory: the result key of the predicted rate per step (run.theory) */
      rate?: string;
      /** theory under a stepsize schedule: the key of the rate per unit of Σ η_t² (run.theory),
       *  read against the run's recorded lr_sq_sum */
      rateSq?: string;
      /** theory: what it predicts, after the other side of the claim (a slope: the rate) */
      measure?: 'slope' | 'final';
      /** the run, family or member read (a ref or a select) */
      run: Value;
      from: number | null;
      to: number | null;
      text: string;
      range: Range;
    }
  | { kind: 'mean'; term: ClaimTerm; text: string; range: Range };

export type ClaimRead = Extract<ClaimTerm, { kind: 'read' }>;

/** The reads of a claim term, left to right; `means: false` leaves out those averaged by
 *  mean(…) (they range over a family of their own). One walk for checker, lowering and evaluation. */
export function claimReads(t: ClaimTerm, opts: { means?: boolean } = {}): ClaimRead[] {
  switch (t.kind) {
    case 'read':
      return [t];
    case 'arith':
      return [...claimReads(t.left, opts), ...claimReads(t.right, opts)];
    case 'neg':
      return claimReads(t.operand, opts);
    case 'mean':
      return opts.means === false ? [] : claimReads(t.term, opts);
    default:
      return [];
  }
}

/** An `expect` statement, resolved. */
export interface ClaimDef {
  index: number;
  /** the whole statement; `line` is its 1-based first line */
  range: Range;
  line: number;
  /** the claim as written, without `expect` */
  text: string;
  /** the comparison (`left OP right`), where a failed claim is reported */
  exprRange: Range;
  op: '<' | '<=' | '>' | '>=' | '==' | '≈';
  left: ClaimTerm;
  right: ClaimTerm;
  leftText: string;
  rightText: string;
  /** ≈: the tolerance, relative (`within 5%` → 0.05) or absolute */
  within: { value: number; relative: boolean } | null;
  deps: string[];
}

export interface CheckedProgram {
  /** the file's root seed (`seed = N`, default 0) */
  seed: number;
  /** definitions by name, in source order (excludes `seed`) */
  definitions: Definition[];
  plots: PlotDef[];
  /** the `expect` statements, in file order (absent: none) */
  claims?: ClaimDef[];
  diagnostics: Diagnostic[];
  /** false when any diagnostic is an error: the graph then computes only the error-free part */
  ok: boolean;
}
