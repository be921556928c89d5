// The runtime divergence explanation and the checker's stability warning read which optimisers take
// full-batch GD steps from the built-ins table (`gdSteps`, builtins.ts fullBatchSteps), and the
// numeric core agrees with it: a row's declaration changes the explanation with no other edit.
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTINS, BUILTIN_BY_NAME, fullBatchSteps, type Builtin } from '../../src/core/lang/builtins';
import { resolveRun, type Arg } from '../../src/core/resolve/spec';
import { explainDivergence } from '../../src/core/graph/divergence';
import { resolveOptimizer } from '../../src/core/numeric/model';
import type { RunSpec } from '../../src/core/spec';

const N = 20;
/** A run of a linear model (diagonal) on Gaussian data, with this optimiser call. */
function spec(opt: { call: string; args: Record<string, Arg | undefined> }): RunSpec {
  return resolveRun({
    call: 'train',
    args: {
      model: { call: 'diagonal', args: { alpha: 0.1 } },
      data: { call: 'sparse', args: { n: N, d: 30, s: 3 } },
      optimizer: opt,
      steps: 100,
    },
  }, 1);
}
/** The optimiser's required arguments: every number parameter without a default. */
const argsOf = (b: Builtin, batch: number | undefined): Record<string, Arg | undefined> => {
  const args: Record<string, Arg | undefined> = {};
  for (const p of b.params) if (p.default === undefined && !p.optional) args[p.name] = 0.5;
  if (batch !== undefined && b.params.some((p) => p.name === 'batch')) args.batch = batch;
  return args;
};
const miniBatchAdvice = (s: RunSpec) => explainDivergence(s)!.text.startsWith('mini-batch steps');
const optimisers = BUILTINS.filter((b) => b.kind === 'optimizer');

describe('which optimisers take full-batch GD steps: one statement, in the table', () => {
  it('the explanation follows fullBatchSteps for every optimiser row and batch', () => {
    let cases = 0;
    for (const o of optimisers) {
      for (const batch of [undefined, 1, N - 1, N, N + 5]) {
        const s = spec({ call: o.name, args: argsOf(o, batch) });
        const b = (s.optimizer as { batch?: number | null }).batch;
        expect(miniBatchAdvice(s), `${o.name} batch ${batch}`).toBe(!fullBatchSteps(o.name, b, N));
        cases++;
      }
    }
    expect(cases).toBe(optimisers.length * 5);
  });

  it('the numeric core agrees: a full-batch step of a gdSteps optimiser draws no mini-batch', () => {
    for (const o of optimisers.filter((x) => x.gdSteps)) {
      for (const batch of [undefined, 1, N - 1, N, N + 5]) {
        const s = spec({ call: o.name, args: argsOf(o, batch) });
        const b = (s.optimizer as { batch?: number | null }).batch;
        expect(resolveOptimizer(s.optimizer, N).batch === null, `${o.name} batch ${batch}`).toBe(fullBatchSteps(o.name, b, N));
      }
    }
  });

  describe('a row declaring gdSteps changes the explanation with no other edit', () => {
    const saved: [Builtin, boolean | undefined][] = [];
    const declare = (name: string, gdSteps: boolean | undefined) => {
      const row = BUILTIN_BY_NAME.get(name)!;
      saved.push([row, row.gdSteps]);
      row.gdSteps = gdSteps;
    };
    afterEach(() => {
      for (const [row, v] of saved.reverse()) {
        if (v === undefined) delete row.gdSteps;
        else row.gdSteps = v;
      }
      saved.length = 0;
    });
    it('sgd with batch = n: GD advice, then mini-batch advice once sgd no longer declares gdSteps', () => {
      const s = spec({ call: 'sgd', args: { lr: 5, batch: N } });
      expect(miniBatchAdvice(s)).toBe(false);
      declare('sgd', undefined);
      expect(miniBatchAdvice(s)).toBe(true);
    });
    it('sgf: mini-batch advice, then GD advice once sgf declares gdSteps', () => {
      const s = spec({ call: 'sgf', args: { dt: 5, lr: 5, delta: 0 } });
      expect(miniBatchAdvice(s)).toBe(true);
      declare('sgf', true);
      expect(miniBatchAdvice(s)).toBe(false);
    });
  });
});
