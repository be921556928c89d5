// The numeric core's hooks for the language's checker. The language (src/core/lang) never
// imports the stepping core: its callers (language server, CLI, tests) hand it these hooks.
//
// λ_max(XᵀX) of the actual data set (the data are generated: O(n·p²)), memoised; above a small
// budget the checker falls back to the Marchenko–Pastur edge so a keystroke stays fast.
// A check spends at most LAMBDA_CHECK_BUDGET on new data sets (the rest use the edge until a
// later check has memoised them), so a file with many data sets never stalls a keystroke.
import type { CheckOptions } from './lang';
import type { DataSpec } from './numeric/spec';
import { dataLambdaMax } from './numeric/data';
import { dataReader, type DataReaderOptions } from './dataFiles';
import { estimateCost, FILE_LIMITS, LIMITS } from './numeric/estimate';
import { maxStepsize } from './numeric/stepsize';

const LAMBDA_BUDGET = 2e6;
const LAMBDA_CHECK_BUDGET = 4e6;
const lambdaMemo = new Map<string, number>();

function lambdaMaxWithin(budget: { left: number }) {
  return (spec: DataSpec, rootSeed: number): number | null => {
    const p = spec.kind === 'teacher' ? spec.p : spec.kind === 'sparse' ? spec.d : 0;
    const n = spec.kind === 'teacher' || spec.kind === 'sparse' ? spec.n : 0;
    const cost = n * p * (p + 1);
    if (!(n > 0 && p > 0) || cost > LAMBDA_BUDGET) return null;
    const key = spec.kind === 'teacher'
      ? `t|${spec.n}|${spec.p}|${spec.k}|${spec.noise}|${spec.test}|${spec.activation}|${spec.neurons}|${spec.seed}|${rootSeed}`
      : spec.kind === 'sparse' ? `s|${spec.n}|${spec.d}|${spec.s}|${spec.noise}|${spec.test}|${spec.seed}|${rootSeed}` : '';
    let v = lambdaMemo.get(key);
    if (v === undefined) {
      if (cost > budget.left) return null;
      budget.left -= cost;
      try {
        v = dataLambdaMax(spec, rootSeed);
      } catch {
        v = NaN;
      }
      if (lambdaMemo.size > 1024) lambdaMemo.clear();
      lambdaMemo.set(key, v);
    }
    return Number.isFinite(v) ? v : null;
  };
}

/** Limits a caller sets instead of the defaults: `seconds` is both a run's (a family's) and a
 *  whole file's time limit, `bytes` both memory limits; `hint` says in a refusal how to raise them. */
export interface LimitOverrides {
  seconds?: number | null;
  bytes?: number | null;
  hint?: string;
}

/** The per-run and per-file limits under overrides (the defaults where none is given). */
export function limitsWith(o: LimitOverrides = {}): { limits: { bytes: number; seconds: number }; fileLimits: { runs: number; seconds: number; bytes: number } } {
  return {
    limits: { bytes: o.bytes ?? LIMITS.bytes, seconds: o.seconds ?? LIMITS.seconds },
    fileLimits: { runs: FILE_LIMITS.runs, bytes: o.bytes ?? FILE_LIMITS.bytes, seconds: o.seconds ?? FILE_LIMITS.seconds },
  };
}

/** Hooks for one check: exact λ_max of small data sets (a fresh budget per check), the cost
 *  estimate and its limits (per run, per file; `o` overrides them), and the reader of data files
 *  (`data`: where the experiment file is, the folders it may read from, whether the workspace is
 *  trusted). */
export function numericHooks(data?: DataReaderOptions, o: LimitOverrides = {}): CheckOptions {
  return {
    lambdaMax: lambdaMaxWithin({ left: LAMBDA_CHECK_BUDGET }), estimate: estimateCost, maxStepsize, ...limitsWith(o), limitHint: o.hint,
    // csv(…) files: read where the caller says the experiment lives and may read from
    readData: data ? dataReader(data) : undefined,
  };
}
