// A figure for a paper: the exported SVG and PNG of Export Figures (drawn by the preview page) and
// of `sgdexp run` (drawn in Node) are this one figure — title and legend inside the image, on an
// opaque background of its theme, by default the light print theme (dark text on white: a figure
// exported from a dark editor must not be light-grey text on a transparent background).
import type { PlotSpec, ResultsDoc } from '../results';
import { buildFigure, type FigureOptions } from './index';
import { LIGHT_THEME, type FigureTheme } from './theme';

/** Black text, light grid, white paper; the chart colours of the light theme (they print well). */
export const PRINT_THEME: FigureTheme = {
  ...LIGHT_THEME,
  kind: 'light',
  foreground: '#000000',
  background: '#ffffff',
  muted: '#4d4d4d',
  grid: '#dddddd',
  fontFamily: '"DejaVu Sans", Helvetica, Arial, sans-serif',
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The standalone figure: title, legend and run notes drawn in the SVG, no tooltips, a background rect. */
export function paperFigure(doc: ResultsDoc, plot: PlotSpec, options: FigureOptions): SVGSVGElement {
  const svg = buildFigure(doc, plot, { ...options, title: true, legend: true, notes: true, tips: false, className: undefined });
  const rect = svg.ownerDocument.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', options.theme.background);
  rect.setAttribute('class', 'sg-background');
  svg.insertBefore(rect, svg.firstChild);
  // the figure's own style said `background: transparent` (it sits on the preview's card)
  const style = (svg.getAttribute('style') ?? '').replace(/background:\s*[^;]*;?/g, '');
  svg.setAttribute('style', `${style}${style && !style.trimEnd().endsWith(';') ? ';' : ''}background:${options.theme.background}`);
  return svg;
}
