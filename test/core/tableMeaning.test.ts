// What a built-in means is read from its row of the built-ins table, not restated elsewhere: a
// declaration on a row changes the figures, the resolved spec and the divergence explanation with
// no other edit (each case below flips one row field and watches the reader follow).
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_BY_NAME, type Builtin } from '../../src/core/lang/builtins';
import { resolveRun, type Arg } from '../../src/core/resolve/spec';
import { explainDivergence } from '../../src/core/graph/divergence';
import { DRAWN_ALONGSIDE, figureData } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';
import { checkText } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const saved: [object, string, unknown][] = [];
/** Set a field of a row (or of an object inside one) for this test. */
function declare<T extends object>(target: T, field: keyof T & string, value: unknown): void {
  saved.push([target, field, (target as Record<string, unknown>)[field]]);
  if (value === undefined) delete (target as Record<string, unknown>)[field];
  else (target as Record<string, unknown>)[field] = value;
}
afterEach(() => {
  for (const [t, f, v] of saved.reverse()) {
    if (v === undefined) delete (t as Record<string, unknown>)[f];
    else (t as Record<string, unknown>)[f] = v;
  }
  saved.length = 0;
});
const row = (name: string): Builtin => BUILTIN_BY_NAME.get(name)!;

const run = (opt: Record<string, Arg | undefined>, data: { call: string; args: Record<string, Arg | undefined> } = { call: 'sparse', args: { n: 20, d: 30, s: 3 } }) =>
  resolveRun({ call: 'train', args: { model: { call: 'diagonal', args: { alpha: 0.1 } }, data, optimizer: { call: 'gd', args: opt }, steps: 100 } }, 1);

describe('a schedule spanning the run (spansRun)', () => {
  it('gets the run’s steps as its horizon, as its row declares', () => {
    const horizon = (lr: Arg) => (run({ lr }).optimizer as { lr: { horizon?: number } }).lr.horizon;
    expect(horizon({ call: 'cosine', args: { from: 0.1, to: 0.01 } })).toBe(100);
    expect(horizon({ call: 'warmup', args: { to: 0.1, steps: 10 } })).toBeUndefined();
    declare(row('cosine'), 'spansRun', undefined);
    declare(row('warmup'), 'spansRun', true);
    expect(horizon({ call: 'cosine', args: { from: 0.1, to: 0.01 } })).toBeUndefined();
    expect(horizon({ call: 'warmup', args: { to: 0.1, steps: 10 } })).toBe(100);
  });
});

describe('the divergence explanation reads the data rows', () => {
  it('explains GD’s limit on the data sets declared gaussian, by their inputs’ dimension', () => {
    const s = run({ lr: 50 });
    expect(explainDivergence(s)?.text).toMatch(/above GD's stability limit/);
    declare(row('sparse'), 'gaussian', false);
    expect(explainDivergence(s)).toBeNull();
  });
});

describe('a metric’s theory line and what it draws alongside come from its entry', () => {
  const r: RunResult = {
    status: 'done', message: null, model: 'linear2', optimizer: 'label_noise', params: {}, member: {}, step: [0, 10], time: [0, 0.1],
    metrics: { logdet: [5, 4.9], loss: [1, 0.5], test_loss: [1.1, 0.6] }, theory: { logdet_rate_per_step: -0.01 },
  };
  const doc: ResultsDoc = { format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 1, runs: { r }, plots: [] };
  const plot = (metric: string): PlotSpec => ({ title: 't', kind: 'series', metric, runs: ['r'], x: 'step', y: 'linear', theory: true, top: null });
  it('the theory line’s legend label', () => {
    const label = () => { const d = figureData(doc, plot('logdet')); return d.kind === 'series' ? d.theoryLabel : null; };
    expect(label()).toBe(row('logdet').series![0]!.theoryLabel);
    declare(row('logdet').series![0]!, 'theoryLabel', 'a test’s theory');
    expect(label()).toBe('a test’s theory');
  });
  it('the series drawn alongside (dashed) are the entries’ `with`', () => {
    expect([...DRAWN_ALONGSIDE]).toEqual([...new Set([...BUILTIN_BY_NAME.values()].flatMap((b) => b.series ?? []).flatMap((s) => s.with ?? []))]);
    const metrics = () => { const d = figureData(doc, plot('loss')); return d.kind === 'series' ? [...new Set(d.rows.map((x) => x.metric))] : []; };
    expect(metrics()).toEqual(['loss', 'test_loss']);
  });
});

describe('the plot kind of a metric drawn per coordinate (byCoordinate)', () => {
  const kindOf = (metric: string, data: string, net: string) =>
    lowerProgram(checkText(`data = ${data}\nnet = ${net}\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot ${metric}(r)\n`)).plots[0]!.spec.kind;
  it('gain draws bars per coordinate (kind gain) as its entry declares; any vector entry may', () => {
    const diag = ['gain', 'sparse(n = 20, d = 30, s = 3)', 'diagonal(alpha = 0.1)'] as const;
    const sv = ['singular_values', 'teacher(n = 20, p = 3)', 'linear2(width = 4)'] as const;
    expect([kindOf(...diag), kindOf(...sv)]).toEqual(['gain', 'series']);
    declare(row('gain').series![0]!, 'byCoordinate', undefined);
    declare(row('singular_values').series![0]!, 'byCoordinate', true);
    expect([kindOf(...diag), kindOf(...sv)]).toEqual(['series', 'gain']);
  });
});

describe('the curvature at initialisation (initCurvature)', () => {
  // width 40, scale 1: linear2's factor 2·40·1² = 80 makes lr = 0.1 unstable on this data
  // (λ_max(XᵀX) ≈ 1–4 for rescaled Gaussian inputs), while the linear model's limit 2/λ_max is not crossed
  const text = 'data = teacher(n = 200, p = 5, k = 1)\nnet = linear2(width = 40, init = gaussian(scale = 1))\nr = train(net, data, gd(lr = 0.1), steps = 10)\n';
  const spec = () => lowerProgram(checkText(text)).runs[0]!.spec;
  const initWarning = () => checkText(text).diagnostics.find((d) => /at initialisation/.test(d.message));
  it('is read from the model row by the checker and the divergence explanation alike', () => {
    expect(initWarning()?.message).toMatch(/2·width·scale²·λ_max\(XᵀX\)/);
    expect(explainDivergence(spec())?.text).toMatch(/at initialisation the loss Hessian's top eigenvalue is ≈ 2·width·scale²/);
    // another factor on the row: both follow it
    declare(row('linear2'), 'initCurvature', { form: '3·width', factor: (w: number) => 3 * w });
    expect(initWarning()?.message).toMatch(/3·width·λ_max\(XᵀX\)/);
    expect(explainDivergence(spec())?.text).toMatch(/≈ 3·width·λ_max/);
    // none declared: neither speaks of the initialisation, both fall back to the linear model's limit
    declare(row('linear2'), 'initCurvature', undefined);
    expect(initWarning()).toBeUndefined();
    expect(explainDivergence(spec())?.text ?? '').not.toMatch(/initialisation/);
  });
});

describe('a degenerate width comes from the model’s row (minWidth)', () => {
  const text = (width: number) => `data = teacher(n = 50, p = 10, k = 2)\nnet = linear2(width = ${width})\nr = train(net, data, gd(lr = 0.01), steps = 10)\n`;
  const warned = (width: number) => checkText(text(width)).diagnostics.filter((d) => d.code === 'rank-deficient').map((d) => d.message);
  it('warns below the row’s need(p, k), and follows the row when it changes', () => {
    expect(warned(11)).toEqual(['det(θᵀθ) is 0 for all time because width = 11 < p + k = 12 (θ = [W1ᵀ | W2] is width × (p + k)): the determinant plot carries no signal']);
    expect(warned(12)).toEqual([]);
    declare(row('linear2'), 'minWidth', { ...row('linear2').minWidth!, form: 'p', need: (p: number) => p });
    expect(warned(11)).toEqual([]);
    expect(warned(9)[0]).toMatch(/because width = 9 < p = 10 /);
    declare(row('linear2'), 'minWidth', undefined);
    expect(warned(3)).toEqual([]);
  });
});
