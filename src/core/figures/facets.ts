// Small multiples for a crowded series figure: one small panel per run (a family's members) or,
// for a single run with many components (neurons, singular values), per component, in a grid
// (Plot's fx/fy facets, shared x and y scales). Offered only where lines are many and not
// already summarised by a band (a family over seeds, a per-unit mean).
import * as Plot from '@observablehq/plot';
import { DRAWN_ALONGSIDE as ALONGSIDE } from '../resolve/metrics';
import { polylines, type SeriesData, type SeriesRow } from './series';
import { logTicks, type KindMarks, type MarkContext } from './frame';

/** More lines than this of the plotted metric make a figure crowded. */
export const CROWDED = 8;

/** Does the figure draw more than CROWDED runs, or more than CROWDED components (neurons,
 *  coordinates) of one run, of its metric — none of them a mean with a band? */
export function crowded(data: SeriesData, metric: string): boolean {
  if (data.rows.some((r) => r.n != null && r.n > 1)) return false;
  const perRun = new Map<string, Set<string>>();
  for (const r of data.rows) {
    if (r.metric !== metric || r.stale) continue;
    let s = perRun.get(r.run);
    if (!s) perRun.set(r.run, (s = new Set()));
    s.add(r.line);
  }
  return perRun.size > CROWDED || [...perRun.values()].some((s) => s.size > CROWDED);
}

export interface Panel {
  key: string;
  label: string;
  fx: number;
  fy: number;
}

/** The panel of each row: by run when several runs are drawn, else by component; a grid `cols` wide. */
export function facetPanels(data: SeriesData, cols: number): { panelOf: (r: SeriesRow) => Panel | undefined; panels: Panel[] } {
  const runs = new Set(data.rows.map((r) => r.run));
  const byRun = runs.size > 1;
  const keyOf = (r: SeriesRow) => (byRun ? r.run : r.component == null ? r.run : `#${r.component + 1}`);
  const panels = new Map<string, Panel>();
  for (const r of data.rows) {
    const key = keyOf(r);
    if (panels.has(key)) continue;
    const i = panels.size;
    panels.set(key, { key, label: key, fx: i % cols, fy: Math.floor(i / cols) });
  }
  return { panelOf: (r) => panels.get(keyOf(r)), panels: [...panels.values()] };
}


/** The faceted marks; `height` is the frame's height the grid needs. */
export function facetMarks(data: SeriesData, ctx: MarkContext): KindMarks & { fy: Plot.ScaleOptions; height: number } {
  const inner = ctx.width - ctx.marginLeft - 20;
  const count = new Set(data.rows.map((r) => r.run)).size > 1 ? new Set(data.rows.map((r) => r.run)).size : new Set(data.rows.map((r) => r.component)).size;
  const cols = Math.max(1, Math.min(count, Math.floor(inner / 150)));
  const { panelOf, panels } = facetPanels(data, cols);
  const marks: Plot.Markish[] = [];
  for (const { pts, n, x, y } of polylines(data.rows)) {
    const p = panelOf(pts[0]!);
    if (!p) continue;
    const stale = pts[0]!.stale;
    marks.push(Plot.line({ length: n }, {
      ariaDescription: stale ? 'stale runs (older revision)' : 'runs', x, y,
      fx: new Array(n).fill(p.fx), fy: new Array(n).fill(p.fy),
      stroke: ctx.color(pts[0]!.run), strokeWidth: stale ? 1 : 1.3, strokeOpacity: stale ? 0.4 : 1,
      strokeDasharray: stale ? '2 3' : ALONGSIDE.has(pts[0]!.metric) ? '5 3' : undefined, curve: 'linear',
    } as Plot.LineOptions));
  }
  // a run's theory line in its own panel (by-run panels only: a component panel holds no run's whole)
  const th = data.theory.map((t) => ({ ...t, p: panelOf({ ...t, component: null }) })).filter((t) => t.p && t.p.key === t.run);
  if (th.length) {
    marks.push(Plot.line(th, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'line', fx: (t: { p: Panel }) => t.p.fx, fy: (t: { p: Panel }) => t.p.fy, stroke: ctx.theme.foreground, strokeWidth: 0.8, strokeOpacity: 0.6, strokeDasharray: '7 4' } as Plot.LineOptions));
  }
  marks.push(Plot.frame({ stroke: ctx.theme.muted, strokeOpacity: 0.35 }));
  marks.push(Plot.text(panels, {
    ariaDescription: 'panel', fx: 'fx', fy: 'fy', text: 'label', frameAnchor: 'top-left', dx: 4, dy: 4,
    fill: ctx.theme.foreground, fontSize: ctx.theme.fontSize - 2, stroke: ctx.theme.background, strokeWidth: 3, paintOrder: 'stroke', lineWidth: 14,
  } as Plot.TextOptions));
  const rows = Math.ceil(panels.length / cols);
  return {
    marks, legend: [], floating: [], ys: [...data.rows.map((r) => r.y), ...th.map((t) => t.y)],
    fx: { axis: null, padding: 0.06 }, fy: { axis: null, padding: 0.1 },
    x: { ticks: Math.max(2, Math.floor(inner / cols / 60)) },
    y: ctx.plot.y === 'log' ? logTicks(data.rows) : {},
    height: Math.max(140, rows * 110 + 40),
  };
}
