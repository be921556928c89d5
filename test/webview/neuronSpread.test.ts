// A per-unit vector metric (alignment: one cosine per neuron) is drawn as each run's mean over
// its units with their min–max band, the band a family over seeds gets, not one line per unit.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildFigure, figureData, LIGHT_THEME } from '../../src/core/figures';
import type { ResultsDoc } from '../../src/core/results';
import { normalizeDoc } from '../../src/core/wire/webviewMessages';

const RELU = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'relu.json'), 'utf8')) as ResultsDoc);
const domDocument = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
const alignmentPlot = RELU.plots.find((p) => p.metric === 'alignment')!;

describe('alignment over 20 neurons', () => {
  it('is one mean line per run inside the min–max band of its neurons', () => {
    expect((RELU.runs.gd!.metrics.alignment![0] as number[]).length).toBe(20);
    const d = figureData(RELU, alignmentPlot);
    if (d.kind !== 'series') throw new Error('kind');
    expect(new Set(d.rows.map((r) => r.line)).size).toBe(2);
    for (const r of d.rows) {
      const i = RELU.runs[r.run]!.step.indexOf(r.step);
      const units = RELU.runs[r.run]!.metrics.alignment![i] as number[];
      expect(r.n).toBe(20);
      expect(r.lo).toBe(Math.min(...units));
      expect(r.hi).toBe(Math.max(...units));
      expect(Math.abs(r.y - units.reduce((s, v) => s + v, 0) / 20)).toBeLessThan(1e-12);
    }
  });
  it('draws one line per run plus a band area, not 20 lines', () => {
    const svg = buildFigure(RELU, alignmentPlot, { document: domDocument(), width: 640, theme: LIGHT_THEME, tips: false });
    expect(svg.querySelectorAll('g[aria-description="runs"] path').length).toBe(2);
    const areas = svg.querySelectorAll('g[aria-label="area"] path');
    expect(areas.length).toBe(2);
  });
  it('keeps one line per component for singular values (ordered, not interchangeable units)', () => {
    const sv = RELU.runs.gd!.metrics.alignment!;
    const doc = { ...RELU, runs: { gd: { ...RELU.runs.gd!, metrics: { ...RELU.runs.gd!.metrics, sv_W1: sv } } } };
    const d = figureData(doc, { ...alignmentPlot, metric: 'sv_W1', runs: ['gd'], top: 3 });
    if (d.kind !== 'series') throw new Error('kind');
    expect(new Set(d.rows.map((r) => r.line)).size).toBe(3);
  });
});
