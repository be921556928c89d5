// Figures in Node: the very figures the preview draws (src/core/figures/, Observable Plot),
// built against linkedom's DOM instead of the browser's, serialised to SVG and rasterised to
// PNG with resvg. Plot returns a bare <svg>, or a <figure> holding a title (<h2>), colour
// swatches (HTML) and the <svg>; resvg reads SVG only, so a <figure> is flattened into one
// SVG with the title and swatches redrawn as SVG text and squares.
import { existsSync } from 'node:fs';
import { parseHTML } from 'linkedom';

const FONT = 'DejaVu Sans, sans-serif';

export function freshDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** A standalone SVG document (string) for the element Plot returned. */
export function toStandaloneSvg(root: Element): string {
  if (root.tagName.toLowerCase() === 'svg') return withNamespace(root.outerHTML);
  const parts: string[] = [];
  let y = 0;
  let width = 0;
  const svgs: Element[] = [];
  for (const child of Array.from(root.children)) {
    const tag = child.tagName.toLowerCase();
    if (tag === 'h2' || tag === 'h3' || tag === 'figcaption') {
      const size = tag === 'h2' ? 15 : tag === 'h3' ? 12 : 11;
      const weight = tag === 'h2' ? ' font-weight="bold"' : '';
      y += size + 6;
      parts.push(`<text x="4" y="${y}" font-size="${size}"${weight} fill="#222">${esc(child.textContent ?? '')}</text>`);
      y += 4;
    } else if (tag === 'svg') {
      const w = Number(child.getAttribute('width') ?? 640);
      const h = Number(child.getAttribute('height') ?? 400);
      const copy = child.cloneNode(true) as Element;
      copy.setAttribute('x', '0');
      copy.setAttribute('y', String(y));
      parts.push(copy.outerHTML);
      svgs.push(child);
      y += h;
      width = Math.max(width, w);
    } else if (tag === 'div') {
      // swatch legend: <span class="…-swatch"><svg fill="…"><rect/></svg>label</span>
      const swatches = Array.from(child.querySelectorAll('span')).filter((s) => /swatch/.test(s.getAttribute('class') ?? ''));
      if (swatches.length === 0) continue;
      let x = 4;
      y += 6;
      for (const s of swatches) {
        const fill = s.querySelector('svg')?.getAttribute('fill') ?? s.querySelector('svg')?.getAttribute('stroke') ?? '#888';
        const label = (s.textContent ?? '').trim();
        const textW = label.length * 6.2;
        if (x + 20 + textW > Math.max(width, 640) - 4 && x > 4) {
          x = 4;
          y += 20;
        }
        parts.push(`<rect x="${x}" y="${y}" width="15" height="15" fill="${esc(fill)}"/>`);
        parts.push(`<text x="${x + 20}" y="${y + 11.5}" font-size="10" fill="#222">${esc(label)}</text>`);
        x += 20 + textW + 14;
      }
      y += 24;
    }
  }
  width = Math.max(width, 640);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.ceil(y)}" viewBox="0 0 ${width} ${Math.ceil(y)}" font-family="${FONT}">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`
  );
}

function withNamespace(svg: string): string {
  return /^<svg[^>]*\sxmlns=/.test(svg) ? svg : svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
}

/** PNG bytes of an SVG string, white background, fonts from the system (DejaVu Sans). Rendered
 *  on libuv's thread pool (resvg's renderAsync, the same bytes as its synchronous render), so
 *  several figures rasterise side by side while the main thread writes the other outputs. */
export async function svgToPng(svg: string, width = 1280): Promise<Uint8Array> {
  // loaded on first use (a native module); required, not import()ed, as lazy.ts explains
  const { renderAsync } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const r = await renderAsync(svg, {
    background: 'white',
    fitTo: { mode: 'width', value: width },
    font: fontOptions(),
  });
  return r.asPng();
}

// Loading only DejaVu Sans (when the system has it) is faster than scanning every system
// font for each figure, and makes the PNGs the same on every machine with that font.
const DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
let fonts: { loadSystemFonts: boolean; fontFiles?: string[]; defaultFontFamily: string; sansSerifFamily: string } | null = null;
function fontOptions() {
  if (!fonts) {
    const files = DEJAVU.filter((f) => existsSync(f));
    fonts = files.length
      ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
      : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
  }
  return fonts;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
