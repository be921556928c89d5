// Colours mean the same thing in every file: a run's colour follows its optimiser kind (GD blue
// whatever the run is called and wherever it stands), and the six colours of six series are far
// apart. Read off the drawn SVG, as a reader sees them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildFigure, DARK_THEME, HIGH_CONTRAST_THEME, LIGHT_THEME, type FigureTheme } from '../../src/core/figures';
import type { PlotSpec, ResultsDoc, RunResult } from '../../src/core/results';
import { normalizeDoc } from '../../src/core/wire/webviewMessages';

const fx = (name: string) => normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as ResultsDoc);
const RELU = fx('relu.json');
const DIAG = fx('diagonal.json');
const domDocument = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
const lossPlot = (runs: string[]): PlotSpec => ({ title: 'loss', kind: 'series', metric: 'loss', runs, x: 'step', y: 'linear', theory: false, top: null });

/** run key → the stroke of its drawn line (one line per run in a loss plot without test loss) */
function strokes(doc: ResultsDoc, runs: string[], theme: FigureTheme = LIGHT_THEME): string[] {
  const svg = buildFigure(doc, lossPlot(runs), { document: domDocument(), width: 640, theme, tips: false });
  return Array.from(svg.querySelectorAll('g[aria-description="runs"] path')).map((p) => (p.getAttribute('stroke') ?? p.parentElement!.getAttribute('stroke'))!);
}

/** CIE76 ΔE: Euclidean distance in CIELAB (sRGB, D65). */
function deltaE(a: string, b: string): number {
  const lab = (hex: string) => {
    const lin = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const [r, g, bl] = lin as [number, number, number];
    const t = (v: number) => (v > 216 / 24389 ? Math.cbrt(v) : (24389 / 27 * v + 16) / 116);
    const X = t((0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047), Y = t(0.2126 * r + 0.7152 * g + 0.0722 * bl), Z = t((0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883);
    return [116 * Y - 16, 500 * (X - Y), 200 * (Y - Z)];
  };
  const p = lab(a), q = lab(b);
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

/** A document of loss-only runs with the given optimiser kinds, keyed as given. */
function docOf(runs: [string, string][]): ResultsDoc {
  const base = RELU.runs.gd!;
  const run = (optimizer: string): RunResult => ({ ...base, optimizer, metrics: { loss: base.metrics.loss! } });
  return { ...RELU, runs: Object.fromEntries(runs.map(([k, opt]) => [k, run(opt)])), plots: [] };
}

describe('run colours', () => {
  it('a GD run has the same colour whatever the runs are called and in whatever order', () => {
    const gdBlue = strokes(RELU, ['gd', 'ln'])[0]!;
    // the same two runs renamed and listed the other way round
    const swapped = docOf([['noisy', 'label_noise'], ['baseline', 'gd']]);
    expect(strokes(swapped, ['noisy', 'baseline'])).toEqual([strokes(RELU, ['gd', 'ln'])[1], gdBlue]);
    // another file: an SGD run first, then GD (example 05's `sgd`, `gd`)
    expect(strokes(docOf([['sgd', 'sgd'], ['park', 'gd']]), ['sgd', 'park'])[1]).toBe(gdBlue);
    // a GD family (example 04): its first member is GD's colour, the others distinct
    const fam = strokes(DIAG, ['gd']);
    expect(fam[0]).toBe(gdBlue);
    expect(new Set(fam).size).toBe(fam.length);
  });
  it('six series get six colours pairwise ΔE ≥ 25 apart, in every theme', () => {
    // ΔE76 ≈ 2.3 is a just-noticeable difference between large patches; thin lines in a legend
    // need far more: the light palette's orange and yellow (ΔE ≈ 10) read as one colour, the
    // closest pair a figure of six may now hold (green and teal, dark theme) is ΔE ≈ 29
    const kinds = fc.constantFrom('gd', 'sgd', 'label_noise', 'sgf', 'other');
    fc.assert(fc.property(fc.array(kinds, { minLength: 6, maxLength: 6 }), fc.constantFrom(LIGHT_THEME, DARK_THEME, HIGH_CONTRAST_THEME), (ks, theme) => {
      const keys = ks.map((_, i) => `r${i}`);
      const cs = strokes(docOf(ks.map((k, i) => [keys[i]!, k])), keys, theme);
      expect(cs).toHaveLength(6);
      for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) expect(deltaE(cs[i]!, cs[j]!)).toBeGreaterThanOrEqual(25);
    }), { numRuns: 60 });
  });
});
