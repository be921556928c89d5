// The resolved description of one training run: what the stepping core consumes.
// The language's checker + the reactive graph lower a `.sgdexp` definition to a RunSpec;
// the CLI, the worker threads and the tests all hand RunSpecs to `runTraining` (run.ts).
// Every field is plain JSON so that a RunSpec can be hashed canonically and sent to a worker.

/** init.ts: the weights' distribution at step 0 (gaussian: iid N(0, scale²)) */
export type InitSpec = { kind: 'gaussian' | 'orthogonal' | 'balanced'; scale: number };

export type DataSpec =
  | {
      kind: 'teacher';
      n: number;
      p: number;
      k: number;
      /** std of additive label noise in the *data* (raw units), 0 = clean */
      noise: number;
      /** size of the held-out test set */
      test: number;
      /** linear teacher Y = X U*, or ReLU teacher y = Σ_j relu(w*_jᵀ x) */
      activation: 'linear' | 'relu';
      /** number of teacher neurons (ReLU teacher only) */
      neurons: number;
      /** the data's own seed (mixed with the file's root seed), default 0 */
      seed: number;
    }
  | {
      kind: 'csv';
      /** as written, relative to the experiment file (the checker read it: src/core/dataFiles.ts) */
      path: string;
      /** the last `targets` columns are Y */
      targets: number;
      /** fraction of the rows held out (numeric/csvData.ts csvSplit) */
      test: number;
      header: 'auto' | 'yes' | 'no';
      /** seed of the test split */
      seed: number;
      /** hash of the file's bytes: what a key reads instead of `values` (keys.ts) */
      hash: string;
      /** the file's rows of numbers, raw units */
      values: number[][];
    }
  | { kind: 'sparse'; n: number; d: number; s: number; noise: number; test: number; seed: number }
  | {
      kind: 'completion';
      /** given matrix, null marks a missing entry; when absent a random low-rank matrix is drawn */
      observed: (number | null)[][] | null;
      rows: number;
      cols: number;
      rank: number;
      fraction: number;
      seed: number;
    };

export type ModelSpec =
  | { kind: 'linear2'; width: number; init: InitSpec; seed: number }
  | { kind: 'diagonal'; alpha: number; seed: number }
  | { kind: 'deep_linear'; depth: number; width: number; init: InitSpec; seed: number }
  | { kind: 'relu2'; width: number; init: InitSpec; seed: number };

/** A stepsize schedule (stepsize.ts); `horizon` (cosine) is the run's own `steps`, filled in by
 *  resolve/spec.ts: a cosine run of another length is another run, never a prefix of this one. */
export type ScheduleSpec =
  | { kind: 'cosine'; from: number; to: number; horizon: number }
  | { kind: 'step_decay'; from: number; factor: number; every: number }
  | { kind: 'warmup'; to: number; steps: number };

/** a constant stepsize, or a schedule */
export type Stepsize = number | ScheduleSpec;

// `momentum` (heavy ball μ) is absent when 0: runs without momentum keep the keys they had
// before it existed (resolve/spec.ts, `omitWhen`).
export type OptimizerSpec =
  | { kind: 'gd'; lr: Stepsize; momentum?: number; weight_decay: number }
  | { kind: 'sgd'; lr: Stepsize; batch: number; momentum?: number; weight_decay: number }
  /** batch = null means full batch (n) */
  | { kind: 'label_noise'; lr: Stepsize; delta: number; momentum?: number; batch: number | null; weight_decay: number }
  | { kind: 'sgf'; dt: number; lr: number; delta: number; weight_decay: number };

export interface RunSpec {
  /** the file's root seed */
  rootSeed: number;
  /** the run's own seed (noise stream), default 0 */
  seed: number;
  data: DataSpec;
  model: ModelSpec;
  optimizer: OptimizerSpec;
  steps: number;
  /** approximate number of recorded points (see schedule.ts) */
  record: number;
  /** an offshoot: start from the final parameters of this run instead of the model's init */
  from?: RunSpec | null;
}
