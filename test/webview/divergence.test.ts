// A diverged run does not stretch the y axis (src/core/figures/domain.ts): the domain fits the
// healthy runs (times a margin), the diverged curve is clipped with a marker "↑ diverged at step
// N". Rendered as the CLI does, with linkedom.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildFigure, LIGHT_THEME } from '../../src/core/figures';
import { containedYDomain } from '../../src/core/figures/domain';
import { figureData } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc } from '../../src/core/results';
import { normalizeDoc } from '../../src/core/wire/webviewMessages';
import { svgToPng, toStandaloneSvg } from '../../src/cli/render';

const fx = (name: string) => normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as ResultsDoc);
const DIV = fx('diverged.json');
const FIG1 = fx('fig1.json');
const domDocument = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;

/** diverged.json with the diverging run's loss growing geometrically to 1e30 before it stops */
function to1e30(): { doc: ResultsDoc; at: number } {
  const doc = structuredClone(DIV);
  const bad = doc.runs['sgd[lr=0.05]']!;
  const n = bad.step.length;
  const loss = bad.metrics.loss as (number | null)[];
  // from the 20th record on: ×10^k up to 1e30 at the last finite one, then non-finite (null)
  for (let i = 20; i < n - 1; i++) loss[i] = loss[19]! * 10 ** ((30 * (i - 19)) / (n - 21));
  loss[n - 2] = 1e30;
  loss[n - 1] = null;
  return { doc, at: bad.step[n - 1]! };
}

const yDomain = (svg: SVGSVGElement) => (svg as unknown as { scale(n: string): { domain: number[] } }).scale('y').domain;
const texts = (svg: SVGSVGElement) => Array.from(svg.querySelectorAll('text')).map((t) => t.textContent ?? '');

describe('a diverged run', () => {
  const healthy = (doc: ResultsDoc) => {
    const ys = (doc.runs.gd!.metrics.loss as number[]).filter(Number.isFinite);
    return [Math.min(...ys), Math.max(...ys)] as const;
  };

  for (const y of ['log', 'linear'] as const) {
    it(`keeps the ${y} y domain within the healthy runs' range and marks where it leaves`, () => {
      const { doc, at } = to1e30();
      const plot: PlotSpec = { ...doc.plots[0]!, y };
      const svg = buildFigure(doc, plot, { document: domDocument(), width: 640, theme: LIGHT_THEME, tips: false });
      const [lo, hi] = healthy(doc);
      const d = yDomain(svg);
      if (y === 'log') {
        // at most the margin (half the healthy decades, at least one decade) beyond the healthy range
        const decades = Math.max(Math.log10(hi / lo) * 0.5, 1);
        expect(d[0]).toBeGreaterThanOrEqual(lo / 10 ** decades / (1 + 1e-9));
        expect(d[1]).toBeLessThanOrEqual(hi * 10 ** decades * (1 + 1e-9));
      } else {
        expect(d[0]).toBeGreaterThanOrEqual(lo - (hi - lo) * 0.5 - 1e-9);
        expect(d[1]).toBeLessThanOrEqual(hi + (hi - lo) * 0.5 + 1e-9);
      }
      expect(d[1]).toBeLessThan(1e3);
      expect(texts(svg).some((t) => t.includes(`↑ diverged at step ${at}`))).toBe(true);
      // the curve is clipped at the frame, not drawn to 1e30 far above it
      expect(svg.querySelector('clipPath')).not.toBeNull();
    });
  }

  it('renders as the CLI does (standalone SVG, resvg PNG), marker included', async () => {
    const { doc, at } = to1e30();
    const svg = buildFigure(doc, doc.plots[0]!, { document: domDocument(), width: 640, theme: LIGHT_THEME, tips: false });
    const text = toStandaloneSvg(svg);
    expect(text).toContain(`↑ diverged at step ${at}`);
    const png = await svgToPng(text, 640);
    expect(png.length).toBeGreaterThan(1000);
  });

  it('leaves figures without a diverged run, or one that stays in range, as they were', () => {
    for (const p of FIG1.plots) {
      const d = figureData(FIG1, p);
      if (d.kind !== 'series') throw new Error('kind');
      expect(containedYDomain(FIG1, p.metric, d.rows, d.theory, p.y === 'log')).toBeNull();
    }
    // diverged.json's run stops at 37.6 (loss 0.01…1.31 healthy, log axis): within one decade and a half
    const d = figureData(DIV, DIV.plots[0]!);
    if (d.kind !== 'series') throw new Error('kind');
    const c = containedYDomain(DIV, 'loss', d.rows, d.theory, true);
    expect(c === null || c.domain[1] >= 1.31).toBe(true);
  });
});
