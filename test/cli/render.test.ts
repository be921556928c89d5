// Plot figures rendered in Node: a <figure> with title and swatches is flattened into one
// valid SVG that resvg rasterises to a PNG of the requested width.
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { freshDocument, svgToPng, toStandaloneSvg } from '../../src/cli/render';

const data = [
  { x: 0, y: 1, run: 'gd' }, { x: 1, y: 2, run: 'gd' },
  { x: 0, y: 2, run: 'label noise' }, { x: 1, y: 0.5, run: 'label noise' },
];

describe('figures in Node', () => {
  it('flattens a titled figure with a colour legend into one SVG and a PNG', async () => {
    const document = freshDocument();
    const fig = Plot.plot({
      document, width: 600, height: 300, title: 'log det & <theory>', color: { legend: true },
      marks: [Plot.lineY(data, { x: 'x', y: 'y', stroke: 'run' })],
    }) as unknown as Element;
    expect(fig.tagName.toLowerCase()).toBe('figure');
    const svg = toStandaloneSvg(fig);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('log det &amp; &lt;theory&gt;');
    expect(svg).toContain('>label noise</text>');
    expect((svg.match(/<svg/g) ?? []).length).toBe(2); // root + Plot's chart (swatch squares became rects)
    const png = await svgToPng(svg, 800);
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // IHDR width, big-endian at byte 16
    expect(Buffer.from(png).readUInt32BE(16)).toBe(800);
  });
  it('keeps a bare SVG as it is, adding the namespace resvg needs', async () => {
    const svgEl = Plot.plot({ document: freshDocument(), marks: [Plot.dot(data, { x: 'x', y: 'y' })] }) as unknown as Element;
    const svg = toStandaloneSvg(svgEl);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await svgToPng(svg, 320)).length).toBeGreaterThan(1000);
  });
});
