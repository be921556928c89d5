// final(bias_gap(to = …), families…, x = lr, theory = true): an end-of-run value read from each run's
// theory entries, the exact prediction's gap as the theory line, GD's stability limit as a rule.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { buildFigure, figureCsv, figureData, finalValue, LIGHT_THEME } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';

const run = (opt: 'gd' | 'sgd', lr: number, status: RunResult['status'] = 'done'): RunResult => {
  const step = [0, 50, 100];
  const theory: Record<string, number> = status === 'done' ? { bias_gap_exact: 1e-12 * lr, bias_gap_effective: 1e-3 * lr, bias_gap_flow: 1e-2 * lr } : {};
  if (opt === 'gd') theory.lr_stability_limit = 0.65;
  return {
    status, message: status === 'diverged' ? 'diverged at step 101' : null, model: 'diagonal', optimizer: opt,
    params: { lr }, member: { lr }, def: opt, coords: { lr }, step, time: step.map((s) => s * lr),
    metrics: { loss: [1, 0.1, 0.01] }, theory,
  };
};
const doc: ResultsDoc = {
  format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 1,
  runs: { 'gd[lr=0.2]': run('gd', 0.2), 'gd[lr=0.4]': run('gd', 0.4), 'gd[lr=2]': run('gd', 2, 'diverged'), 'sgd[lr=0.1]': run('sgd', 0.1) },
  plots: [],
};
const plot: PlotSpec = { title: 't', kind: 'final', metric: 'bias_gap_effective', runs: ['gd', 'sgd'], x: 'lr', y: 'log', theory: true };

describe('final bias_gap', () => {
  it("reads each completed run's end-of-run entry; a diverged run has none", () => {
    expect(finalValue(doc.runs['gd[lr=0.4]']!, 'bias_gap_effective')).toBeCloseTo(4e-4, 15);
    expect(finalValue(doc.runs['gd[lr=2]']!, 'bias_gap_effective')).toBeNull();
    const d = figureData(doc, plot);
    if (d.kind !== 'final') throw new Error('kind');
    expect(d.rows.map((r) => [r.run, r.y])).toEqual([['gd[lr=0.2]', 2e-4], ['gd[lr=0.4]', 4e-4], ['sgd[lr=0.1]', 1e-4]]);
    expect(d.yLabel).toBe('final ‖β − β̂_eff‖/‖β̂_eff‖');
  });

  it('theory = true: the exact gap as the theory line, and a rule at GD’s limit for the GD family only', () => {
    const d = figureData(doc, plot);
    if (d.kind !== 'final') throw new Error('kind');
    expect(d.theory.map((t) => [t.group, t.x, t.y])).toEqual([['gd', 0.2, 2e-13], ['gd', 0.4, 4e-13], ['sgd', 0.1, 1e-13]]);
    expect(d.limits).toEqual([{ group: 'gd', x: 0.65, of: 'model' }]);
    const off = figureData(doc, { ...plot, theory: false });
    expect(off.kind === 'final' && [off.theory.length, off.limits.length]).toEqual([0, 0]);
    // the rule only against the stepsize
    const byOther = figureData(doc, { ...plot, x: 'seed' });
    expect(byOther.kind === 'final' && byOther.limits).toEqual([]);
  });

  it('goes into the CSV and the SVG', () => {
    const csv = figureCsv(doc, plot).trim().split('\n');
    expect(csv.filter((l) => l.includes(',stability_limit,'))).toEqual(['gd,,stability_limit,0.65,,,,,,']);
    const document = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
    const svg = buildFigure(doc, plot, { document, width: 600, theme: LIGHT_THEME, tips: false });
    expect(svg.querySelectorAll('g[aria-description="stability limit"] line').length).toBe(1);
    expect(svg.textContent).toContain('exact prediction');
    expect(svg.textContent).toContain('GD stability limit 2/λ_max');
  });
});
