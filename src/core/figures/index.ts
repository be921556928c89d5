// The figures of a results document, as Observable Plot SVGs. Pure: (doc, plot spec, options) →
// one <svg>. The webview draws them in the browser; the CLI draws the SAME figures in Node with a
// linkedom `document` and rasterises them with resvg — so everything that matters (title, legend,
// theory line, run messages) is drawn inside the SVG with presentation attributes, no CSS needed.
//
// One module per plot kind (series.ts, final.ts, gain.ts): its rows (figureData, the one place
// that decides which numbers a plot draws), its marks and its CSV rows, so an exported CSV always
// matches the picture. This file assembles a kind's marks into the figure's frame.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc } from '../results';
import { plotRuns, type DataOptions } from './runs';
import { seriesCsv, seriesData, seriesMarks, type SeriesData } from './series';
import { finalCsv, finalData, finalMarks, type FinalData } from './final';
import { gainCsv, gainData, gainMarks, type GainData } from './gain';
import { degenerateDomain, figureBuckets, header, MARGIN_LEFT, MARGIN_RIGHT, rotateYLabel, type KindMarks, type LegendItem, type MarkContext } from './frame';
import { colorOf, figureColors, type FigureTheme } from './theme';
import { ghostMarks, type Ghosts } from './ghosts';
import { facetMarks } from './facets';
import { seriesOf } from '../resolve/metrics';

export { decimate, minMaxKeep } from './decimate';
export { plotRuns, groupKey, baseName, defOf, metricLabel } from './runs';
export { DRAWN_ALONGSIDE } from '../resolve/metrics';
export { finalValue } from './final';
export { gainLogDomain } from './gain';
export { degenerateDomain, figureBuckets, formatTick } from './frame';
export { paperFigure, PRINT_THEME } from './paper';
export { crowded, CROWDED } from './facets';
export type { Ghosts, GhostLine } from './ghosts';
export { LIGHT_THEME, DARK_THEME, HIGH_CONTRAST_THEME, figureColors, legendKeys, OPTIMIZER_SLOT, runColors } from './theme';
export type { FigureTheme } from './theme';
export type { SeriesRow } from './series';
export type { FinalRow, FinalSummary } from './final';
export type { GainRow } from './gain';
export type { RunNote, DataOptions } from './runs';

export type FigureData = SeriesData | FinalData | GainData;
export type { FigureData as FigureRows };

/** The rows a figure draws (also what its CSV export holds). */
export function figureData(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions = {}): FigureData {
  const keys = plotRuns(doc, plot);
  if (plot.kind === 'final') return finalData(doc, plot, keys, opts);
  if (plot.kind === 'gain' || (seriesOf(plot.metric)?.series.byCoordinate && plot.kind !== 'series')) return gainData(doc, plot, keys, opts);
  return seriesData(doc, plot, keys, opts);
}

/** CSV of exactly the points a figure draws (theory lines and seed means included, labelled). */
export function figureCsv(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions = {}): string {
  const d = figureData(doc, plot, opts);
  return d.kind === 'series' ? seriesCsv(d) : d.kind === 'final' ? finalCsv(d) : gainCsv(d);
}

export interface FigureOptions extends DataOptions {
  /** the DOM to build in: the page's own `document` in the browser, linkedom's in Node */
  document?: Document;
  width: number;
  height?: number;
  theme: FigureTheme;
  /** legend key (run key or seed-group key) → colour; default: `figureColors(doc, the figure's legend keys, theme.palette)` */
  colors?: Map<string, string>;
  /** draw the legend inside the SVG (default true; the webview draws its own, clickable one) */
  legend?: boolean;
  /** draw the title inside the SVG (default true) */
  title?: boolean;
  /** messages of runs without points, in the header (default true; the webview lists them itself) */
  notes?: boolean;
  /** pointer tooltips (default true; static renderers may turn them off) */
  tips?: boolean;
  /** the figure's rows when the caller already computed them (`figureData(doc, plot, options)`) */
  data?: FigureData;
  /** class on the root <svg> (the webview styles `--plot-background` through it) */
  className?: string;
  /** series: pinned curves of an earlier revision, drawn thin and faded (ghosts.ts) */
  ghosts?: Ghosts;
  /** series: small multiples, a panel per run or component (facets.ts) */
  facet?: boolean;
}

/**
 * Build one figure. Returns the root <svg> (never an HTML wrapper: legends and titles are SVG
 * text so that the CLI can rasterise the element as it is).
 */
export function buildFigure(doc: ResultsDoc, plot: PlotSpec, options: FigureOptions): SVGSVGElement {
  const theme = options.theme;
  const width = Math.max(240, Math.round(options.width));
  const data = options.data ?? figureData(doc, plot, { ...options, buckets: options.buckets ?? figureBuckets(width) });
  const domain = data.runs;
  // Colours follow each run's optimiser kind (GD blue in every file), then the figure's own order
  // for the rest, so no two runs of a figure share a colour (figureColors).
  const colors = options.colors ?? figureColors(doc, domain, theme.palette);
  const color = (k: string) => colorOf(colors, doc, k, theme.palette);
  const hidden = new Set(options.hidden ?? []);
  const ctx: MarkContext = {
    doc, plot, theme, color, tips: options.tips ?? true, width, marginLeft: MARGIN_LEFT, domain, hidden,
    notes: data.notes.map((n) => ({ ...n, color: n.status === 'stale' ? theme.muted : color(n.run) })),
  };
  const faceted = options.facet && data.kind === 'series' ? facetMarks(data, ctx) : null;
  const kind: KindMarks = faceted ?? (data.kind === 'series' ? seriesMarks(data, ctx) : data.kind === 'final' ? finalMarks(data, ctx) : gainMarks(data, ctx));
  const marks = kind.marks;
  if (options.ghosts && data.kind === 'series' && !faceted) {
    // under the current curves, and inside the frame's y range (a pinned curve is for comparison)
    const g = ghostMarks(options.ghosts, color, { log: plot.y === 'log', fontSize: theme.fontSize, background: theme.background, clip: !!(plot.xlim || plot.ylim || kind.yDomain) });
    marks.unshift(...g.marks);
    if (!kind.yDomain) kind.ys.push(...g.ys);
  }
  const legend: LegendItem[] = [...domain.filter((k) => !hidden.has(k)).map((k) => ({ label: k, color: color(k), glyph: '━━' })), ...kind.legend];
  if (!data.rows.length && !ctx.notes.length) {
    marks.push(Plot.text([`no data for ${plot.metric} yet`], { frameAnchor: 'middle', fill: theme.muted, fontSize: theme.fontSize + 1, facet: 'super' } as Plot.TextOptions));
  }
  const head = header(options.legend === false ? [] : legend, options.title === false ? null : plot.title, width, theme, MARGIN_LEFT, options.notes === false ? [] : kind.floating);
  marks.push(...head.marks);
  const baseHeight = options.height ?? faceted?.height ?? Math.max(200, Math.min(340, Math.round(width * 0.52)));
  const y: Plot.ScaleOptions = { label: data.yLabel, type: plot.y === 'log' ? 'log' : 'linear', grid: true, ...kind.y };
  // a given ylim wins over the fitted domain; marks outside a given range are clipped at the frame.
  // A contained domain (a diverged run clipped) is guarded like any other: a span of subnormals
  // would ask the tick generator for an unbounded number of ticks
  const yDomain = plot.ylim ?? (kind.yDomain
    ? (degenerateDomain(kind.yDomain, plot.y === 'log', false) ?? kind.yDomain)
    : degenerateDomain(kind.ys.filter(Number.isFinite), plot.y === 'log', kind.withZero ?? false));
  if (yDomain) y.domain = yDomain;
  const xDomain = plot.xlim && data.kind !== 'gain' ? { domain: plot.xlim } : {};
  const clip = plot.xlim || plot.ylim ? { clip: true } : {};
  const spec = {
    document: options.document,
    width,
    height: baseHeight + head.height,
    marginTop: head.height + 6,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginBottom: 38,
    className: options.className,
    style: { fontFamily: theme.fontFamily, fontSize: `${theme.fontSize}px`, color: theme.foreground, background: 'transparent', overflow: 'visible' },
    ...clip,
    x: { label: data.xLabel, ...kind.x, ...xDomain, labelAnchor: 'center', labelArrow: 'none' } as Plot.ScaleOptions,
    y: { ...y, labelArrow: 'none' } as Plot.ScaleOptions,
    ...(kind.fx ? { fx: { ...kind.fx, labelAnchor: 'center' } as Plot.ScaleOptions } : {}),
    ...(faceted ? { fy: faceted.fy } : {}),
    color: { type: 'ordinal', domain, range: domain.map(color), legend: false },
    marks,
  } as Plot.PlotOptions;
  let svg: SVGSVGElement;
  try {
    svg = Plot.plot(spec) as SVGSVGElement;
  } catch (e) {
    // never let one odd series take the whole figure down: say what went wrong, in the figure
    svg = Plot.plot({
      ...spec,
      x: undefined, y: undefined, fx: undefined, fy: undefined, color: undefined,
      marks: [...head.marks, Plot.text([`could not draw this plot: ${(e as Error).message}`], { frameAnchor: 'middle', fill: theme.muted, fontSize: theme.fontSize + 1, facet: 'super' } as Plot.TextOptions)],
    }) as SVGSVGElement;
  }
  // Attributes, not CSS, for what a rasteriser needs: resvg ignores Plot's <style> and inline CSS
  // custom properties, and resolves `currentColor` from the `color` attribute.
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  svg.setAttribute('color', theme.foreground);
  svg.setAttribute('font-family', theme.fontFamily);
  svg.setAttribute('font-size', String(theme.fontSize));
  // Plot's y label sits at the very top-left of the margin, where our legend is: move it to the
  // conventional rotated position beside the axis.
  rotateYLabel(svg, baseHeight, head.height);
  return svg;
}
