// Why a run diverged, and what to try: the runtime 'diverged' diagnostic's explanation.
//
// Full-batch GD on the quadratic loss is stable iff lr < 2/λ_max of the loss Hessian. For the
// linear model that is λ_max(XᵀX); for a model whose row declares `initCurvature` (linear2: at
// its Gaussian initialisation the Hessian's Gauss–Newton part has λ_max ≳ 2·width·scale²·λ_max(XᵀX),
// docs/theory.md §7b) the row's factor times that, as in the checker's pre-run bound
// (src/core/lang/domain.ts). Above the limit the explanation names it and a
// stepsize below it (the quick fix's value); below it the curvature must have grown during
// training (progressive sharpening), and half the stepsize is the advice.
import type { RunSpec } from '../spec';
import { dataLambdaMax } from '../numeric/data';
import { maxStepsize } from '../numeric/stepsize';
import { BUILTIN_BY_NAME, fullBatchSteps } from '../lang/builtins';

export interface DivergenceAdvice {
  /** appended to "diverged at step N (loss = …)" */
  text: string;
  /** a stepsize to set, when the run's own lr is a single number to replace */
  lr: number | null;
}

/** n·p² above this: λ_max(XᵀX) is not computed for an explanation */
const LAMBDA_COST = 5e7;

const p3 = (x: number) => String(Number(x.toPrecision(3)));

export function explainDivergence(spec: RunSpec): DivergenceAdvice | null {
  const o = spec.optimizer;
  const d = spec.data;
  // the data sets whose GD limit the checker checks (rows declaring `gaussian`: a generator draws X
  // alone); a data file's λ_max is not worked out for an explanation
  const dRow = BUILTIN_BY_NAME.get(d.kind);
  if (!dRow?.gaussian || !dRow.shape?.inputs || !('n' in d)) return null;
  // steps that are full-batch GD steps: the table's `gdSteps` (builtins.ts fullBatchSteps)
  const full = fullBatchSteps(o.kind, 'batch' in o ? o.batch : null, d.n);
  // a schedule is judged at its largest stepsize; only a plain number gets a stepsize to set
  const scheduled = typeof o.lr !== 'number';
  const lr = typeof o.lr === 'number' ? o.lr : maxStepsize(o.lr, spec.steps);
  const mu = 'momentum' in o ? (o.momentum ?? 0) : 0;
  const safeOf = (limit: number) => Number((0.9 * limit).toPrecision(2));
  if (!full) {
    const half = Number((lr / 2).toPrecision(2));
    return { text: `mini-batch steps at lr = ${lr} were unstable; try lr = ${half} or a larger batch`, lr: scheduled ? null : half };
  }
  const p = (d as unknown as Record<string, number>)[dRow.shape.inputs];
  if (!(d.n * p * p <= LAMBDA_COST)) return null;
  let lam: number;
  try {
    lam = dataLambdaMax(d, spec.rootSeed);
  } catch {
    return null;
  }
  if (!(lam > 0) || !Number.isFinite(lam)) return null;
  const m = spec.model;
  // the init-curvature bound (docs/theory.md §7b) is derived for Gaussian weights
  const curv = BUILTIN_BY_NAME.get(m.kind)?.initCurvature;
  const init = 'init' in m && 'width' in m ? { width: m.width, scale: m.init.scale, gaussian: m.init.kind === 'gaussian' } : null;
  const gain = curv && init?.gaussian && !spec.from ? curv.factor(init.width, init.scale) : 1;
  const h = Math.max(1, gain) * lam;
  // heavy ball: stable iff η·λ < 2(1 + μ) (§7)
  const limit = (2 * (1 + mu)) / h;
  const what = gain > 1
    ? `at initialisation the loss Hessian's top eigenvalue is ≈ ${curv!.form}·λ_max(XᵀX) ≈ ${p3(h)} (width = ${init!.width}, scale = ${init!.scale}, λ_max(XᵀX) ≈ ${p3(lam)})`
    : `λ_max(XᵀX) ≈ ${p3(lam)}`;
  if (lr > limit) {
    const safe = safeOf(limit);
    return { text: `lr = ${lr} is above GD's stability limit ${mu > 0 ? '2(1 + μ)/λ_max' : '2/λ_max'} ≈ ${p3(limit)}: ${what}. Try lr = ${safe}${gain > 1 ? ', or a smaller init scale' : ''}`, lr: scheduled ? null : safe };
  }
  const half = Number((lr / 2).toPrecision(2));
  return { text: `lr = ${lr} is below the stability limit at the start (≈ ${p3(limit)}; ${what}), so the curvature grew during training beyond 2/lr. Try lr = ${half}`, lr: scheduled ? null : half };
}
