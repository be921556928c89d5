// final(logdet, family, x = delta, theory = true): Theorem 4.2's final log det per member,
// log det(θ₀ᵀθ₀) + rate·(steps taken), drawn as a dashed line beside the measured points.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { buildFigure, figureCsv, figureData, LIGHT_THEME } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';

const run = (delta: number, status: RunResult['status'] = 'done'): RunResult => {
  const step = [0, 50, 100];
  const rate = -0.01 * delta;
  return {
    status, message: status === 'diverged' ? 'diverged at step 101' : null, model: 'linear2', optimizer: 'label_noise',
    params: { delta }, member: { delta }, step, time: step.map((s) => s * 0.005),
    // measured: 2 % steeper than the theory (the O(h) term of docs/theory.md §4)
    metrics: { logdet: step.map((s) => 5 + 1.02 * rate * s) },
    theory: { logdet_rate_per_step: rate },
  };
};
const doc: ResultsDoc = {
  format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 1,
  runs: { 'ln[delta=1]': run(1), 'ln[delta=2]': run(2), 'ln[delta=4]': run(4, 'diverged') },
  plots: [],
};
const plot: PlotSpec = { title: 't', kind: 'final', metric: 'logdet', runs: ['ln[delta=1]', 'ln[delta=2]', 'ln[delta=4]'], x: 'delta', y: 'linear', theory: true, top: null };

describe('final log det with the theory line', () => {
  it('predicts log det(θ₀ᵀθ₀) + rate·steps for every member that did not diverge', () => {
    const d = figureData(doc, plot);
    if (d.kind !== 'final') throw new Error('kind');
    expect(d.theory).toEqual([{ group: 'ln', x: 1, y: 5 - 0.01 * 100 }, { group: 'ln', x: 2, y: 5 - 0.02 * 100 }]);
    expect(figureData(doc, { ...plot, theory: false }).kind === 'final' && (figureData(doc, { ...plot, theory: false }) as { theory: unknown[] }).theory).toEqual([]);
    expect(figureData(doc, { ...plot, metric: 'loss' }).kind === 'final' && (figureData(doc, { ...plot, metric: 'loss' }) as { theory: unknown[] }).theory).toEqual([]);
  });

  it('goes into the CSV and the SVG', () => {
    const csv = figureCsv(doc, plot).trim().split('\n');
    expect(csv.filter((l) => l.includes(',theory,'))).toEqual(['ln,,theory,1,,,4,,,', 'ln,,theory,2,,,3,,,']);
    const document = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
    const svg = buildFigure(doc, plot, { document, width: 600, theme: LIGHT_THEME, tips: false });
    expect(svg.querySelectorAll('g[aria-label="line"][aria-description="theory"] path').length).toBe(2);
    expect(svg.textContent).toContain('theory (Thm 4.2)');
  });
});
