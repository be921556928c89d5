// What every figure's frame shares: the in-SVG title and legend, number and tick formats, the
// y domain guard, the rotated y label. Each plot kind (series.ts, final.ts, gain.ts) returns its
// marks and scale options as KindMarks; index.ts assembles them into one Plot figure.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc } from '../results';
import type { RunNote } from './runs';
import type { FigureTheme } from './theme';

export interface LegendItem {
  label: string;
  color: string;
  glyph: string;
}

/** What a plot kind's marks need to know of the figure. */
export interface MarkContext {
  doc: ResultsDoc;
  plot: PlotSpec;
  theme: FigureTheme;
  /** legend key → colour */
  color: (key: string) => string;
  tips: boolean;
  width: number;
  marginLeft: number;
  domain: string[];
  hidden: Set<string>;
  /** the run notes, coloured */
  notes: (RunNote & { color: string })[];
}

/** A plot kind's contribution to its figure. */
export interface KindMarks {
  marks: Plot.Markish[];
  legend: LegendItem[];
  /** notes without a point to attach to: listed in the header */
  floating: (RunNote & { color: string })[];
  x?: Plot.ScaleOptions;
  y?: Plot.ScaleOptions;
  fx?: Plot.ScaleOptions;
  /** every drawn y value, for the degenerate-domain guard */
  ys: number[];
  /** the y domain must include 0 (bars) */
  withZero?: boolean;
  /** a y domain the kind fixes itself (a series with a diverged run: figures/domain.ts) */
  yDomain?: [number, number];
}

export const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4)));

/** Rough text width for the in-SVG legend layout (no DOM measurement in Node). */
const textWidth = (s: string, size: number) => s.length * size * 0.58;

export const MARGIN_LEFT = 64;
export const MARGIN_RIGHT = 20;

/** Decimation columns for a figure `width` px wide: one per 3 px of its frame (DataOptions.buckets):
 *  ≤ 2 points per 3 px per line, a polyline within 3 px of the full one, extremes kept. */
export function figureBuckets(width: number): number {
  return Math.max(20, Math.floor((Math.max(240, Math.round(width)) - MARGIN_LEFT - MARGIN_RIGHT) / 3));
}

/** Title and legend in the top margin, as plain text marks (they survive resvg). */
export function header(
  items: LegendItem[],
  title: string | null,
  width: number,
  theme: FigureTheme,
  marginLeft: number,
  notes: { text: string; color: string }[],
): { marks: Plot.Markish[]; height: number } {
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
export function logTicks(rows: { y: number; lo?: number; hi?: number }[]): { ticks?: number[]; tickFormat: (v: number) => string } {
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
export function rotateYLabel(svg: SVGSVGElement, frameHeight: number, top: number) {
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

