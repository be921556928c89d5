// Gain_γ bars on a log axis (`plot gain(…, y = log)`): GD's and SGD's Gains differ by decades near
// their stability limits (Even et al., Fig. 2), so only a log axis shows both shapes. A bar there
// starts at a floor a decade below the smallest positive Gain, not at 0 (which a log scale maps to
// −∞: before this, the domain spanned 300 decades and every bar was a hairline).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildFigure, gainLogDomain, LIGHT_THEME } from '../../src/core/figures';
import type { ResultsDoc } from '../../src/core/results';
import { normalizeDoc } from '../../src/core/wire/webviewMessages';

const DIAG = normalizeDoc(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'diagonal.json'), 'utf8')) as ResultsDoc);
const domDocument = () => parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;

describe('Gain bars on a log axis', () => {
  it('the domain runs from a decade below the smallest positive Gain to the power of ten above the largest', () => {
    expect(gainLogDomain([0.0066, 3.4, 14.9, 0])).toEqual([1e-4, 100]);
    expect(gainLogDomain([2, 3])).toEqual([0.1, 10]);
    expect(gainLogDomain([0, -1, NaN])).toBeUndefined();
  });

  it('every bar is drawn between the floor and its value, heights in proportion to log Gain', () => {
    const plot = { ...DIAG.plots[1]!, y: 'log' as const };
    expect(plot.kind).toBe('gain');
    const svg = buildFigure(DIAG, plot, { document: domDocument(), width: 900, theme: LIGHT_THEME, tips: false });
    const rects = [...svg.querySelectorAll('rect')].filter((r) => r.getAttribute('height') !== null && r.closest('g[aria-label="bar"]'));
    const gains = plot.runs.flatMap((k) => (DIAG.runs[k]!.metrics.gain!.at(-1) as number[]).filter((g) => g > 0));
    expect(rects.length).toBe(gains.length);
    const [lo] = gainLogDomain(gains)!;
    const heights = rects.map((r) => Number(r.getAttribute('height')));
    // a bar's height is proportional to log(g / floor): compare the tallest and shortest bars
    const ratio = Math.max(...heights) / Math.min(...heights);
    const expected = Math.log(Math.max(...gains) / lo) / Math.log(Math.min(...gains) / lo);
    expect(ratio).toBeCloseTo(expected, 1);
    // and no bar is a hairline (the old domain made them all < 1 px)
    expect(Math.min(...heights)).toBeGreaterThan(5);
  });
});
