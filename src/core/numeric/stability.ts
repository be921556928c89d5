// GD's stability limit of the linear model on a regression data set (docs/theory.md §7): on
// ½‖Y − Xw‖² GD's error evolves as e ← (I − ηXᵀX)e and diverges iff η > 2/λ_max(XᵀX). The same
// bound the checker warns with (src/core/lang/domain.ts). For the networks over the same data
// (linear2, relu2) it is the limit of their linear model part, not of the network, whose Hessian
// at an interpolator scales with its weights: attached under its own key so that figures never
// present it as the network's limit.
import type { RegressionData } from './data';
import type { OptConfig } from './model';
import { symLambdaMax } from './linalg';

/** { lr_stability_limit_linear: 2/λ_max(XᵀX) } for full-batch GD without label noise, else {}. */
export function linearModelLimit(data: RegressionData, opt: OptConfig): Record<string, number> {
  // minibatches, label noise and sgf take no GD step: 2/λ_max is not their threshold
  if (opt.batch !== null || opt.delta !== 0 || opt.kind === 'sgf') return {};
  const lam = symLambdaMax(data.XtX, data.p);
  return Number.isFinite(lam) && lam > 0 ? { lr_stability_limit_linear: 2 / lam } : {};
}
