// Figures read a metric's meaning from its entry in the built-ins table (labels, the series it
// reads, rank at any tol from the recorded singular values) and select runs by def and coords.
import { describe, expect, it } from 'vitest';
import { figureData, plotRuns } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';
import { check } from '../../src/core/lang/checker';
import { lowerProgram } from '../../src/core/lower';

const run = (over: Partial<RunResult>): RunResult => ({
  status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, step: [0, 10], time: [0, 0.1], metrics: {}, theory: {}, ...over,
});
const doc = (runs: Record<string, RunResult>): ResultsDoc => ({ format: 'sgdexp-results', version: 1, file: 'f', seed: 0, runs, plots: [] });
const plot = (p: Partial<PlotSpec>): PlotSpec => ({ title: 't', kind: 'series', metric: 'loss', runs: ['r'], x: 'step', y: 'linear', theory: false, ...p });

describe('metric entries drive the figures', () => {
  // singular values 1, 0.05, 0.002: rank 3 at tol 1e-3 (what the core records), 2 at tol 0.01
  const sv = [[1, 0.05, 0.002], [1, 0.05, 0.002]];
  const d = doc({ r: run({ metrics: { sv_W1: sv, sv_product: [[1, 0.5], [1, 0.5]], rank: [3, 3] } }) });

  it('computes rank from the recorded singular values at the plot tol', () => {
    const at = (tol: number, of?: string) => {
      const f = figureData(d, plot({ metric: 'rank', tol, ...(of ? { of } : {}) }));
      return f.rows.map((r) => r.y);
    };
    expect(at(1e-3)).toEqual([3, 3]);
    expect(at(0.01)).toEqual([2, 2]);
    expect(at(0.01, 'product')).toEqual([2, 2]);
    expect(at(0.6, 'product')).toEqual([1, 1]);
    const fin = figureData(d, plot({ kind: 'final', metric: 'rank', tol: 0.01, x: 'lr', runs: ['r'] }));
    expect(fin.kind).toBe('final');
  });

  it('labels the end-to-end matrix of a deep_linear of depth d, and gain_norm as an ℓ1 norm', () => {
    const deep = doc({ r: run({ model: 'deep_linear', params: { depth: 4 }, metrics: { sv_product: sv } }) });
    expect(figureData(deep, plot({ metric: 'sv_product' })).yLabel).toBe('singular values of W4⋯W1');
    expect(figureData(d, plot({ metric: 'sv_product' })).yLabel).toBe('singular values of W1W2');
    expect(figureData(doc({ r: run({ model: 'diagonal', metrics: { gain_norm: [1, 2] } }) }), plot({ metric: 'gain_norm' })).yLabel).toBe('‖Gain_γ‖₁');
  });

  it('selects family members by def and coords, not by parsing their keys', () => {
    const fam = doc({
      a1: run({ def: 'gd', coords: { lr: 0.1 }, member: { lr: 0.1 } }),
      a2: run({ def: 'gd', coords: { lr: 0.3 }, member: { lr: 0.3 } }),
      b: run({ def: 'other', coords: {} }),
    });
    expect(plotRuns(fam, plot({ runs: ['gd'] }))).toEqual(['a1', 'a2']);
    expect(plotRuns(fam, plot({ runs: ['gd[lr=0.3]'] }))).toEqual(['a2']);
  });

  it('titles a lowered plot from the table, with the product of the drawn runs', () => {
    const p = check('d = completion(observed = [[1, ?], [0.3, 1]])\nm = deep_linear(depth = 4, width = 2)\nr = train(m, d, gd(lr = 0.1), steps = 10)\nplot singular_values(r, of = product)\nplot rank(r, tol = 0.01)\nplot final(rank(tol = 0.05), r2, x = lr)\nr2 = train(m, d, gd(lr = [0.1, 0.2]), steps = 10)\n').program;
    const plots = lowerProgram(p).plots.map((x) => x.spec);
    expect(plots[0]).toMatchObject({ title: 'singular values of W4⋯W1', metric: 'sv_product' });
    expect(plots[1]).toMatchObject({ title: 'numerical rank', metric: 'rank', tol: 0.01 });
    expect(plots[2]).toMatchObject({ title: 'final numerical rank', metric: 'rank', tol: 0.05, kind: 'final' });
  });
});
