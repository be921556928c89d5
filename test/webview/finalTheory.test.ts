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

// The stepping core's own runs: the log-det line of Theorem 4.2 is drawn for sgf (which keeps its
// own time step: time = step·dt) as for label noise, and for every member of a family, also a
// family over seeds drawn as its mean.
describe('log-det theory from the stepping core: sgf and every family member', async () => {
  const { runTraining } = await import('../../src/core/numeric/run');
  const { spec, teacher, linear2, ln } = await import('../core/numeric/helpers');
  const toRun = async (s: Parameters<typeof runTraining>[0], member: Record<string, number>, def: string): Promise<RunResult> => {
    const o = await runTraining(s);
    return {
      status: o.status, message: o.message, model: 'linear2', optimizer: s.optimizer.kind, params: {}, member, def, coords: member,
      step: o.trajectory.step, time: o.trajectory.time, metrics: o.trajectory.metrics, theory: o.theory,
    };
  };
  const data = teacher(40, 3, 1);
  const runs: Record<string, RunResult> = {};
  for (const delta of [1, 2]) runs[`flow[delta=${delta}]`] = await toRun(spec(data, linear2(6), { kind: 'sgf', dt: 0.01, lr: 0.02, delta, weight_decay: 0 }, 300, 50), { delta }, 'flow');
  for (const seed of [1, 2]) runs[`ln[seed=${seed}]`] = await toRun(spec(data, linear2(6), ln(0.02, 1), 300, 50, { seed }), { seed }, 'ln');
  const core: ResultsDoc = { format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 1, runs, plots: [] };
  const keys = Object.keys(runs);

  it('every run carries the rate, sgf per step of dt', () => {
    for (const k of keys) expect(runs[k]!.theory.logdet_rate_per_step, k).toBeLessThan(0);
    const f = runs['flow[delta=1]']!;
    expect(f.theory.logdet_rate_per_step).toBeCloseTo(f.theory.logdet_rate_per_time! * 0.01, 15);
  });

  it('a line per sgf member and one for the seed family, over step and over time', () => {
    for (const x of ['step', 'time']) {
      const d = figureData(core, { title: 't', kind: 'series', metric: 'logdet', runs: keys, x, y: 'linear', theory: true, top: null });
      if (d.kind !== 'series') throw new Error('kind');
      expect([...new Set(d.theory.map((t) => t.run))].sort(), x).toEqual(['flow[delta=1]', 'flow[delta=2]', 'ln']);
      // the sgf line: from the first recorded value with the per-time rate along time
      const f = runs['flow[delta=1]']!;
      const [a, b] = d.theory.filter((t) => t.run === 'flow[delta=1]');
      expect(a!.y).toBe((f.metrics.logdet as number[])[0]);
      expect((b!.y - a!.y) / (b!.time - a!.time)).toBeCloseTo(f.theory.logdet_rate_per_time!, 10);
    }
  });

  it('final(logdet, sgf family, x = delta, theory = true) predicts every member', () => {
    const d = figureData(core, { title: 't', kind: 'final', metric: 'logdet', runs: ['flow[delta=1]', 'flow[delta=2]'], x: 'delta', y: 'linear', theory: true, top: null });
    if (d.kind !== 'final') throw new Error('kind');
    expect(d.theory.map((t) => t.x)).toEqual([1, 2]);
  });
});

describe('final(…, x = lr, theory = true): the linear model limit of linear2 / relu2', () => {
  const gdRun = (lr: number): RunResult => ({
    status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: { lr }, member: { lr }, def: 'gd', coords: { lr },
    step: [0, 100], time: [0, 100 * lr], metrics: { loss: [1, 0.1 * lr] }, theory: { lr_stability_limit_linear: 0.4 },
  });
  const d2: ResultsDoc = { format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 1, runs: { 'gd[lr=0.1]': gdRun(0.1), 'gd[lr=0.2]': gdRun(0.2) }, plots: [] };
  const p2: PlotSpec = { title: 't', kind: 'final', metric: 'loss', runs: ['gd[lr=0.1]', 'gd[lr=0.2]'], x: 'lr', y: 'linear', theory: true, top: null };

  it('is a rule of its own, labelled as the linear model’s, in the SVG and the CSV', () => {
    const d = figureData(d2, p2);
    expect(d.kind === 'final' && d.limits).toEqual([{ group: 'gd', x: 0.4, of: 'linear' }]);
    expect(figureCsv(d2, p2)).toContain('gd,,stability_limit_linear,0.4,');
    const document = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
    const svg = buildFigure(d2, p2, { document, width: 600, theme: LIGHT_THEME, tips: false });
    expect(svg.querySelectorAll('g[aria-description="stability limit of the linear model"] line').length).toBe(1);
    expect(svg.querySelectorAll('g[aria-description="stability limit"]').length).toBe(0);
    expect(svg.textContent).toContain('GD limit of the linear model 2/λ_max(XᵀX)');
  });

  it('only with theory = true and x = lr', () => {
    for (const p of [{ ...p2, theory: false }, { ...p2, x: 'steps' }]) {
      const d = figureData(d2, p);
      expect(d.kind === 'final' && d.limits).toEqual([]);
    }
  });
});
