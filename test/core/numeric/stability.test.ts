// GD's stability limit of the linear model, attached to full-batch GD runs of linear2 and relu2
// (docs/theory.md §7): the checker's 2/λ_max(XᵀX), on the data the run trains on.
import { describe, expect, it } from 'vitest';
import { dataLambdaMax } from '../../../src/core/numeric/data';
import { runTraining } from '../../../src/core/numeric/run';
import type { ModelSpec } from '../../../src/core/numeric/spec';
import { gd, linear2, ln, sgd, spec, teacher } from './helpers';

const relu2: ModelSpec = { kind: 'relu2', width: 5, init: { kind: 'gaussian', scale: 1 }, seed: 0 };
const data = teacher(40, 3, 1);

describe('the linear model limit on final(…, x = lr, theory = true)', () => {
  it('is 2/λ_max(XᵀX) of the run’s data for full-batch GD on linear2 and relu2, the checker’s value', async () => {
    const want = 2 / dataLambdaMax(data, 1);
    for (const model of [linear2(6), relu2]) {
      const o = await runTraining(spec(data, model, gd(0.01), 2, 1));
      expect(o.theory.lr_stability_limit_linear, model.kind).toBeCloseTo(want, 12);
      expect(o.theory.lr_stability_limit, 'never presented as the network’s own limit').toBeUndefined();
    }
    // sgd with batch ≥ n takes full-batch steps (numeric/model.ts batchOf)
    expect((await runTraining(spec(data, linear2(6), sgd(0.01, 40), 2, 1))).theory.lr_stability_limit_linear).toBeCloseTo(want, 12);
  });

  it('is absent where GD’s limit is not the threshold: minibatches, label noise, sgf, weight decay', async () => {
    const cases = [
      spec(data, linear2(6), sgd(0.01, 5), 2, 1),
      spec(data, linear2(6), ln(0.01, 1), 2, 1),
      spec(data, linear2(6), { kind: 'sgf', dt: 0.01, lr: 0.01, delta: 1, weight_decay: 0 }, 2, 1),
      spec(data, linear2(6), gd(0.01, 0.1), 2, 1),
      spec(data, relu2, sgd(0.01, 5), 2, 1),
    ];
    for (const s of cases) expect((await runTraining(s)).theory.lr_stability_limit_linear, JSON.stringify(s.optimizer)).toBeUndefined();
  });
});
