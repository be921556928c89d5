// The exported figure (Export Figures and `sgdexp run`): title and legend inside the SVG, an opaque
// light background in the print theme whatever the editor's theme.
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { DARK_THEME, paperFigure, PRINT_THEME } from '../../src/core/figures';
import type { ResultsDoc, RunResult } from '../../src/core/wire/results';

const run = (loss: number[]): RunResult => ({
  status: 'done', message: null, model: 'linear2', optimizer: 'gd', params: {}, member: null, theory: {},
  step: loss.map((_, i) => i * 10), time: loss.map((_, i) => i), metrics: { loss },
});
const doc: ResultsDoc = {
  format: 'sgdexp-results', version: 1, file: 'x.sgdexp', seed: 0,
  runs: { gd: run([1, 0.1, 0.01]), noisy: run([1, 0.3, 0.2]) },
  plots: [{ title: 'Training loss of both runs', kind: 'series', metric: 'loss', runs: ['gd', 'noisy'], x: 'step', y: 'log', theory: false }],
};
const dom = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;

function parse(svg: SVGSVGElement) {
  const texts = Array.from(svg.querySelectorAll('text')).map((t) => t.textContent ?? '');
  const bg = svg.querySelector('rect.sg-background');
  return { texts, bg: bg?.getAttribute('fill'), color: svg.getAttribute('color') };
}

describe('paper figures', () => {
  it('carry the title and the legend inside the SVG, on a white background in the print theme', () => {
    const svg = paperFigure(doc, doc.plots[0]!, { document: dom(), width: 640, theme: PRINT_THEME, legend: false, title: false });
    const p = parse(svg);
    expect(p.texts.join('|')).toContain('Training loss of both runs');
    expect(p.texts.some((t) => t.includes('gd'))).toBe(true);
    expect(p.texts.some((t) => t.includes('noisy'))).toBe(true);
    expect(p.bg).toBe('#ffffff');
    expect(p.color).toBe('#000000');
    expect(svg.getAttribute('style')).toContain('background:#ffffff');
  });
  it("take the editor's theme only when asked, still opaque", () => {
    const p = parse(paperFigure(doc, doc.plots[0]!, { document: dom(), width: 640, theme: DARK_THEME }));
    expect(p.bg).toBe(DARK_THEME.background);
  });
});
