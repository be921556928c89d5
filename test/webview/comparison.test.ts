// Pure parts of the preview's comparison tools: pinned curves (webview/pin.ts: bounded, ghosts
// only in later revisions), zoom and y scale (webview/zoom.ts), crowded figures (facets.ts), and
// the saved view (webview/viewState.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crowded, figureData } from '../../src/core/figures';
import { normalizeDoc } from '../../src/core/wire/webviewMessages';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';
import { ghostsFor, makePin, pinLines, readPin } from '../../webview/pin';
import { canLog, fitY, viewPlot, zoomBuckets } from '../../webview/zoom';
import { plotId, readViewState, setFigureView } from '../../webview/viewState';

const FIG1 = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'fig1.json'), 'utf8')) as ResultsDoc);
const [LOGDET, SV, LOSS] = FIG1.plots as [ResultsDoc['plots'][0], ResultsDoc['plots'][0], ResultsDoc['plots'][0]];

describe('pinned curves', () => {
  it('keep the drawn data lines, decimated to the limits, with gaps as null', () => {
    const data = figureData(FIG1, LOSS);
    const lines = pinLines(data, { plots: 4, linesPerPlot: 24, buckets: 10 });
    expect(lines.map((l) => l.line).sort()).toEqual(['gd|loss', 'gd|test_loss', 'ln|loss', 'ln|test_loss']);
    for (const l of lines) {
      expect(l.x.length).toBe(l.y.length);
      expect(l.x.length).toBeLessThanOrEqual(2 * 10 + 2);
      // first and last recorded points kept
      expect(l.x[0]).toBe(0);
      expect(l.x.at(-1)).toBe(FIG1.runs[l.run]!.step.at(-1));
    }
    expect(pinLines(data, { plots: 4, linesPerPlot: 3, buckets: 10 })).toHaveLength(3);
    // a non-finite value breaks the pinned line as it broke the drawn one
    const gd = FIG1.runs.gd!;
    const loss = [...(gd.metrics.loss as number[])];
    loss[70] = NaN;
    const holed = { ...FIG1, runs: { gd: { ...gd, metrics: { ...gd.metrics, loss } } as RunResult } };
    const g = pinLines(figureData(holed, { ...LOSS, runs: ['gd'] }), { plots: 4, linesPerPlot: 24, buckets: 10 }).find((l) => l.line === 'gd|loss')!;
    expect(g.y.filter((v) => v === null)).toHaveLength(1);
  });

  it('are drawn as ghosts in other revisions only, per plot identity, without hidden runs', () => {
    const pin = makePin(7, 2, FIG1.plots.map((p) => ({ id: plotId(p), data: figureData(FIG1, p) })));
    expect(Object.keys(pin.plots)).toHaveLength(3);
    expect(ghostsFor(pin, plotId(LOSS), 7)).toBeUndefined();
    const g = ghostsFor(pin, plotId(LOSS), 8)!;
    expect(g.label).toBe('pinned rev 2');
    expect(g.lines).toHaveLength(4);
    expect(ghostsFor(pin, plotId(LOSS), 8, new Set(['ln']))!.lines.map((l) => l.run)).toEqual(['gd', 'gd']);
    expect(ghostsFor(pin, plotId({ ...LOSS, metric: 'accuracy' }), 8)).toBeUndefined();
    // the identity is the plot's definitions, not a family's members nor the title
    expect(plotId({ ...LOSS, runs: ['sgd[lr=0.1]', 'sgd[lr=0.2]'], title: 'a' })).toBe(plotId({ ...LOSS, runs: ['sgd[lr=0.3]'], title: 'b' }));
    expect(plotId({ ...LOSS, runs: ['sgd[lr=0.1]'] })).not.toBe(plotId({ ...LOSS, runs: ['gd'] }));
    expect(ghostsFor(null, plotId(LOSS), 8)).toBeUndefined();
  });

  it('read back from saved state only when well-formed', () => {
    const pin = makePin(7, 2, [{ id: plotId(LOSS), data: figureData(FIG1, LOSS) }]);
    expect(readPin(JSON.parse(JSON.stringify(pin)))).toEqual(pin);
    expect(readPin({ revision: 'x', shown: 1, plots: {} })).toBeNull();
    const bad = { ...pin, plots: { [plotId(LOSS)]: [{ run: 'gd', line: 'gd|loss', metric: 'loss', x: [1, 2], y: [1] }] } };
    expect(readPin(bad)!.plots).toEqual({});
  });
});

describe('zoom and y scale', () => {
  it('viewPlot applies the scale and the zoom; an x zoom fits y to what is visible', () => {
    expect(viewPlot(LOSS, undefined)).toBe(LOSS);
    expect(viewPlot(LOSS, { scale: 'linear' }).y).toBe('linear');
    const data = figureData(FIG1, LOGDET);
    const v = viewPlot(LOGDET, { x: [0, 1000] }, data);
    expect(v.xlim).toEqual([0, 1000]);
    const inside = data.kind === 'series' ? data.rows.filter((r) => r.x <= 1000).map((r) => r.y) : [];
    expect(v.ylim![0]).toBeLessThanOrEqual(Math.min(...inside));
    expect(v.ylim![1]).toBeGreaterThanOrEqual(Math.max(...inside));
    // much narrower than the full range (−30 … 11)
    expect(v.ylim![1] - v.ylim![0]).toBeLessThan(20);
    expect(viewPlot(LOGDET, { x: [0, 1000], y: [1, 2] }, data).ylim).toEqual([1, 2]);
    // a linear zoom kept when switching to log: a non-positive bound is dropped
    expect(viewPlot(LOSS, { scale: 'log', y: [-1, 2] }).ylim).toBeUndefined();
  });

  it('fitY pads in decades on a log axis and finds nothing outside the data', () => {
    const data = figureData(FIG1, LOSS);
    const [a, b] = fitY(data, [0, 10000], true)!;
    expect(a).toBeGreaterThan(0);
    expect(b / a).toBeGreaterThan(1e8);
    expect(fitY(data, [1e9, 2e9], true)).toBeUndefined();
  });

  it('a log axis is offered only where every drawn value is positive', () => {
    expect(canLog(figureData(FIG1, LOGDET))).toBe(false);
    expect(canLog(figureData(FIG1, { ...LOSS, y: 'linear' }))).toBe(true);
  });

  it('zoomed figures are decimated over the visible range, at most 20× finer', () => {
    expect(zoomBuckets(100, [0, 1000], undefined)).toBe(100);
    expect(zoomBuckets(100, [0, 1000], [0, 250])).toBe(400);
    expect(zoomBuckets(100, [0, 1000], [0, 1])).toBe(2000);
  });
});

describe('crowded figures and the saved view', () => {
  it('more than 8 runs (or components of one run) without a band are crowded', () => {
    expect(crowded(figureData(FIG1, LOSS) as never, 'loss')).toBe(false);
    // two runs × five singular values: not crowded
    expect(crowded(figureData(FIG1, SV) as never, 'sv_W1')).toBe(false);
    const runs: Record<string, RunResult> = {};
    for (let j = 1; j <= 9; j++) runs[`gd[lr=${j}]`] = { ...FIG1.runs.gd!, def: 'gd', member: { lr: j }, coords: { lr: j } };
    const fam = { ...FIG1, runs };
    expect(crowded(figureData(fam, { ...LOSS, runs: ['gd'] }) as never, 'loss')).toBe(true);
    // the same family over seeds is drawn as a mean with a band: not crowded
    const seeds: Record<string, RunResult> = {};
    for (let j = 1; j <= 9; j++) seeds[`gd[seed=${j}]`] = { ...FIG1.runs.gd!, def: 'gd', member: { seed: j }, coords: { seed: j } };
    expect(crowded(figureData({ ...FIG1, runs: seeds }, { ...LOSS, runs: ['gd'] }) as never, 'loss')).toBe(false);
  });

  it('the saved view is validated field by field', () => {
    const v = readViewState({ sort: { col: 'loss', dir: 'asc' }, figures: { a: { x: [0, 1], scale: 'log', facet: true }, b: { x: [2, 1], scale: 'weird' }, c: 'no' }, pin: null });
    expect(v).toEqual({ sort: { col: 'loss', dir: 'asc' }, figures: { a: { x: [0, 1], scale: 'log', facet: true } }, pin: null });
    setFigureView(v, 'a', { x: undefined, facet: false, scale: undefined });
    expect(v.figures).toEqual({});
    expect(readViewState(undefined)).toEqual({ sort: null, figures: {}, pin: null });
  });
});
