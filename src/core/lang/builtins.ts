// The one table of built-ins. It alone drives the checker, completion, hover, signature help,
// the generated language reference (docs/language.md, scripts/gen-docs.mjs), what a call means
// (src/core/resolve/spec.ts: defaults live here only) and what a metric's figure reads and says
// (`series`: result keys, titles, axis labels, theory line; resolve/metrics.ts). Parameter names are
// the field names of src/core/numeric/spec.ts (RunSpec, DataSpec, ModelSpec, OptimizerSpec), because the
// call is resolved into a RunSpec by name (src/core/resolve/spec.ts), for lowering and the cost check.
import type { Value } from '../program';

export type BuiltinKind = 'data' | 'model' | 'optimizer' | 'init' | 'schedule' | 'run' | 'value' | 'metric' | 'plot' | 'claim';
export type NodeKind = 'data' | 'model' | 'optimizer' | 'init' | 'schedule' | 'run';
export type ModelKind = 'linear2' | 'diagonal' | 'deep_linear' | 'relu2';

export type ParamType =
  /** `schedule`: a stepsize schedule (`cosine(0.1, 0.001)`) is accepted in place of the number */
  | { t: 'number'; integer?: boolean; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; schedule?: boolean }
  | { t: 'bool' }
  | { t: 'string' }
  /** an identifier from a fixed set, e.g. `of = W1` */
  | { t: 'word'; words: string[] }
  /** `x = lr` in `final(...)`: a parameter swept by the plotted families */
  | { t: 'swept' }
  /** a definition or inline call of one of these kinds */
  | { t: 'node'; kinds: NodeKind[] }
  /** a matrix literal, `?` for a missing entry */
  | { t: 'matrix' }
  /** a metric name, optionally with its options: `test_loss`, `rank(tol = 1e-3)` */
  | { t: 'metric' }
  /** inside `expect`: a claim term such as `final(loss, family)` */
  | { t: 'term' }
  /** an axis range `[a, b]`, a < b (plot options `xlim`, `ylim`) */
  | { t: 'interval' };

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** absent: required (unless `optional`) */
  default?: Value;
  /** not required and has no default: the canonical value is `null` */
  optional?: boolean;
  unit?: string;
  doc: string;
  /** a list of numbers is accepted and makes the enclosing definition a family */
  sweep?: boolean;
  aliases?: string[];
  /** read off a given matrix parameter when that is given (completion: rows, cols of `observed`) */
  sizeOf?: { matrix: string; axis: 'rows' | 'cols' };
  /** added after run keys were fixed: left out of the resolved spec when it has this value (what
   *  its absence means to the numeric core), so runs written before it keep their keys and caches */
  omitWhen?: number;
}

export interface Builtin {
  name: string;
  kind: BuiltinKind;
  /** one line */
  summary: string;
  /** the formula it stands for (markdown, unicode maths) */
  formula?: string;
  params: ParamSpec[];
  /** names of the parameters that may be given positionally, in order */
  positional: string[];
  /** extra positional arguments: the runs (or families) of a plot */
  variadic?: { name: string; doc: string; min: number };
  /** metrics, initialisations, optimisers and data sets: the models it is defined for. A run
   *  pairing an initialisation, optimiser or data set with another model is an `incompatible`
   *  error (constraints.ts checkCompatibility; a metric's is the plot's, plots.ts) */
  models?: ModelKind[];
  /** why `models` restricts it, in its `incompatible` diagnostic: after the models (initialisations),
   *  after its name (optimisers); metrics: the whole clause, instead of `NAME is defined for MODELS` */
  modelsWhy?: string;
  /** optimisers: a step on the full batch is a (heavy-ball) GD step, so GD's stability limit
   *  2(1 + μ)/λ_max(XᵀX) is checked where it takes one (no `batch`, `batch` absent with no
   *  default, or batch ≥ n) */
  gdSteps?: boolean;
  /** optimisers: the optimiser to use on the models it is not for */
  instead?: string;
  /** data sets: the parameters that size a sample, inputs × outputs (absent outputs: 1; absent
   *  inputs: the data file's other columns); a parameter with `sizeOf` is read off its matrix */
  shape?: { inputs?: string; outputs?: string };
  /** data sets: Gaussian inputs x ~ N(0, I), so λ_max(XᵀX) has the Marchenko–Pastur edge and
   *  GD's stability limit is checked (domain.ts) */
  gaussian?: boolean;
  /** data sets: what one training sample is, in messages (default `samples`) */
  samplesAre?: string;
  /** data sets made by no teacher: how a diagnostic names them (`a data file`) */
  teacherless?: string;
  /** metrics measured against the teacher that made the data: why, the data built-in (and word
   *  arguments) it needs when only one will do, and what to use instead */
  against?: { why: string; data?: { name: string; args: Record<string, string> }; instead: string };
  /** models: the data built-ins it trains on (absent: any), and `dataWhy`, what that data is */
  data?: string[];
  dataWhy?: string;
  /** models: its number of outputs, when fixed (a teacher's `k`, a data file's `targets`, must not exceed it) */
  outputs?: number;
  /** models: the only matrices a metric's `of = …` may name for it (the others are not recorded), and why */
  matrices?: { of: string[]; why: string };
  /** metrics: the theory line that `theory = true` draws, if any */
  theory?: string;
  /** metrics: what a plot of it reads and how it is labelled, one entry per result series */
  series?: MetricSeries[];
  /** schedules: its shape spans the run, whose steps enter its spec as `horizon` (part of the run's
   *  key: the schedule of a run of another length is another schedule, not a prefix of it) */
  spansRun?: boolean;
  /** models: the GD stability limit the numeric core attaches to its full-batch GD runs, which
   *  `final(…, x = lr, theory = true)` draws as a rule: its own (`lr_stability_limit`) or that of
   *  the linear model on the same data (`lr_stability_limit_linear`), docs/theory.md §7 */
  stabilityLimit?: 'own' | 'linear';
  /** models: at a Gaussian initialisation (every weight iid N(0, scale²)) the loss Hessian's top
   *  eigenvalue is about `factor(width, scale)`·λ_max(XᵀX) (docs/theory.md §7b); the checker's
   *  stability warning and the divergence explanation use it where the factor exceeds 1 (the
   *  model more curved at init than the linear model it computes). `form` names it in messages. */
  initCurvature?: { form: string; factor: (width: number, scale: number) => number };
  /** models: below this width a recorded quantity is identically degenerate whatever the run
   *  (linear2: det(θᵀθ) ≡ 0 when width < p + k, docs/theory.md §3). `need` takes the data's input
   *  and output sizes; the checker warns with `what` and `because`, the reference lists it. */
  minWidth?: { form: string; need: (inputs: number, outputs: number) => number; what: string; because: string; consequence: string };
  /** models: the name of the end-to-end matrix in labels; `{depth}` is the run's depth */
  product?: string;
  example: string;
}

/**
 * One series a metric draws: the result key it reads (docs/results-format.md), the option values
 * that select it, its figure title and axis label. `{product}` in a label stands for the drawn
 * runs' end-to-end matrix (the models' `product`).
 */
export interface MetricSeries {
  key: string;
  /** option values selecting this series (`of = W2`); the first series is the default */
  when?: Record<string, string>;
  title: string;
  label: string;
  /** one array per recorded step (singular values, Gain per coordinate, one cosine per neuron) */
  vector?: boolean;
  /** a per-unit vector (one value per neuron or coordinate, none of them singled out): a
   *  time-series plot draws each run's mean over the units with their min–max band, as a family
   *  over seeds is drawn, instead of one line per unit; the word names the units in tips */
  spread?: string;
  /** a vector drawn at the run's end, one bar per coordinate (the plot kind `gain` of
   *  docs/results-format.md), not along training */
  byCoordinate?: boolean;
  /** further result keys a time-series plot draws alongside, dashed (loss: test_loss) */
  with?: string[];
  /** the theory line: a straight line from the first recorded value with slope run.theory[rate] per step */
  theoryRate?: string;
  /** the theory line under a stepsize schedule: from the first recorded value, run.theory[this]
   *  per unit of Σ_{u<t} η_u² (the run's `lr_sq_sum` series) */
  theoryRateSq?: string;
  /** computed at plot time: #{i : sᵢ > tol·s₁} of the first of these singular-value series a run has */
  rankOf?: string[];
  /** a value of the final state only, read from the run's `theory` entries under `key` (the core
   *  computes it when a run completes): drawn by final(…) plots, not along training */
  endOfRun?: boolean;
  /** the theory line of a final(…) plot: each run's entry `theory[theoryKey]` */
  theoryKey?: string;
  /** the theory line's name in legends (default `theory`) */
  theoryLabel?: string;
}

const num = (value: number): Value => ({ kind: 'number', value });
const word = (value: string): Value => ({ kind: 'word', value });
const NULL: Value = { kind: 'null' };

const pos = { t: 'number', min: 0, minExclusive: true } as const;
const nonneg = { t: 'number', min: 0 } as const;
const count = (min = 1, max?: number) => ({ t: 'number', integer: true, min, max }) as const;

const seedParam = (what: string): ParamSpec => ({
  name: 'seed',
  type: { t: 'number', integer: true, min: 0 },
  default: num(0),
  doc: `Seed of the ${what} stream, mixed with the file's root seed (\`seed = N\` at top level). A list makes a family over seeds.`,
  sweep: true,
});
const initParam: ParamSpec = {
  name: 'init',
  type: { t: 'node', kinds: ['init'] },
  // gaussian's own defaults: the scale's default lives in its entry only
  default: { kind: 'call', builtin: 'gaussian', args: {} },
  doc: 'Initialisation of the weights: `gaussian(scale)`, `orthogonal(scale)` or `balanced(scale)` (linear models).',
};
const weightDecay: ParamSpec = {
  name: 'weight_decay',
  type: nonneg,
  default: num(0),
  unit: 'λ',
  doc: 'L2 penalty λ: each step also shrinks the parameters, θ ← (1 − 2ηλ)θ − η∇L.',
  sweep: true,
};
const lrParam: ParamSpec = {
  name: 'lr',
  type: { ...pos, schedule: true },
  unit: 'η (stepsize)',
  doc: 'Stepsize η: a number, or a schedule η_t (`cosine(…)`, `step_decay(…)`, `warmup(…)`).',
  sweep: true,
};
const momentumParam: ParamSpec = {
  name: 'momentum',
  type: { t: 'number', min: 0, max: 1, maxExclusive: true },
  default: num(0),
  unit: 'μ',
  doc: 'Heavy-ball momentum μ: θ_{t+1} = θ_t − η∇L(θ_t) + μ(θ_t − θ_{t−1}); 0 is the plain method. On a quadratic, full-batch heavy ball is stable iff η < 2(1 + μ)/λ_max.',
  sweep: true,
  omitWhen: 0,
};

const plotOptions: ParamSpec[] = [
  { name: 'x', type: { t: 'word', words: ['step', 'time'] }, default: word('step'), doc: 'Horizontal axis: the step index, or time t = step · lr (sgf: step · dt).' },
  { name: 'y', type: { t: 'word', words: ['linear', 'log'] }, default: word('linear'), doc: 'Vertical scale.' },
  { name: 'theory', type: { t: 'bool' }, default: { kind: 'bool', value: false }, doc: "Also draw the theory's prediction, where the metric has one." },
  { name: 'title', type: { t: 'string' }, default: NULL, optional: true, doc: 'Figure title (default: the metric).' },
];
/** on every plot: fixed axis ranges (marks outside are clipped at the frame) */
const limitOptions = (x: string): ParamSpec[] => [
  { name: 'xlim', type: { t: 'interval' }, default: NULL, optional: true, doc: `Range [a, b] of the horizontal axis (${x}); default: fitted to the data.` },
  { name: 'ylim', type: { t: 'interval' }, default: NULL, optional: true, doc: 'Range [a, b] of the vertical axis (a > 0 on a log axis); default: fitted to the data (a diverged run does not set it).' },
];

const metric = (
  name: string,
  summary: string,
  formula: string,
  models: ModelKind[],
  series: MetricSeries[],
  extra: ParamSpec[] = [],
  theory?: string,
): Builtin => ({
  name,
  kind: 'metric',
  summary,
  formula,
  params: [...extra, ...plotOptions, ...limitOptions(name === 'gain' ? 'the coordinates drawn, by index' : 'step or time')],
  positional: [],
  variadic: { name: 'runs', doc: 'The runs (or families, or `run[param = value]` members) to draw.', min: 1 },
  models,
  theory,
  series,
  example: `plot ${name}(run${extra.length ? `, ${extra[0].name} = ${exampleValue(extra[0])}` : ''})`,
});

function exampleValue(p: ParamSpec): string {
  if (p.type.t === 'word') return p.type.words[0];
  if (p.default?.kind === 'number') return String(p.default.value);
  return '1';
}

const ALL_MODELS: ModelKind[] = ['linear2', 'diagonal', 'deep_linear', 'relu2'];

export const BUILTINS: Builtin[] = [
  // ---------------- data ----------------
  {
    name: 'teacher',
    kind: 'data',
    summary: 'Gaussian inputs labelled by a random teacher (linear, or a sum of ReLU neurons).',
    formula:
      'x ~ N(0, I_p); linear: Y = X U*, U* ∈ ℝ^{p×k} with N(0, 1) entries; relu: y = Σⱼ relu(w*ⱼᵀx), w*ⱼ ~ N(0, I_p). ' +
      'X and Y are rescaled by 1/√n, so L = ½‖Y − f(X)‖²_F is the mean-squared loss of the raw data and tr(XᵀX) ≈ p.',
    params: [
      { name: 'n', type: count(1), unit: 'samples', doc: 'Number of training samples.', sweep: true },
      { name: 'p', type: count(1), unit: 'input dimension', doc: 'Input dimension.', sweep: true },
      { name: 'k', type: count(1), default: num(1), unit: 'output dimension', doc: 'Output dimension (number of teacher columns).', sweep: true },
      { name: 'noise', type: nonneg, default: num(0), unit: 'std', doc: 'Standard deviation of additive label noise in the data (raw units); 0 = clean.', sweep: true },
      { name: 'test', type: count(0), default: num(1000), unit: 'samples', doc: 'Size of the held-out test set (for `test_loss`).', sweep: true },
      { name: 'activation', type: { t: 'word', words: ['linear', 'relu'] }, default: word('linear'), doc: 'Linear teacher Y = XU*, or ReLU teacher y = Σⱼ relu(w*ⱼᵀx).' },
      { name: 'neurons', type: count(1, 100_000), default: num(3), unit: 'neurons', doc: 'Number of teacher neurons (ReLU teacher only); their directions w*ⱼ are what `alignment` measures.', sweep: true },
      seedParam('data'),
    ],
    positional: ['n', 'p', 'k'],
    shape: { inputs: 'p', outputs: 'k' },
    gaussian: true,
    example: 'data = teacher(n = 40, p = 10, k = 1)',
  },
  {
    name: 'sparse',
    kind: 'data',
    summary: 'Sparse regression: Gaussian inputs, an s-sparse teacher β*.',
    formula: 'x ~ N(0, I_d), β* has s non-zero N(0, 1) entries, y = ⟨β*, x⟩ (+ noise); X, y rescaled by 1/√n.',
    params: [
      { name: 'n', type: count(1), unit: 'samples', doc: 'Number of training samples.', sweep: true },
      { name: 'd', type: count(1), unit: 'dimension', doc: 'Input dimension.', sweep: true },
      { name: 's', type: count(1), unit: 'non-zeros', doc: 'Number of non-zero entries of β* (s ≤ d).', sweep: true },
      { name: 'noise', type: nonneg, default: num(0), unit: 'std', doc: 'Standard deviation of additive label noise (raw units).', sweep: true },
      { name: 'test', type: count(0), default: num(1000), unit: 'samples', doc: 'Size of the held-out test set.', sweep: true },
      seedParam('data'),
    ],
    positional: ['n', 'd', 's'],
    shape: { inputs: 'd' },
    gaussian: true,
    example: 'data = sparse(n = 20, d = 30, s = 3)',
  },
  {
    name: 'csv',
    kind: 'data',
    summary: 'Your own regression data: a CSV file of numbers, the last `targets` columns the targets, a seeded part held out as the test set.',
    formula:
      'rows (xᵢ, yᵢ) of the file, yᵢ its last `targets` columns; n_test = round(test · rows) rows drawn with the data seed are the test set, the others (in file order) the training set. ' +
      'X and Y are rescaled by 1/√n (the test set by 1/√n_test), as for `teacher`: L = ½‖Y − f(X)‖²_F is the mean-squared loss of the raw data. ' +
      'The file\'s content hash is part of every dependent run\'s key: editing it re-runs those runs and nothing else.',
    params: [
      { name: 'path', type: { t: 'string' }, doc: 'The CSV file, relative to the experiment file; it must stay inside the workspace folder (editor), or the current directory or the file\'s git repository (CLI). Numbers separated by commas, one row a line, at most 50 MB and 10⁶ rows.' },
      { name: 'targets', type: count(1), default: num(1), unit: 'output dimension', doc: 'How many of the last columns are the targets y (the others are the inputs x).' },
      { name: 'test', type: { t: 'number', min: 0, max: 1, maxExclusive: true }, default: num(0.2), unit: 'fraction', doc: 'Fraction of the rows held out as the test set (for `test_loss`); 0 trains on every row.', sweep: true },
      { name: 'header', type: { t: 'word', words: ['auto', 'yes', 'no'] }, default: word('auto'), doc: 'Whether the first line names the columns; `auto`: it does when one of its fields is not a number.' },
      seedParam('data (the test split)'),
    ],
    positional: ['path'],
    shape: { outputs: 'targets' },
    teacherless: 'a data file',
    example: 'data = csv("data/housing.csv", targets = 1, test = 0.2)',
  },
  {
    name: 'completion',
    kind: 'data',
    summary: 'Matrix completion: some entries of a matrix are observed, the rest (`?`) are to be predicted.',
    formula:
      'L(A) = ½ Σ_{(i,j) observed} (A_ij − A*_ij)². Either the observed matrix is given (`?` marks a missing entry), ' +
      'or a random rank-r matrix rows × cols is drawn and a fraction of its entries observed.',
    params: [
      { name: 'observed', type: { t: 'matrix' }, default: NULL, optional: true, doc: 'The observed matrix, e.g. `[[1, ?], [0.3, 1]]`; `?` marks a missing entry.' },
      { name: 'rows', type: count(1), optional: true, default: NULL, unit: 'rows', doc: 'Rows of the random matrix (when `observed` is not given).', sweep: true, sizeOf: { matrix: 'observed', axis: 'rows' } },
      { name: 'cols', type: count(1), optional: true, default: NULL, unit: 'columns', doc: 'Columns of the random matrix (when `observed` is not given).', sweep: true, sizeOf: { matrix: 'observed', axis: 'cols' } },
      { name: 'rank', type: count(1), default: num(1), unit: 'rank', doc: 'Rank of the random matrix (≤ min(rows, cols)).', sweep: true },
      { name: 'fraction', type: { t: 'number', min: 0, max: 1, minExclusive: true }, default: num(0.5), unit: 'fraction', doc: 'Fraction of the entries observed (random matrix).', sweep: true },
      seedParam('data'),
    ],
    positional: ['observed'],
    shape: { inputs: 'rows', outputs: 'cols' },
    samplesAre: 'observed entries',
    models: ['deep_linear'],
    example: 'data = completion(observed = [[1, ?], [0.3, 1]])',
  },
  // ---------------- init ----------------
  {
    name: 'gaussian',
    kind: 'init',
    summary: 'Gaussian initialisation.',
    formula: 'every weight ~ N(0, scale²)',
    params: [{ name: 'scale', type: pos, default: num(1), unit: 'std', doc: 'Standard deviation of each initial weight.', sweep: true }],
    positional: ['scale'],
    example: 'init = gaussian(scale = 0.5)',
  },
  {
    name: 'orthogonal',
    kind: 'init',
    summary: 'Orthogonal initialisation: every weight matrix is a random semi-orthogonal matrix times scale.',
    formula:
      'W = scale·Q ∈ ℝ^{a×b}, Q Haar-distributed with QᵀQ = I_b if a ≥ b (orthonormal columns), QQᵀ = I_a if a < b (orthonormal rows); ' +
      'drawn by Gram–Schmidt (twice) on N(0, 1) draws. Every singular value of W is scale.',
    params: [{ name: 'scale', type: pos, default: num(1), unit: 'singular value', doc: 'The singular values of each weight matrix.', sweep: true }],
    positional: ['scale'],
    models: ['linear2', 'deep_linear', 'relu2'],
    example: 'init = orthogonal(scale = 0.5)',
  },
  {
    name: 'balanced',
    kind: 'init',
    summary: 'Balanced initialisation: W1ᵀW1 = W2W2ᵀ at step 0, so the conserved quantities of gradient flow start at zero.',
    formula:
      'layer sizes d_0 … d_L, r = min_m d_m, Q_m ∈ ℝ^{d_m×r} with orthonormal columns (Haar), W_m = scale·Q_m Q_{m−1}ᵀ: then ' +
      'W_{m+1}ᵀW_{m+1} = scale²·Q_mQ_mᵀ = W_mW_mᵀ for every m (linear2: W1ᵀW1 = W2W2ᵀ; `imbalance` starts at 0), every W_m has r singular values equal to scale. ' +
      'Not for relu2: a ReLU network conserves only each neuron\'s ‖wⱼ‖² − ‖aⱼ‖².',
    params: [{ name: 'scale', type: pos, default: num(1), unit: 'singular value', doc: 'The non-zero singular values of each weight matrix.', sweep: true }],
    positional: ['scale'],
    models: ['linear2', 'deep_linear'],
    modelsWhy: 'a ReLU network conserves only each neuron’s ‖wⱼ‖² − ‖aⱼ‖², not W1ᵀW1 − W2W2ᵀ',
    example: 'init = balanced(scale = 0.5)',
  },
  // ---------------- stepsize schedules ----------------
  {
    name: 'cosine',
    kind: 'schedule',
    summary: 'Cosine-annealed stepsize over the run, from `from` at step 0 down to `to` at its last step.',
    formula: 'η_t = to + (from − to)·(1 + cos(πt/T))/2, t = 0 … T − 1, T = the run\'s steps (so a cosine run of another length is another run)',
    params: [
      { name: 'from', type: pos, unit: 'η₀', doc: 'Stepsize at step 0.', sweep: true },
      { name: 'to', type: nonneg, unit: 'η_T', doc: 'Stepsize reached at the end of the run.', sweep: true },
    ],
    positional: ['from', 'to'],
    spansRun: true,
    example: 'opt = gd(lr = cosine(0.1, 0.001))',
  },
  {
    name: 'step_decay',
    kind: 'schedule',
    summary: 'Piecewise-constant stepsize, multiplied by `factor` every `every` steps.',
    formula: 'η_t = from · factor^⌊t/every⌋',
    params: [
      { name: 'from', type: pos, unit: 'η₀', doc: 'Stepsize of the first `every` steps.', sweep: true },
      { name: 'factor', type: { t: 'number', min: 0, max: 1, minExclusive: true }, unit: 'ratio', doc: 'Factor applied at each decay, in (0, 1].', sweep: true },
      { name: 'every', type: count(1), unit: 'steps', doc: 'Steps between two decays.', sweep: true },
    ],
    positional: ['from', 'factor', 'every'],
    example: 'opt = sgd(lr = step_decay(0.1, 0.5, 1000), batch = 4)',
  },
  {
    name: 'warmup',
    kind: 'schedule',
    summary: 'Linear warm-up to `to` over the first `steps` steps, then constant.',
    formula: 'η_t = to·(t + 1)/steps for t < steps, then η_t = to',
    params: [
      { name: 'to', type: pos, unit: 'η', doc: 'Stepsize after the warm-up.', sweep: true },
      { name: 'steps', type: count(1), unit: 'steps', doc: 'Length of the warm-up.', sweep: true },
    ],
    positional: ['to', 'steps'],
    example: 'opt = label_noise(lr = warmup(0.05, 500), delta = 1)',
  },
  // ---------------- models ----------------
  {
    name: 'linear2',
    kind: 'model',
    summary: 'Two-layer linear network.',
    formula: 'f(x) = W2ᵀW1ᵀx, W1 ∈ ℝ^{p×l}, W2 ∈ ℝ^{l×k}, l = width; θ = [W1ᵀ | W2] ∈ ℝ^{l×(p+k)}.',
    params: [
      { name: 'width', type: count(1), unit: 'hidden units (l)', doc: 'Hidden width l. det(θᵀθ) ≡ 0 when l < p + k.', sweep: true },
      initParam,
      seedParam('initialisation'),
    ],
    positional: ['width', 'init'],
    product: 'W1W2',
    stabilityLimit: 'linear',
    // Gauss–Newton part: E[uᵀKu] = 2·width·scale²·λ_max(XᵀX) for the top eigenvector u of XXᵀ (§7b)
    initCurvature: { form: '2·width·scale²', factor: (width, scale) => 2 * width * scale * scale },
    // θᵀθ is (p+k)×(p+k) of rank ≤ width
    minWidth: { form: 'p + k', need: (p, k) => p + k, what: 'det(θᵀθ) is 0 for all time', because: 'θ = [W1ᵀ | W2] is width × (p + k)', consequence: 'the determinant plot carries no signal' },
    example: 'net = linear2(width = 20, init = gaussian(scale = 0.5))',
  },
  {
    name: 'diagonal',
    kind: 'model',
    summary: 'Diagonal linear network.',
    formula: 'β = u ⊙ v, u₀ = √2·α·𝟙, v₀ = 0 (so β₀ = 0).',
    params: [
      { name: 'alpha', type: pos, unit: 'α (init scale)', doc: 'Initialisation scale α: small α is the rich (sparse) regime.', sweep: true },
      seedParam('initialisation'),
    ],
    positional: ['alpha'],
    outputs: 1,
    stabilityLimit: 'own',
    example: 'net = diagonal(alpha = 0.1)',
  },
  {
    name: 'deep_linear',
    kind: 'model',
    summary: 'Deep linear network for matrix completion.',
    formula: 'A = W_L ⋯ W_1, L = depth, inner widths = width.',
    params: [
      { name: 'depth', type: count(2, 50), unit: 'layers (L)', doc: 'Number of layers L (rank jumps need L ≥ 3).', sweep: true },
      { name: 'width', type: count(1), unit: 'units', doc: 'Width of the inner layers.', sweep: true },
      initParam,
      seedParam('initialisation'),
    ],
    positional: ['depth', 'width', 'init'],
    product: 'W{depth}⋯W1',
    data: ['completion'],
    dataWhy: 'matrix completion data',
    matrices: { of: ['product'], why: 'a deep_linear model has only the end-to-end matrix' },
    example: 'net = deep_linear(depth = 3, width = 2, init = gaussian(scale = 1))',
  },
  {
    name: 'relu2',
    kind: 'model',
    summary: 'One-hidden-layer ReLU network.',
    formula: 'f(x) = Σⱼ aⱼ relu(wⱼᵀx), j = 1 … width.',
    params: [
      { name: 'width', type: count(1), unit: 'neurons', doc: 'Number of hidden neurons.', sweep: true },
      initParam,
      seedParam('initialisation'),
    ],
    positional: ['width', 'init'],
    outputs: 1,
    matrices: { of: ['W1'], why: 'for a relu2 model the singular values are recorded for its first layer' },
    stabilityLimit: 'linear',
    example: 'net = relu2(width = 20, init = gaussian(scale = 0.5))',
  },
  // ---------------- optimisers ----------------
  {
    name: 'gd',
    kind: 'optimizer',
    summary: 'Full-batch gradient descent.',
    formula: 'θ ← θ − η∇L(θ). Diverges (on a quadratic) when η > 2/λ_max.',
    params: [lrParam, momentumParam, weightDecay],
    positional: ['lr'],
    gdSteps: true,
    example: 'opt = gd(lr = 0.01)',
  },
  {
    name: 'sgd',
    kind: 'optimizer',
    summary: 'Stochastic gradient descent on mini-batches drawn without replacement.',
    formula: 'θ ← θ − η∇L_B(θ), L_B = 1/(2b) Σ_{i∈B} (yᵢ − f(xᵢ))², |B| = b (completion: one observed entry per sample).',
    params: [lrParam, { name: 'batch', type: count(1), default: num(1), unit: 'samples (b)', doc: 'Mini-batch size b (b = n is GD).', sweep: true }, momentumParam, weightDecay],
    positional: ['lr', 'batch'],
    gdSteps: true,
    example: 'opt = sgd(lr = 0.1, batch = 1)',
  },
  {
    name: 'label_noise',
    kind: 'optimizer',
    summary: 'Gradient descent on labels perturbed afresh at every step.',
    formula:
      'Y_t = Y + √δ·ε_t, ε_t ~ N(0, 1) (n×k): the Euler–Maruyama scheme, step η, of the SGF dθ = θ[J dt + √(ηδ) dΞ]. ' +
      'Theorem 4.2 (Varre et al.): log det(θᵀθ) falls by 2η²δ·k·tr(XᵀX) per step.',
    params: [
      lrParam,
      { name: 'delta', type: nonneg, unit: 'δ (variance)', doc: 'Variance δ of the noise added to the (rescaled) labels.', sweep: true },
      momentumParam,
      { name: 'batch', type: count(1), default: NULL, optional: true, unit: 'samples', doc: 'Mini-batch size (default: full batch n).', sweep: true },
      weightDecay,
    ],
    positional: ['lr', 'delta'],
    gdSteps: true,
    example: 'opt = label_noise(lr = 0.01, delta = 2)',
  },
  {
    name: 'sgf',
    kind: 'optimizer',
    summary: 'Stochastic gradient flow, integrated by Euler–Maruyama with its own time step.',
    formula: 'dθ = θJ dt + √(ηδ)·θ Ξ(dB); θ ← θ(I + hJ + √(ηδ)Ξ(dB)), dB ~ N(0, h), h = dt. With dt = lr this is label-noise GD in law.',
    params: [
      { name: 'dt', type: pos, unit: 'h (time step)', doc: 'Time step h of the Euler–Maruyama scheme.', sweep: true },
      { name: 'lr', type: pos, unit: 'η', doc: 'The η in the noise scale √(ηδ).', sweep: true },
      { name: 'delta', type: nonneg, unit: 'δ (variance)', doc: 'Label-noise variance δ.', sweep: true },
      weightDecay,
    ],
    positional: ['dt', 'lr', 'delta'],
    models: ['linear2'],
    modelsWhy: 'integrates the stochastic gradient flow of the two-layer linear network (Varre et al.)',
    instead: 'label_noise',
    example: 'opt = sgf(dt = 0.001, lr = 0.01, delta = 2)',
  },
  // ---------------- runs ----------------
  {
    name: 'train',
    kind: 'run',
    summary: 'A training run. Passing a run as `model` continues from its final parameters (an offshoot).',
    formula: 'θ₀ = init (or the final θ of the run given as model); θ_{t+1} = step(θ_t), t < steps; `record` points are kept, spaced so early and late dynamics both show.',
    params: [
      { name: 'model', type: { t: 'node', kinds: ['model', 'run'] }, doc: 'The model, or a run to continue from (offshoot).' },
      { name: 'data', type: { t: 'node', kinds: ['data'] }, doc: 'The data set.' },
      { name: 'optimizer', type: { t: 'node', kinds: ['optimizer'] }, doc: 'The optimiser.', aliases: ['optimiser'] },
      { name: 'steps', type: count(1, 1e9), unit: 'steps', doc: 'Number of optimisation steps.', sweep: true },
      { name: 'record', type: count(2, 100_000), default: num(1000), unit: 'points', doc: 'Approximate number of recorded points.' },
      seedParam('noise (batches, label noise)'),
    ],
    positional: ['model', 'data', 'optimizer', 'steps'],
    example: 'run = train(net, data, gd(lr = 0.01), steps = 20000)',
  },
  // ---------------- values ----------------
  {
    name: 'linspace',
    kind: 'value',
    summary: 'num evenly spaced values from start to stop (both included).',
    formula: 'xᵢ = start + i·(stop − start)/(num − 1), i = 0 … num − 1',
    params: [
      { name: 'start', type: { t: 'number' }, doc: 'First value.' },
      { name: 'stop', type: { t: 'number' }, doc: 'Last value.' },
      { name: 'num', type: count(1, 10_000), doc: 'How many values.' },
    ],
    positional: ['start', 'stop', 'num'],
    example: 'lrs = linspace(0.01, 0.6, 15)',
  },
  {
    name: 'logspace',
    kind: 'value',
    summary: 'num geometrically spaced values from start to stop (the values themselves, not exponents as in numpy.logspace).',
    formula: 'xᵢ = start·(stop/start)^{i/(num − 1)}, i = 0 … num − 1',
    params: [
      { name: 'start', type: pos, doc: 'First value (> 0).' },
      { name: 'stop', type: pos, doc: 'Last value (> 0).' },
      { name: 'num', type: count(1, 10_000), doc: 'How many values.' },
    ],
    positional: ['start', 'stop', 'num'],
    example: 'lrs = logspace(0.001, 0.1, 5)',
  },
  // ---------------- metrics (usable in plots) ----------------
  metric('loss', 'Training loss.', 'L(θ) = ½‖Y − f(X)‖²_F on the rescaled data (the mean-squared loss of the raw data); completion: ½ · mean over observed entries of (A_ij − A*_ij)².', ALL_MODELS,
    [{ key: 'loss', title: 'training loss', label: 'loss', with: ['test_loss'] }]),
  metric('test_loss', 'Loss on the held-out test set (completion: on the missing entries).', '½‖Y_test − f(X_test)‖²_F with the test set rescaled by 1/√n_test (same scale as `loss`); completion: ½ · mean over missing entries of (A_ij − A*_ij)², A* the true matrix (given entries: their rank-1 completion)', ALL_MODELS,
    [{ key: 'test_loss', title: 'test loss', label: 'test loss' }]),
  metric('missing_error', 'RMS error on the missing entries of a completion problem.', '√(mean over missing (i, j) of (A_ij − A*_ij)²)', ['deep_linear'],
    [{ key: 'missing_error', title: 'error on missing entries', label: 'error on missing entries' }]),
  metric(
    'logdet',
    'log det(θᵀθ), θ = [W1ᵀ | W2]: conserved by gradient flow, driven down linearly by label noise.',
    'log det(θᵀθ) = 2Σᵢ log sᵢ(θ); per step of label-noise GD it falls by 2η²δ·k·tr(XᵀX) (Theorem 4.2).',
    ['linear2'],
    [{ key: 'logdet', title: 'log det(θᵀθ)', label: 'log det(θᵀθ)', theoryRate: 'logdet_rate_per_step', theoryRateSq: 'logdet_rate_per_lr2', theoryLabel: 'theory (Thm 4.2)' }],
    [],
    'label_noise / sgf: the line log det(θ₀ᵀθ₀) − 2ηδ·k·tr(XᵀX)·t (Theorem 4.2); under a stepsize schedule the curve log det(θ₀ᵀθ₀) − 2δ·k·tr(XᵀX)·Σ_{u<t} η_u²',
  ),
  metric(
    'singular_values',
    'Singular values of a weight matrix along training.',
    'σ₁ ≥ σ₂ ≥ … of W1, W2 or the end-to-end matrix W1W2 (deep_linear: A = W_L⋯W_1; relu2: the first layer W1).',
    ['linear2', 'deep_linear', 'relu2'],
    [
      { key: 'sv_W1', when: { of: 'W1' }, title: 'singular values of W1', label: 'singular values of W1', vector: true },
      { key: 'sv_W2', when: { of: 'W2' }, title: 'singular values of W2', label: 'singular values of W2', vector: true },
      { key: 'sv_product', when: { of: 'product' }, title: 'singular values of {product}', label: 'singular values of {product}', vector: true },
    ],
    [
      { name: 'of', type: { t: 'word', words: ['W1', 'W2', 'product'] }, default: word('W1'), doc: 'Which matrix: W1, W2 or the end-to-end product (deep_linear: product only; relu2: W1 only).' },
      { name: 'top', type: count(1, 1000), default: num(5), unit: 'values', doc: 'How many of the largest singular values to draw.' },
    ],
  ),
  metric('sv_ratio', 'Ratio s₂/s₁ of the end-to-end matrix: near 0 means (numerically) rank 1.', 's₂(A)/s₁(A), A = W1W2 or W_L⋯W_1', ['linear2', 'deep_linear'],
    [{ key: 'sv_ratio', title: 's₂/s₁ of {product}', label: 's₂/s₁ of {product}' }]),
  metric('gain_norm', '‖Gain_γ‖₁ of a diagonal network along training: the ℓ1 norm of the per-coordinate gain (Even et al. 2023).', '‖Gain_γ‖₁ = Σ_k |Gain_k| over the coordinates', ['diagonal'],
    [{ key: 'gain_norm', title: '‖Gain_γ‖₁', label: '‖Gain_γ‖₁' }]),
  {
    ...metric('gain', 'Gain_γ per coordinate (diagonal networks).', '(u_k² − v_k²)/2 = α²·exp(−Gain_k), Gain_k = Σ_{j<k} q(γ g_j), q(x) = −½ ln((1 − x²)²) (Even et al. 2023)', ['diagonal'],
      [{ key: 'gain', title: 'Gain_γ per coordinate', label: 'Gain_γ', vector: true, byCoordinate: true }]),
    modelsWhy: 'Gain_γ is defined for diagonal networks',
  },
  {
    ...metric('effective_alpha', 'Effective initialisation scale α∞ of a diagonal network: the geometric mean over coordinates (α∞,i = α·exp(−Gain_i/2) per coordinate follows from gain).', 'α∞ = α·exp(−mean_i Gain_i / 2) = (∏_i α∞,i)^(1/d)', ['diagonal'],
      [{ key: 'effective_alpha', title: 'effective α', label: 'α∞ (effective init)' }]),
    modelsWhy: 'Gain_γ is defined for diagonal networks',
  },
  metric(
    'bias_gap',
    "Relative distance of a diagonal network's final β to a prediction of its implicit bias (Even et al. 2023): exact (the Bregman divergence of ψ_{α∞} from β̃₀), effective (the paper's approximation argmin ψ_{α∞}) or flow (gradient flow's argmin ψ_α). Computed at the end of a completed run: use it in final(…).",
    '‖β_T − β̂‖/‖β̂‖, β̂ = argmin_{Xβ = y} D_{ψ_{α∞}}(β, β̃₀) (exact; β̃₀ = α∞² ⊙ sinh ρ⊥), argmin_{Xβ = y} ψ_{α∞} (effective), argmin_{Xβ = y} ψ_α (flow); α∞, ρ of the final state',
    ['diagonal'],
    [
      { key: 'bias_gap_exact', when: { to: 'exact' }, title: 'distance to the exact implicit-bias prediction', label: '‖β − β̂_exact‖/‖β̂_exact‖', endOfRun: true },
      { key: 'bias_gap_effective', when: { to: 'effective' }, title: 'distance to argmin ψ_{α∞} (effective init)', label: '‖β − β̂_eff‖/‖β̂_eff‖', endOfRun: true, theoryKey: 'bias_gap_exact', theoryLabel: 'exact prediction' },
      { key: 'bias_gap_flow', when: { to: 'flow' }, title: "distance to gradient flow's argmin ψ_α", label: '‖β − β̂_flow‖/‖β̂_flow‖', endOfRun: true, theoryKey: 'bias_gap_exact', theoryLabel: 'exact prediction' },
    ],
    [{ name: 'to', type: { t: 'word', words: ['exact', 'effective', 'flow'] }, default: word('exact'), doc: 'Which prediction: exact (Bregman divergence from β̃₀), effective (argmin ψ_{α∞}, β̃₀ dropped) or flow (argmin ψ_α).' }],
    "the gap to the exact prediction, which is 0 up to the run's convergence",
  ),
  metric('imbalance', 'Imbalance of consecutive layers; conserved by gradient flow, not by SGF.', '‖W1ᵀW1 − W2W2ᵀ‖_F (deep_linear: √Σ_m ‖W_{m+1}ᵀW_{m+1} − W_mW_mᵀ‖²_F)', ['linear2', 'deep_linear'],
    [{ key: 'imbalance', title: '‖W1ᵀW1 − W2W2ᵀ‖_F', label: '‖W1ᵀW1 − W2W2ᵀ‖_F' }]),
  {
    ...metric('alignment', "Each hidden neuron's largest |cosine| with a teacher direction (ReLU teacher). A time-series plot draws each run's mean over its neurons with their min–max band (the band a family over seeds gets), not one line per neuron; `final(alignment, r)` is the mean over the neurons.", 'maxⱼ |⟨wᵢ, w*ⱼ⟩| / (‖wᵢ‖‖w*ⱼ‖)', ['relu2'],
      [{ key: 'alignment', title: 'alignment to the teacher', label: 'alignment |cos|', vector: true, spread: 'neurons' }]),
    against: { why: 'alignment measures neurons against the directions of a ReLU teacher', data: { name: 'teacher', args: { activation: 'relu' } }, instead: 'teacher(…, activation = relu)' },
  },
  {
    ...metric('distance', 'Distance to the teacher.', '‖W1W2 − U*‖_F (linear2), ‖β − β*‖ (diagonal), ‖A − A*‖_F (deep_linear)', ['linear2', 'diagonal', 'deep_linear'],
      [{ key: 'distance', title: 'distance to the teacher', label: 'distance' }]),
    against: { why: 'distance measures the model against the teacher that made the data', instead: 'loss or test_loss' },
  },
  metric(
    'rank',
    'Numerical rank of a weight matrix, computed when drawn from its recorded singular values (so any tol works): linear2 counts W1 unless of = product; deep_linear its end-to-end matrix A = W_L⋯W_1.',
    '#{i : sᵢ > tol·s₁}, sᵢ the singular values of W1 or of the end-to-end matrix',
    ['linear2', 'deep_linear'],
    [
      { key: 'rank', title: 'numerical rank', label: 'rank', rankOf: ['sv_W1', 'sv_product'] },
      { key: 'rank', when: { of: 'W1' }, title: 'numerical rank of W1', label: 'rank of W1', rankOf: ['sv_W1'] },
      { key: 'rank', when: { of: 'product' }, title: 'numerical rank of {product}', label: 'rank of {product}', rankOf: ['sv_product'] },
    ],
    [
      { name: 'tol', type: { t: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true }, default: num(1e-3), doc: 'Relative threshold on s_i/s_1.' },
      { name: 'of', type: { t: 'word', words: ['W1', 'product'] }, optional: true, default: NULL, doc: 'Which matrix: W1 or the end-to-end product (default: W1 for linear2, the product for deep_linear, whose only matrix it is).' },
    ],
  ),
  // ---------------- plots ----------------
  {
    name: 'final',
    kind: 'plot',
    summary: "A metric's final value against a swept parameter, one line per family. A run whose training loss has not converged (its last recorded loss above 1 % of its first) is drawn hollow and counted in the legend.",
    formula: 'for each member m of each family: point (x_m, METRIC(m) at the last step)',
    params: [
      { name: 'metric', type: { t: 'metric' }, doc: 'The metric, e.g. `test_loss` or `rank(tol = 1e-3)`.' },
      { name: 'x', type: { t: 'swept' }, optional: true, default: NULL, doc: 'The swept parameter on the horizontal axis (default: the only one).' },
      { name: 'y', type: { t: 'word', words: ['linear', 'log'] }, default: word('linear'), doc: 'Vertical scale.' },
      { name: 'theory', type: { t: 'bool' }, default: { kind: 'bool', value: false }, doc: "Also draw the theory's prediction of the final value, where the metric has one (logdet: log det(θ₀ᵀθ₀) − 2η²δ·k·tr(XᵀX)·steps, Theorem 4.2; bias_gap: the gap to the exact prediction), and with x = lr GD's stability limit as a vertical rule where it is known (diagonal: 2/λ_max of the Hessian at gradient flow's interpolator; linear2 and relu2: 2/λ_max(XᵀX), the limit of the linear model on the same data, drawn as its own rule, docs/theory.md §7)." },
      { name: 'title', type: { t: 'string' }, default: NULL, optional: true, doc: 'Figure title.' },
      ...limitOptions('the swept parameter'),
    ],
    positional: ['metric'],
    variadic: { name: 'runs', doc: 'The families to draw.', min: 1 },
    example: 'plot final(test_loss, gd, sgd, x = lr, y = log)',
  },
];

export const BUILTIN_BY_NAME: ReadonlyMap<string, Builtin> = new Map(BUILTINS.map((b) => [b.name, b]));

// ---------------- claim terms (inside `expect`) ----------------
// A claim reads numbers off the results (src/core/claims.ts). These names live in their own table
// because `final` also names a plot: inside `expect`, a call means the claim term.
const claimMetric: ParamSpec = { name: 'metric', type: { t: 'metric' }, doc: 'A scalar metric recorded for the run, e.g. `test_loss`, `logdet`, `rank`.' };
const claimRun: ParamSpec = { name: 'run', type: { t: 'node', kinds: ['run'] }, doc: 'A run, a family (the claim must hold for every member) or a member `run[param = value]`.' };
const claimTerm = (name: string, summary: string, formula: string, example: string, extra: ParamSpec[] = []): Builtin => ({
  name, kind: 'claim', summary, formula, params: [claimMetric, claimRun, ...extra], positional: ['metric', 'run'], example,
});

export const CLAIM_TERMS: Builtin[] = [
  claimTerm('final', 'The last finite recorded value of a metric.', 'METRIC(run) at the last recorded step where it is finite', 'expect final(test_loss, sgd) < final(test_loss, gd)'),
  claimTerm(
    'slope',
    'Least-squares slope of a metric per step over its recorded range (or from … to).',
    'Σ(tᵢ − t̄)(yᵢ − ȳ) / Σ(tᵢ − t̄)², tᵢ the recorded steps in [from, to] where the metric is finite',
    'expect slope(logdet, ln) ≈ theory(logdet, ln) within 8%',
    [
      { name: 'from', type: { t: 'number', min: 0 }, optional: true, default: NULL, unit: 'step', doc: 'First step of the fit (default: the first recorded).' },
      { name: 'to', type: { t: 'number', min: 0 }, optional: true, default: NULL, unit: 'step', doc: 'Last step of the fit (default: the last recorded).' },
    ],
  ),
  claimTerm(
    'theory',
    "The theory's value for what the other side of the claim measures: beside a slope the predicted rate per step, otherwise the predicted final value. An error for a metric without a theory.",
    'logdet (Varre et al., Thm 4.2): rate −2η²δ·k·tr(XᵀX) per step (run.theory.logdet_rate_per_step); final value log det(θ₀ᵀθ₀) + rate·steps; under a stepsize schedule final values only, log det(θ₀ᵀθ₀) − 2δ·k·tr(XᵀX)·Σ_t η_t²',
    'expect slope(logdet, ln) ≈ theory(logdet, ln) within 8%',
  ),
  claimTerm('max', 'The largest finite recorded value of a metric.', 'max over recorded steps of METRIC(run)', 'expect max(loss, gd) < 100'),
  claimTerm('min', 'The smallest finite recorded value of a metric.', 'min over recorded steps of METRIC(run)', 'expect min(distance, r) < 0.1'),
  {
    name: 'mean',
    kind: 'claim',
    summary: 'The mean of a term over the members of a family (the claim then holds once, not per member).',
    formula: '(1/m) Σ over the m members of TERM(member)',
    params: [{ name: 'term', type: { t: 'term' }, doc: 'A claim term over a family, e.g. `final(test_loss, sgd)`.' }],
    positional: ['term'],
    example: 'expect mean(final(test_loss, sgd)) < mean(final(test_loss, gd))',
  },
];

export const CLAIM_BY_NAME: ReadonlyMap<string, Builtin> = new Map(CLAIM_TERMS.map((b) => [b.name, b]));

/** Words that cannot be defined. */
export const RESERVED = new Set(['plot', 'expect', 'true', 'false', 'seed']);

export const KIND_LABEL: Record<BuiltinKind, string> = {
  data: 'data set',
  model: 'model',
  optimizer: 'optimiser',
  init: 'initialisation',
  schedule: 'stepsize schedule',
  run: 'run',
  value: 'value',
  metric: 'metric',
  plot: 'plot',
  claim: 'claim term',
};

/** `a model`, `an optimiser`, `an initialisation`: the article a kind label (or a list of them) takes. */
export function withArticle(label: string): string {
  return (/^[aeiou]/i.test(label) ? 'an ' : 'a ') + label;
}

/**
 * Whether a step of this optimiser, with this batch (null or absent: the whole data set) on n
 * samples, is a full-batch (heavy-ball) GD step: its row declares `gdSteps`, and it draws no
 * mini-batch smaller than the data (numeric/model.ts batchOf turns batch ≥ n into the full batch).
 * The one statement of the rule, for the checker's stability warning (domain.ts) and the runtime
 * divergence explanation (graph/divergence.ts).
 */
export function fullBatchSteps(optimizer: string, batch: number | null | undefined, n: number): boolean {
  return BUILTIN_BY_NAME.get(optimizer)?.gdSteps === true && (batch == null || batch >= n);
}

export function findParam(b: Builtin, name: string): ParamSpec | undefined {
  return b.params.find((p) => p.name === name || p.aliases?.includes(name));
}

/** The signature as text: `teacher(n, p, k = 1, …)`. */
export function signature(b: Builtin): string {
  const parts: string[] = [];
  const fmtDefault = (v: Value): string =>
    v.kind === 'number' ? String(v.value) : v.kind === 'word' ? v.value : v.kind === 'bool' ? String(v.value) : v.kind === 'call' ? `${v.builtin}(…)` : 'none';
  const variadicAfter = b.positional.length;
  b.params.forEach((p, i) => {
    if (b.variadic && i === variadicAfter) parts.push(`${b.variadic.name}…`);
    parts.push(p.default !== undefined && !(p.optional && p.default.kind === 'null') ? `${p.name} = ${fmtDefault(p.default)}` : p.optional ? `${p.name}?` : p.name);
  });
  if (b.variadic && b.params.length <= variadicAfter) parts.push(`${b.variadic.name}…`);
  return `${b.name}(${parts.join(', ')})`;
}

export function describeType(t: ParamType): string {
  switch (t.t) {
    case 'number': {
      const base = t.integer ? 'integer' : 'number';
      const lo = t.min !== undefined ? `${t.minExclusive ? '>' : '≥'} ${t.min}` : '';
      const hi = t.max !== undefined ? `${t.maxExclusive ? '<' : '≤'} ${t.max}` : '';
      return [base, lo, hi].filter(Boolean).join(', ') + (t.schedule ? ', or a stepsize schedule' : '');
    }
    case 'bool':
      return 'true | false';
    case 'string':
      return 'string';
    case 'word':
      return t.words.join(' | ');
    case 'swept':
      return 'a swept parameter name';
    case 'node':
      return t.kinds.map((k) => KIND_LABEL[k]).join(' or ');
    case 'matrix':
      return 'matrix ([[…], …], `?` = missing)';
    case 'metric':
      return 'metric';
    case 'term':
      return 'claim term';
    case 'interval':
      return 'a range [a, b], a < b';
  }
}

/** Markdown documentation of a built-in (hover, completion, docs/language.md). */
export function builtinMarkdown(b: Builtin, opts: { heading?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(opts.heading ? `### \`${signature(b)}\`` : '```sgdexp\n' + signature(b) + '\n```');
  lines.push('');
  lines.push(`*${KIND_LABEL[b.kind]}* — ${b.summary}`);
  if (b.formula) lines.push('', `Formula: ${b.formula}`);
  for (const line of constraintLines(b)) lines.push('', line);
  if (b.theory) lines.push('', `Theory line: ${b.theory}.`);
  lines.push('');
  if (b.variadic) lines.push(`- \`${b.variadic.name}…\` — ${b.variadic.doc}`);
  for (const p of b.params) lines.push(`- ${paramLine(p)}`);
  lines.push('', 'Example: `' + b.example + '`');
  return lines.join('\n');
}

/** The constraints a row declares, as reference lines (enforced by constraints.ts, domain.ts and, for metrics, plots.ts). */
export function constraintLines(b: Builtin): string[] {
  const code = (x: string) => '`' + x + '`';
  const out: string[] = [];
  if (b.models) out.push(`Defined for: ${b.models.map(code).join(', ')}${b.instead ? `; on another model use ${code(b.instead)}` : ''}.`);
  if (b.data) out.push(`Trains on: ${b.dataWhy ? `${b.dataWhy}, ` : ''}${b.data.map((d) => code(`${d}(…)`)).join(' or ')}.`);
  if (b.gdSteps) out.push(`Stability: its full-batch steps are checked against GD's limit 2(1 + μ)/λ_max(XᵀX) (Gaussian data).`);
  if (b.against) out.push(`Needs: ${b.against.data ? `${code(`${b.against.data.name}(…, ${Object.entries(b.against.data.args).map(([k, v]) => `${k} = ${v}`).join(', ')})`)} data` : 'data made by a teacher'} (${b.against.why}).`);
  if (b.teacherless) out.push(`Made by no teacher: ${BUILTINS.filter((x) => x.against).map((x) => code(x.name)).join(', ')} do not apply.`);
  if (b.matrices) out.push(`Matrices: \`of = ${b.matrices.of.join(' | ')}\` only (${b.matrices.why}).`);
  if (b.initCurvature) out.push(`Curvature at a Gaussian initialisation: the loss Hessian's top eigenvalue is ≈ ${b.initCurvature.form}·λ_max(XᵀX); full-batch steps are checked against 2/that where it exceeds λ_max(XᵀX).`);
  if (b.stabilityLimit) out.push(`Stability limit: \`final(…, x = lr, theory = true)\` draws ${b.stabilityLimit === 'own' ? "GD's limit for this model" : "the linear model's GD limit 2/λ_max(XᵀX) on the same data"} as a rule (full-batch GD runs).`);
  if (b.outputs !== undefined) out.push(`Outputs: ${b.outputs} (a teacher's \`k\`, a data file's \`targets\`, at most ${b.outputs}).`);
  return out;
}

export function paramLine(p: ParamSpec): string {
  const dflt =
    p.default === undefined ? (p.optional ? 'optional' : '**required**') : p.default.kind === 'null' ? 'optional' : `default ${valueText(p.default)}`;
  const unit = p.unit ? `, ${p.unit}` : '';
  const sweep = p.sweep ? '; a list sweeps it' : '';
  const alias = p.aliases?.length ? ` (also \`${p.aliases.join('`, `')}\`)` : '';
  return `\`${p.name}\`${alias} (${describeType(p.type)}${unit}; ${dflt}${sweep}) — ${p.doc}`;
}

export function valueText(v: Value): string {
  switch (v.kind) {
    case 'number':
      return String(v.value);
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
      return String(v.value);
    case 'word':
      return v.value;
    case 'null':
      return 'none';
    case 'ref':
      return v.name;
    case 'select':
      return `${v.name}[${v.where.map((w) => `${w.param} = ${w.value}`).join(', ')}]`;
    case 'list':
      return `[${v.items.map(valueText).join(', ')}]`;
    case 'matrix':
      return `[${v.rows.map((r) => `[${r.map((x) => (x === null ? '?' : String(x))).join(', ')}]`).join(', ')}]`;
    case 'call': {
      // a default call (`init = gaussian()`) shows the defaults of its own entry
      const dflt = (BUILTIN_BY_NAME.get(v.builtin)?.params ?? []).filter((p) => p.default && p.default.kind !== 'null').map((p) => [p.name, p.default!] as [string, Value]);
      return `${v.builtin}(${(Object.keys(v.args).length ? Object.entries(v.args) : dflt)
        .map(([k, a]) => `${k} = ${valueText(a)}`)
        .join(', ')})`;
    }
  }
}
