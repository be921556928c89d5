// The figures of a results document, as Observable Plot SVGs. Pure: (doc, plot spec, options) →
// one <svg>. The webview draws them in the browser; the CLI draws the SAME figures in Node with a
// linkedom `document` and rasterises them with resvg — so everything that matters (title, legend,
// theory line, run messages) is drawn inside the SVG with presentation attributes, no CSS needed.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc } from './results';
import {
  figureData,
  groupKey,
  type DataOptions,
  type FigureData,
  type SeriesRow,
} from './figures/data';
import { containedYDomain } from './figures/domain';

export { decimate, minMaxKeep, figureData, figureCsv, plotRuns, groupKey, baseName, finalValue, metricLabel } from './figures/data';
export type { FigureData, SeriesRow, FinalRow, FinalSummary, GainRow, RunNote, DataOptions } from './figures/data';

export interface FigureTheme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  /** secondary text (notes, legend of theory) */
  muted: string;
  /** grid lines */
  grid: string;
  /** run colours, cycled */
  palette: string[];
  fontFamily: string;
  fontSize: number;
}

// VS Code's chart colours (--vscode-charts-*), then a few distinguishable extras.
export const LIGHT_THEME: FigureTheme = {
  kind: 'light',
  foreground: '#1f1f1f',
  background: '#ffffff',
  muted: '#616161',
  grid: '#d4d4d4',
  palette: ['#1a85ff', '#e51400', '#388a34', '#d18616', '#652d90', '#bf8803', '#0f7c8c', '#c23b9a', '#5c5c5c', '#8a6d3b'],
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif',
  fontSize: 11,
};

export const DARK_THEME: FigureTheme = {
  kind: 'dark',
  foreground: '#cccccc',
  background: '#1f1f1f',
  muted: '#9d9d9d',
  grid: '#3c3c3c',
  palette: ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700', '#4ec9b0', '#e07ec8', '#a0a0a0', '#c8a26b'],
  fontFamily: LIGHT_THEME.fontFamily,
  fontSize: 11,
};

// The high-contrast (dark) counterpart, for the `sgdexp.plot.theme` = "high-contrast" setting:
// white on black, VS Code's contrast border for the grid, saturated run colours.
export const HIGH_CONTRAST_THEME: FigureTheme = {
  kind: 'high-contrast',
  foreground: '#ffffff',
  background: '#000000',
  muted: '#d0d0d0',
  grid: '#6fc3df',
  palette: ['#3794ff', '#ff6b6b', '#89d185', '#ffa630', '#d18cff', '#ffff00', '#00e5e5', '#ff7ad9', '#ffffff', '#e0b070'],
  fontFamily: LIGHT_THEME.fontFamily,
  fontSize: 11,
};

export interface FigureOptions extends DataOptions {
  /** the DOM to build in: the page's own `document` in the browser, linkedom's in Node */
  document?: Document;
  width: number;
  height?: number;
  theme: FigureTheme;
  /** legend key (run key or seed-group key) → colour; default: `runColors(doc, theme.palette)` */
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
}

/**
 * Legend entries of a document in order: run keys, with the members of a family over seeds
 * collapsed into one entry (they are drawn as one mean line with its spread).
 */
export function legendKeys(doc: ResultsDoc): string[] {
  const out: string[] = [];
  for (const [k, r] of Object.entries(doc.runs)) {
    const g = r.member && 'seed' in r.member ? groupKey(k, r) : k;
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

/** Stable colours: one per legend entry, the same in every figure of the document. */
export function runColors(doc: ResultsDoc, palette: string[]): Map<string, string> {
  const m = new Map<string, string>();
  legendKeys(doc).forEach((k, i) => m.set(k, palette[i % palette.length]!));
  return m;
}

function colourOf(colors: Map<string, string>, doc: ResultsDoc, key: string, palette: string[]): string {
  const c = colors.get(key);
  if (c) return c;
  // a final plot's group (family without x and seed) takes the colour of its first member
  for (const [k, r] of Object.entries(doc.runs)) {
    if (groupKey(k, r, Object.keys(r.member ?? {})) === key || k.startsWith(key + '[')) {
      const cc = colors.get(r.member && 'seed' in r.member ? groupKey(k, r) : k);
      if (cc) return cc;
    }
  }
  return palette[0]!;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4)));

/** Rough text width for the in-SVG legend layout (no DOM measurement in Node). */
const textWidth = (s: string, size: number) => s.length * size * 0.58;

interface Header {
  marks: Plot.Markish[];
  height: number;
}

/** Title and legend in the top margin, as plain text marks (they survive resvg). */
function header(
  items: { label: string; color: string; glyph: string }[],
  title: string | null,
  width: number,
  theme: FigureTheme,
  marginLeft: number,
  notes: { text: string; color: string }[],
): Header {
  const marks: Plot.Markish[] = [];
  const size = theme.fontSize;
  const line = size + 5;
  let top = 8;
  const rows: { label: string; color: string; glyph: string; dx: number; row: number }[] = [];
  if (items.length) {
    let dx = 0;
    let row = 0;
    const avail = width - marginLeft - 16;
    for (const it of items) {
      const w = textWidth(it.glyph + ' ' + it.label, size) + 14;
      if (dx > 0 && dx + w > avail) { row++; dx = 0; }
      rows.push({ ...it, dx, row });
      dx += w;
    }
  }
  const nrows = rows.length ? rows[rows.length - 1]!.row + 1 : 0;
  const height = (title ? line + 4 : 0) + (nrows + notes.length) * line + (nrows || title || notes.length ? 8 : 0) + top;
  const frameTop = height; // dy is measured upwards from the frame's top edge
  if (title) {
    marks.push(Plot.text([title], {
      frameAnchor: 'top-left', textAnchor: 'start', dx: -marginLeft + 8, dy: -frameTop + top + size / 2 + 2,
      fontSize: size + 2, fontWeight: 'bold', fill: theme.foreground, facet: 'super',
    } as Plot.TextOptions));
    top += line + 4;
  }
  for (const r of rows) {
    const dy = -frameTop + top + r.row * line + size / 2;
    marks.push(Plot.text([r.glyph], { frameAnchor: 'top-left', textAnchor: 'start', dx: r.dx, dy, fill: r.color, fontSize: size, fontWeight: 'bold', facet: 'super' } as Plot.TextOptions));
    marks.push(Plot.text([r.label], { frameAnchor: 'top-left', textAnchor: 'start', dx: r.dx + textWidth(r.glyph, size) + 4, dy, fill: theme.foreground, fontSize: size, facet: 'super' } as Plot.TextOptions));
  }
  // messages of runs that have no point to attach them to (failed before the first record)
  notes.forEach((n, i) => {
    const dy = -frameTop + top + (nrows + i) * line + size / 2;
    marks.push(Plot.text([n.text], { frameAnchor: 'top-left', textAnchor: 'start', dx: 0, dy, fill: n.color, fontSize: size, facet: 'super' } as Plot.TextOptions));
  });
  return { marks, height };
}


/**
 * One Plot line mark per polyline, with columnar x/y (Float64Array) and a constant stroke: Plot
 * then neither calls accessors per point nor maps a colour scale per point nor groups by z —
 * the per-point work that dominated profiles of one mark over row objects.
 */
function lineMarks(
  rows: SeriesRow[],
  color: (run: string) => string,
  opts: { dash?: string; opacity?: number; width?: number; description: string; clip?: boolean },
): Plot.Markish[] {
  const byLine = new Map<string, SeriesRow[]>();
  for (const r of rows) {
    const a = byLine.get(r.line);
    if (a) a.push(r);
    else byLine.set(r.line, [r]);
  }
  const marks: Plot.Markish[] = [];
  // many lines per run (20 neurons' alignment): thinner, so the bundle stays readable
  const perRun = new Map<string, number>();
  for (const pts of byLine.values()) perRun.set(pts[0]!.run, (perRun.get(pts[0]!.run) ?? 0) + 1);
  for (const pts of byLine.values()) {
    const many = perRun.get(pts[0]!.run)! > 6;
    // a NaN between two points breaks the polyline (Plot draws defined runs only)
    let gaps = 0;
    for (const p of pts) if (p.gap) gaps++;
    const n = pts.length + gaps;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0, o = 0; i < pts.length; i++) {
      if (pts[i]!.gap) {
        x[o] = pts[i]!.x;
        y[o++] = NaN;
      }
      x[o] = pts[i]!.x;
      y[o++] = pts[i]!.y;
    }
    marks.push(Plot.line({ length: n }, {
      ariaDescription: opts.description,
      x, y, stroke: color(pts[0]!.run),
      strokeWidth: opts.width ?? (many ? 1 : 1.6), strokeOpacity: opts.opacity ?? (many ? 0.75 : 1),
      strokeDasharray: opts.dash, curve: 'linear', clip: opts.clip,
    }));
  }
  return marks;
}

const MARGIN_LEFT = 64;
const MARGIN_RIGHT = 20;

/** Decimation columns for a figure `width` px wide: one per 3 px of its frame (DataOptions.buckets):
 *  ≤ 2 points per 3 px per line, a polyline within 3 px of the full one, extremes kept. */
export function figureBuckets(width: number): number {
  return Math.max(20, Math.floor((Math.max(240, Math.round(width)) - MARGIN_LEFT - MARGIN_RIGHT) / 3));
}

/**
 * Build one figure. Returns the root <svg> (never an HTML wrapper: legends and titles are SVG
 * text so that the CLI can rasterise the element as it is).
 */
export function buildFigure(doc: ResultsDoc, plot: PlotSpec, options: FigureOptions): SVGSVGElement {
  const theme = options.theme;
  const width = Math.max(240, Math.round(options.width));
  const marginLeft = MARGIN_LEFT;
  const buckets = figureBuckets(width);
  const data = options.data ?? figureData(doc, plot, { ...options, buckets: options.buckets ?? buckets });
  const domain = data.runs;
  // Colours follow the figure's own run order, so the usual "gd, ln" plots agree with each other
  // and two runs never get neighbouring shades of a long palette.
  const colors = options.colors ?? new Map(domain.map((k, i) => [k, theme.palette[i % theme.palette.length]!]));
  const colorOfKey = (k: string) => colourOf(colors, doc, k, theme.palette);
  const range = domain.map(colorOfKey);
  const tips = options.tips ?? true;
  const marks: Plot.Markish[] = [];
  const legendItems: { label: string; color: string; glyph: string }[] = [];
  const hidden = new Set(options.hidden ?? []);
  for (const k of domain) if (!hidden.has(k)) legendItems.push({ label: k, color: colorOfKey(k), glyph: '━━' });

  let x: Plot.ScaleOptions = { label: data.xLabel };
  // a diverged run does not stretch the y axis: the domain fits the healthy runs, the diverged
  // curve is clipped at the frame with a marker where it leaves (figures/domain.ts)
  const contained = data.kind === 'series' ? containedYDomain(doc, plot.metric, data.rows, data.theory, plot.y === 'log') : null;
  const clip = contained ? true : undefined;
  const y: Plot.ScaleOptions = { label: data.yLabel, type: plot.y === 'log' ? 'log' : 'linear', grid: true };
  if (plot.y === 'log') Object.assign(y, logTicks(contained ? contained.domain.map((v) => ({ y: v })) : (data.rows as { y: number; lo?: number; hi?: number }[])));
  let fx: Plot.ScaleOptions | undefined;
  const outside = (n: { run: string; y: number | null; status: string }) =>
    contained != null && n.status === 'diverged' && n.y != null && (n.y > contained.domain[1] || n.y < contained.domain[0]) && contained.markers.some((m) => m.run === n.run);
  const notes = [...data.notes.filter((n) => !outside(n)), ...(contained?.markers ?? [])].map((n) => ({ ...n, color: n.status === 'stale' ? theme.muted : colorOfKey(n.run) }));
  const floating: typeof notes = [];

  if (data.kind === 'series') {
    // Draw at the screen's resolution: ≤ 2 points per 3 px column per line (min–max kept); tips
    // snap to the drawn points. CSV exports keep every recorded point (figureCsv).
    let x0 = Infinity, x1 = -Infinity;
    for (const r of data.rows) { if (r.x < x0) x0 = r.x; if (r.x > x1) x1 = r.x; }
    const rows = data.rows; // already decimated to the frame (DataOptions.buckets)
    const fresh = rows.filter((r) => !r.stale);
    const stale = rows.filter((r) => r.stale);
    const bands = fresh.filter((r) => r.n != null && r.n > 1);
    if (bands.length) marks.push(Plot.areaY(bands, { x: 'x', y1: 'lo', y2: 'hi', z: 'line', fill: 'run', fillOpacity: 0.18, clip }));
    marks.push(...lineMarks(fresh.filter((r) => r.metric !== 'test_loss'), colorOfKey, { description: 'runs', clip }));
    const test = fresh.filter((r) => r.metric === 'test_loss');
    if (test.length) {
      marks.push(...lineMarks(test, colorOfKey, { dash: '5 3', description: 'test loss', clip }));
      legendItems.push({ label: 'test loss', color: theme.muted, glyph: '╍╍' });
    }
    if (stale.length) marks.push(...lineMarks(stale, colorOfKey, { dash: '2 3', opacity: 0.4, width: 1.2, description: 'stale runs (older revision)', clip }));
    if (data.theory.length) {
      // a stale run's prediction is as old as its curve: faded with it
      for (const stale of [false, true]) {
        const th = data.theory.filter((r) => r.stale === stale);
        if (!th.length) continue;
        const o = stale ? 0.4 : 1;
        marks.push(Plot.line(th, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'line', stroke: 'run', strokeWidth: 1.4, strokeDasharray: '7 4', strokeOpacity: 0.9 * o, clip }));
        marks.push(Plot.line(th, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'line', stroke: theme.foreground, strokeWidth: 0.7, strokeOpacity: 0.5 * o, clip }));
      }
      legendItems.push({ label: 'theory (Thm 4.2)', color: theme.muted, glyph: '╌╌' });
    }
    const attached = notes.filter((n) => n.x != null && n.y != null);
    if (attached.length) {
      const crosses = attached.filter((n) => n.status === 'diverged' || n.status === 'error');
      if (crosses.length) marks.push(Plot.dot(crosses, { x: 'x', y: 'y', stroke: 'run', symbol: 'times', r: 4, strokeWidth: 2 }));
      // Place each message where it fits: left of its point in the right part of the frame,
      // below the point near the top (the frame's extent is known from the drawn rows).
      let y0 = Infinity, y1 = -Infinity;
      for (const r of contained ? contained.domain.map((v) => ({ y: v })) : data.rows) { const v = plot.y === 'log' ? Math.log(r.y) : r.y; if (v < y0) y0 = v; if (v > y1) y1 = v; }
      const frac = (v: number, a: number, b: number) => (b > a ? (v - a) / (b - a) : 0.5);
      for (const right of [false, true]) {
        for (const top of [false, true]) {
          const sel = attached.filter((n) => (frac(n.x!, x0, x1) > 0.55) === right && (frac(plot.y === 'log' ? Math.log(n.y!) : n.y!, y0, y1) > 0.8) === top);
          if (!sel.length) continue;
          marks.push(Plot.text(sel, {
            x: 'x', y: 'y', text: 'text', fill: 'run', textAnchor: right ? 'end' : 'start', dx: right ? -8 : 8, dy: top ? 14 : -10,
            stroke: theme.background, strokeWidth: 3, paintOrder: 'stroke', fontSize: theme.fontSize, lineWidth: 40,
          }));
        }
      }
    }
    floating.push(...notes.filter((n) => n.x == null || n.y == null));
    if (tips && data.rows.length) {
      // channels, not a `title` function: Plot formats a tip only when it is shown, whereas a
      // title would be formatted for every point at every render
      const tipRows = data.rows;
      const seeds = tipRows.some((r) => r.n != null);
      marks.push(Plot.tip(tipRows, Plot.pointer({
        x: 'x', y: 'y', stroke: 'run',
        channels: {
          run: { value: 'run', label: '' },
          ...(tipRows.some((r) => r.component != null) ? { component: { value: (r: SeriesRow) => (r.component == null ? null : r.component + 1), label: '#' } } : {}),
          ...(plot.x === 'time' ? { step: { value: 'step', label: 'step' } } : {}),
          ...(seeds ? { n: { value: 'n', label: 'seeds' }, lo: { value: 'lo', label: 'min' }, hi: { value: 'hi', label: 'max' } } : {}),
        },
        format: { run: true, stroke: false, x: (v: number) => fmt(v), y: (v: number) => fmt(v), lo: (v: number) => fmt(v), hi: (v: number) => fmt(v) },
      } as Plot.TipOptions)));
    }
  } else if (data.kind === 'final') {
    const xs = data.rows.map((r) => r.x).filter((v) => v > 0);
    if (xs.length === data.rows.length && xs.length && Math.max(...xs) / Math.min(...xs) >= 50) {
      x = { ...x, type: 'log', ...logTicks(data.rows.map((r) => ({ y: r.x }))) };
    }
    const several = data.summary.some((s) => s.n > 1);
    const ok = data.rows.filter((r) => r.status !== 'diverged' && r.status !== 'error');
    const bad = data.rows.filter((r) => r.status === 'diverged' || r.status === 'error');
    if (several) marks.push(Plot.ruleX(data.summary.filter((s) => s.n > 1), { x: 'x', y1: 'lo', y2: 'hi', stroke: 'group', strokeWidth: 2, strokeOpacity: 0.45 }));
    marks.push(Plot.line(data.summary, { x: 'x', y: 'mean', z: 'group', stroke: 'group', strokeWidth: 1.6 }));
    if (data.theory.length) {
      marks.push(Plot.line(data.theory, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'group', stroke: 'group', strokeWidth: 1.4, strokeDasharray: '7 4', strokeOpacity: 0.9 }));
      marks.push(Plot.line(data.theory, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'group', stroke: theme.foreground, strokeWidth: 0.7, strokeOpacity: 0.5 }));
      legendItems.push({ label: 'theory (Thm 4.2)', color: theme.muted, glyph: '╌╌' });
    }
    marks.push(Plot.dot(ok, { x: 'x', y: 'y', fill: 'group', r: several ? 2 : 3, fillOpacity: several ? 0.5 : 1 }));
    if (bad.length) {
      marks.push(Plot.dot(bad, { x: 'x', y: 'y', stroke: 'group', symbol: 'times', r: 4, strokeWidth: 2 }));
      legendItems.push({ label: 'diverged (not in mean)', color: theme.muted, glyph: '✕' });
    }
    if (several) legendItems.push({ label: 'min–max over seeds', color: theme.muted, glyph: '┃' });
    floating.push(...notes.filter((n) => n.status === 'error' && n.y == null));
    if (tips && data.rows.length) {
      marks.push(Plot.tip(data.rows, Plot.pointer({
        x: 'x', y: 'y', stroke: 'group',
        title: (r: { run: string; x: number; y: number; seed: number | null; status: string }) =>
          `${r.run}\n${data.xLabel} = ${fmt(r.x)}${r.seed != null ? `, seed ${r.seed}` : ''}\n${data.yLabel} = ${fmt(r.y)}${r.status !== 'done' ? `\n(${r.status})` : ''}`,
      })));
    }
  } else {
    // Gain_γ per coordinate: one facet per coordinate, runs side by side inside it.
    const ncoord = data.rows.reduce((m, r) => Math.max(m, r.coordinate + 1), 0);
    const every = Math.max(1, Math.ceil((ncoord * 22) / (width - marginLeft)));
    fx = { label: data.xLabel, padding: 0.2, tickFormat: (d: number) => (d % every === 0 ? String(d) : ''), tickSize: 0 };
    x = { axis: null, domain: domain.filter((k) => !hidden.has(k)), padding: 0.05 } as Plot.ScaleOptions;
    if (plot.y === 'log') {
      // A bar on a log axis cannot start at 0: it starts at the axis's floor (a decade below the
      // smallest positive Gain, see gainLogDomain), so bar heights still compare by ratios.
      const dom = gainLogDomain(drawnYs(data));
      const rows = data.rows.filter((r) => r.y > 0);
      if (dom) {
        y.domain = dom;
        marks.push(Plot.ruleY([dom[0]], { stroke: theme.muted, strokeOpacity: 0.6 }));
        marks.push(Plot.barY(rows, { fx: 'coordinate', x: 'run', y1: dom[0], y2: 'y', fill: 'run' }));
      }
    } else {
      marks.push(Plot.ruleY([0], { stroke: theme.muted, strokeOpacity: 0.6 }));
      marks.push(Plot.barY(data.rows, { fx: 'coordinate', x: 'run', y: 'y', fill: 'run' }));
    }
    floating.push(...notes);
    if (tips && data.rows.length) {
      marks.push(Plot.tip(data.rows, Plot.pointer({
        fx: 'coordinate', x: 'run', y: 'y', stroke: 'run',
        title: (r: { run: string; coordinate: number; y: number }) => `${r.run}\ncoordinate ${r.coordinate}\nGain = ${fmt(r.y)}`,
      })));
    }
  }

  if (!data.rows.length && !notes.length) {
    marks.push(Plot.text([`no data for ${plot.metric} yet`], { frameAnchor: 'middle', fill: theme.muted, fontSize: theme.fontSize + 1, facet: 'super' } as Plot.TextOptions));
  }

  const head = header(options.legend === false ? [] : legendItems, options.title === false ? null : plot.title, width, theme, marginLeft, options.notes === false ? [] : floating);
  marks.push(...head.marks);
  const baseHeight = options.height ?? Math.max(200, Math.min(340, Math.round(width * 0.52)));
  const yDomain = contained ? contained.domain : data.kind === 'gain' && plot.y === 'log' ? undefined : degenerateDomain(drawnYs(data), plot.y === 'log', data.kind === 'gain');
  if (yDomain) y.domain = yDomain;
  const spec = {
    document: options.document,
    width,
    height: baseHeight + head.height,
    marginTop: head.height + 6,
    marginLeft,
    marginRight: MARGIN_RIGHT,
    marginBottom: 38,
    className: options.className,
    style: { fontFamily: theme.fontFamily, fontSize: `${theme.fontSize}px`, color: theme.foreground, background: 'transparent', overflow: 'visible' },
    x: { ...x, labelAnchor: 'center', labelArrow: 'none' } as Plot.ScaleOptions,
    y: { ...y, labelArrow: 'none' } as Plot.ScaleOptions,
    ...(fx ? { fx: { ...fx, labelAnchor: 'center' } as Plot.ScaleOptions } : {}),
    color: { type: 'ordinal', domain, range, legend: false },
    marks,
  } as Plot.PlotOptions;
  let svg: SVGSVGElement;
  try {
    svg = Plot.plot(spec) as SVGSVGElement;
  } catch (e) {
    // never let one odd series take the whole figure down: say what went wrong, in the figure
    svg = Plot.plot({
      ...spec,
      x: undefined, y: undefined, fx: undefined, color: undefined,
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

/** Every y value a figure draws (points, seed spreads, theory lines, final means). */
function drawnYs(data: FigureData): number[] {
  const ys: number[] = [];
  for (const r of data.rows as { y: number; lo?: number; hi?: number }[]) {
    ys.push(r.y);
    if (r.lo != null) ys.push(r.lo, r.hi!);
  }
  if (data.kind === 'series') for (const r of data.theory) ys.push(r.y);
  if (data.kind === 'final') {
    for (const s of data.summary) ys.push(s.mean);
    for (const t of data.theory) ys.push(t.y);
  }
  return ys.filter(Number.isFinite);
}

/**
 * A y domain when the data's own would break the axis: all values equal, or a span so small
 * (denormals, 1e-320) that tick generation fails. Otherwise undefined (Plot's own, niced).
 */
export function degenerateDomain(ys: number[], log: boolean, withZero: boolean): [number, number] | undefined {
  if (!ys.length) return undefined;
  let lo = Infinity, hi = -Infinity;
  for (const v of ys) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (withZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (log) {
    return hi / lo < 1 + 1e-9 || lo < 1e-300 ? [Math.max(lo, 1e-300) / 2, Math.max(hi, 1e-300) * 2] : undefined;
  }
  const scale = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo > 1e-9 * scale && hi - lo > 1e-290) return undefined;
  const c = (lo + hi) / 2;
  const half = scale > 1e-290 ? Math.max(Math.abs(c) * 0.05, (hi - lo) / 2) : 1;
  return [c - half, c + half];
}

/**
 * The y domain of Gain bars on a log axis: from a decade below the smallest positive value (the
 * bars' common floor) to the next power of ten above the largest; undefined when nothing is
 * positive. A zero Gain (a coordinate the step never moved) has no bar there.
 */
export function gainLogDomain(ys: number[]): [number, number] | undefined {
  let lo = Infinity, hi = -Infinity;
  for (const v of ys) if (v > 0) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > 0)) return undefined;
  // 1/10^k, not 10^-k: the latter is not the nearest double to a power of ten (10 ** -4 ≠ 1e-4)
  const pow10 = (e: number) => (e < 0 ? 1 / 10 ** -e : 10 ** e);
  const e0 = Math.floor(Math.log10(lo)) - 1;
  return [pow10(e0), pow10(Math.max(Math.ceil(Math.log10(hi)), e0 + 2))];
}

/** Compact numbers for axes: 0.01 … 1000 plainly, beyond that 1e-5 / 2e6. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(+v.toPrecision(3));
  const e = Math.floor(Math.log10(a) + 1e-9);
  const m = +(v / 10 ** e).toPrecision(2);
  return m === 1 ? `1e${e}` : `${m}e${e}`;
}

/**
 * Log axes: over many decades, ticks (and grid lines) only at powers of ten — every 2nd or 3rd
 * when there are very many; over few decades, Plot's ticks with 1·, 2·, 5·10^k labelled.
 * (Plot's default SI labels, "200m", read badly for losses.)
 */
function logTicks(rows: { y: number; lo?: number; hi?: number }[]): { ticks?: number[]; tickFormat: (v: number) => string } {
  let lo = Infinity, hi = -Infinity;
  const see = (v: number | undefined) => { if (v != null && v > 0) { if (v < lo) lo = v; if (v > hi) hi = v; } };
  for (const r of rows) { see(r.y); see(r.lo); see(r.hi); }
  if (!(hi > 0)) return { tickFormat: formatTick };
  const decades = Math.log10(hi / lo);
  if (decades < 2.5) {
    return {
      tickFormat: (v: number) => {
        const m = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
        return m === 1 || m === 2 || m === 5 ? formatTick(v) : '';
      },
    };
  }
  const step = Math.max(1, Math.ceil(decades / 8));
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi) - 1e-9); e++) if (e % step === 0) ticks.push(10 ** e);
  return { ticks: ticks.filter((t) => t >= lo / 1.0001 && t <= hi * 1.0001), tickFormat: formatTick };
}

/** Plot draws the y-axis label horizontally above the axis; rotate it alongside the axis instead. */
function rotateYLabel(svg: SVGSVGElement, frameHeight: number, top: number) {
  const label = Array.from(svg.querySelectorAll('g[aria-label="y-axis label"] text'))[0];
  if (!label) return;
  const cy = top + 6 + (frameHeight - 38 - 6) / 2;
  label.setAttribute('transform', `translate(12,${cy}) rotate(-90)`);
  label.setAttribute('text-anchor', 'middle');
  label.removeAttribute('y');
  label.removeAttribute('x');
  label.setAttribute('dy', '0.32em');
  label.parentElement?.removeAttribute('transform');
  label.parentElement?.setAttribute('text-anchor', 'middle');
}

export type { FigureData as FigureRows };
