// Plot options xlim/ylim (every plot) and hollow unconverged points in final(…), rendered as the
// CLI does (linkedom): a given range is the axis domain whatever the data (a diverged run
// included), marks outside it are clipped; a run whose training loss ended above 1 % of its
// first value is drawn hollow and counted in the legend.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildFigure, figureData, LIGHT_THEME } from '../../src/core/figures';
import { CONVERGED_FRACTION, lossConverged } from '../../src/core/figures/final';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';
import { normalizeDoc, validateResultsDoc } from '../../src/core/wire/webviewMessages';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const fx = (name: string) => normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as ResultsDoc);
const FIG1 = fx('fig1.json');
const DIV = fx('diverged.json');
const DIAG = fx('diagonal.json');
const document = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
const scale = (svg: SVGSVGElement, n: string) => (svg as unknown as { scale(n: string): { domain: number[] } }).scale(n).domain;
const draw = (doc: ResultsDoc, plot: PlotSpec) => buildFigure(doc, plot, { document: document(), width: 600, theme: LIGHT_THEME, tips: false });

describe('xlim and ylim', () => {
  it('the checker and lowering put them in the PlotSpec (only when given); bad ranges are errors at the argument', () => {
    const base = 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 6)\nr = train(net, data, gd(lr = [0.01, 0.02]), steps = 20)\n';
    const spec = (plot: string) => {
      const { program } = checkDocument(base + plot, numericHooks());
      return { d: program.diagnostics, plots: program.diagnostics.some((x) => x.severity === 'error') ? [] : lowerProgram(program).plots.map((p) => p.spec) };
    };
    expect(spec('plot loss(r, ylim = [-1, 2.5], xlim = [0, 10])\n').plots[0]).toMatchObject({ ylim: [-1, 2.5], xlim: [0, 10] });
    expect(spec('plot final(loss, r, x = lr, ylim = [0, 1])\n').plots[0]).toMatchObject({ ylim: [0, 1] });
    expect(spec('plot loss(r)\n').plots[0]).not.toHaveProperty('ylim');
    expect(spec('plot loss(r, ylim = [2, 1])\n').d.map((x) => x.message)).toEqual(["'ylim' is a range [a, b] with a < b (got [2, 1])"]);
    expect(spec('plot loss(r, ylim = 3)\n').d.map((x) => x.code)).toEqual(['type']);
    expect(spec('plot loss(r, y = log, ylim = [0, 1])\n').d.map((x) => x.message)).toEqual(['on a log axis ylim must be positive (got [0, 1])']);
  });

  it('a given ylim / xlim is the axis domain of a series plot, and the marks are clipped', () => {
    const plot = { ...FIG1.plots[2]!, ylim: [1e-3, 1] as [number, number], xlim: [100, 2000] as [number, number] };
    const svg = draw(FIG1, plot);
    expect(scale(svg, 'y')).toEqual([1e-3, 1]);
    expect(scale(svg, 'x')).toEqual([100, 2000]);
    expect(svg.querySelectorAll('clipPath').length).toBeGreaterThan(0);
    // without them: fitted to the data, no clip paths of ours
    const plain = draw(FIG1, FIG1.plots[2]!);
    expect(scale(plain, 'y')).not.toEqual([1e-3, 1]);
  });

  it('ylim wins over the diverged-run domain; it passes the results validator', () => {
    const plot = { ...DIV.plots.find((p) => p.metric === 'loss')!, ylim: [0, 5] as [number, number] };
    expect(scale(draw(DIV, plot), 'y')).toEqual([0, 5]);
    expect(validateResultsDoc({ ...DIV, plots: [plot] }).ok).toBe(true);
    const bad = validateResultsDoc({ ...DIV, plots: [{ ...plot, ylim: [5, 0] }] });
    expect(!bad.ok && bad.error).toMatch(/ylim: expected a < b/);
  });

  it('final: xlim is the x domain; gain: xlim keeps the coordinates in range', () => {
    const fin = { ...DIAG.plots[0]!, xlim: [0.01, 1] as [number, number] };
    expect(scale(draw(DIAG, fin), 'x')).toEqual([0.01, 1]);
    const gain = DIAG.plots[1]!;
    const all = figureData(DIAG, gain);
    const some = figureData(DIAG, { ...gain, xlim: [2, 4] });
    const coords = (d: typeof all) => [...new Set((d.rows as { coordinate: number }[]).map((r) => r.coordinate))].sort((a, b) => a - b);
    expect(coords(all).length).toBeGreaterThan(5);
    expect(coords(some)).toEqual([2, 3, 4]);
  });
});

describe('final(…): unconverged runs are hollow', () => {
  const run = (lr: number, last: number, status: RunResult['status'] = 'done'): RunResult => ({
    status, message: null, model: 'linear2', optimizer: 'gd', params: { lr }, member: { lr }, step: [0, 50, 100], time: [0, 50 * lr, 100 * lr],
    metrics: { loss: [1, (1 + last) / 2, last], test_loss: [1.2, 1, 0.9] }, theory: {},
  });
  const doc: ResultsDoc = {
    format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 0,
    runs: { 'r[lr=0.1]': run(0.1, 1e-4), 'r[lr=0.2]': run(0.2, 0.5), 'r[lr=0.3]': run(0.3, CONVERGED_FRACTION) },
    plots: [],
  };
  const plot: PlotSpec = { title: 't', kind: 'final', metric: 'test_loss', runs: Object.keys(doc.runs), x: 'lr', y: 'linear', theory: false, top: null };

  it('the criterion: the last training loss at most 1 % of the first (boundary included)', () => {
    expect(lossConverged(doc.runs['r[lr=0.1]']!)).toBe(true);
    expect(lossConverged(doc.runs['r[lr=0.3]']!)).toBe(true);
    expect(lossConverged(run(0.3, CONVERGED_FRACTION * 1.0001))).toBe(false);
    expect(lossConverged(doc.runs['r[lr=0.2]']!)).toBe(false);
  });

  it('draws exactly the unconverged member hollow and says so in the legend', () => {
    const d = figureData(doc, plot);
    expect(d.kind === 'final' && d.rows.map((r) => r.converged)).toEqual([true, false, true]);
    const svg = draw(doc, plot);
    const hollow = svg.querySelectorAll('g[aria-description="not converged"] circle');
    expect(hollow.length).toBe(1);
    // hollow: no fill (on the mark's group or the circle), a stroke
    const g = svg.querySelector('g[aria-description="not converged"]')!;
    expect(hollow[0]!.getAttribute('fill') ?? g.getAttribute('fill')).toBe('none');
    expect(svg.textContent).toContain('not converged: final loss > 1% of initial (1 run)');
    // all converged: no hollow mark, no legend entry
    const ok = { ...doc, runs: { 'r[lr=0.1]': doc.runs['r[lr=0.1]']! } };
    const svg2 = draw(ok, { ...plot, runs: ['r[lr=0.1]'] });
    expect(svg2.querySelectorAll('g[aria-description="not converged"]').length).toBe(0);
    expect(svg2.textContent).not.toContain('not converged');
  });
});
