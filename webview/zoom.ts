// Zoom and y scale of a series figure: a brush (drag over the frame) zooms to the brushed x range
// (and y range, when the drag is tall enough), a double-click resets. The view is applied to the
// plot spec (xlim / ylim / y), so the figure code draws it as it draws a file's own limits. Pure
// parts (viewPlot, fitY, canLog) are unit-tested in test/webview/zoom.test.ts.
import type { FigureData } from '../src/core/figures';
import type { PlotSpec } from '../src/core/wire/results';
import { h } from './dom';
import type { FigureView } from './viewState';

/** The y extent of the rows (and their bands) inside the x range, padded 5 % (on a log axis in
 *  decades); undefined when no finite value falls inside. */
export function fitY(data: FigureData, x: [number, number], log: boolean): [number, number] | undefined {
  if (data.kind !== 'series') return undefined;
  let lo = Infinity, hi = -Infinity;
  const see = (v: number | undefined) => {
    if (v == null || !Number.isFinite(v) || (log && v <= 0)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const r of [...data.rows, ...data.theory]) {
    if (r.x < x[0] || r.x > x[1]) continue;
    see(r.y); see(r.lo); see(r.hi);
  }
  if (!(lo <= hi)) return undefined;
  if (log) {
    const a = Math.log10(lo), b = Math.log10(hi), pad = Math.max(0.05 * (b - a), 0.02);
    return [10 ** (a - pad), 10 ** (b + pad)];
  }
  const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(Math.abs(hi) * 0.05, 1e-12);
  return [lo - pad, hi + pad];
}

/** May the figure switch to a log y axis: every drawn value (bands and theory included) positive. */
export function canLog(data: FigureData): boolean {
  if (data.kind !== 'series' || !data.rows.length) return false;
  const pos = (v: number | undefined) => v == null || v > 0;
  return data.rows.every((r) => r.y > 0 && pos(r.lo) && pos(r.hi)) && data.theory.every((r) => r.y > 0);
}

/** The plot spec as the user views it: their y scale, and their zoom as xlim / ylim. Only the
 *  scale is needed to compute the rows; the y fit of an x zoom reads the rows (`data`). */
export function viewPlot(plot: PlotSpec, view: FigureView | undefined, data?: FigureData): PlotSpec {
  if (!view || plot.kind !== 'series') return plot;
  const out: PlotSpec = { ...plot };
  if (view.scale) out.y = view.scale;
  if (view.x) {
    out.xlim = view.x;
    const y = view.y ?? (data ? fitY(data, view.x, out.y === 'log') : undefined);
    if (y) out.ylim = y;
  } else if (view.y) out.ylim = view.y;
  // a zoom kept from the other scale may not fit this one (a negative bound on a log axis)
  if (out.y === 'log' && out.ylim && !(out.ylim[0] > 0)) delete out.ylim;
  return out;
}

/** Decimation columns for a zoomed figure: the frame's resolution over the visible x range
 *  (at most 20× the unzoomed count, so a deep zoom stays cheap). */
export function zoomBuckets(base: number, full: [number, number] | null, x: [number, number] | undefined): number {
  if (!x || !full || !(full[1] > full[0])) return base;
  const f = (full[1] - full[0]) / Math.max(x[1] - x[0], 1e-300);
  return Math.round(base * Math.min(20, Math.max(1, f)));
}

type Scale = { range?: number[]; invert?: (v: number) => number };
type PlotSvg = SVGSVGElement & { scale?: (name: string) => Scale | undefined };

/**
 * Brush and double-click on a figure holder (which stays while its figure is replaced). The
 * figure's own scales map pointer positions to data: Plot's `svg.scale('x').invert`.
 */
export function attachBrush(holder: HTMLElement, enabled: () => boolean, onZoom: (x: [number, number], y: [number, number] | null) => void, onReset: () => void): void {
  let start: { x: number; y: number; svg: PlotSvg; box: DOMRect; k: number; fx: number[]; fy: number[] } | null = null;
  const band = h('div', 'sg-brush');
  const local = (e: PointerEvent) => ({ x: (e.clientX - start!.box.left) * start!.k, y: (e.clientY - start!.box.top) * start!.k });
  const clamp = (v: number, r: number[]) => Math.max(Math.min(r[0]!, r[1]!), Math.min(Math.max(r[0]!, r[1]!), v));
  holder.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !enabled()) return;
    const svg = holder.querySelector<PlotSvg>(':scope > svg.sg-plot');
    const sx = svg?.scale?.('x'), sy = svg?.scale?.('y');
    if (!svg || !sx?.range || !sy?.range || !sx.invert || !sy.invert) return;
    const box = svg.getBoundingClientRect();
    const k = Number(svg.getAttribute('width')) / box.width || 1;
    start = { x: 0, y: 0, svg, box, k, fx: sx.range, fy: sy.range };
    const p = local(e);
    // only inside the frame: the header (legend, title) and the axes stay clickable
    if (p.x < Math.min(...sx.range) || p.x > Math.max(...sx.range) || p.y < Math.min(...sy.range) || p.y > Math.max(...sy.range)) {
      start = null;
      return;
    }
    start.x = p.x;
    start.y = p.y;
    // no pointer capture: a click (press and release in place) must still reach what is under
    // the pointer; the drag is followed on the window instead. preventDefault: no text selection
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    e.preventDefault();
  });
  const move = (e: PointerEvent) => {
    if (!start) return;
    const p = local(e);
    const x = clamp(p.x, start.fx), y = clamp(p.y, start.fy);
    const hb = holder.getBoundingClientRect();
    const ox = start.box.left - hb.left, oy = start.box.top - hb.top;
    // CSSOM writes: allowed by the page's CSP (no inline style attribute in the markup)
    band.style.left = `${ox + Math.min(start.x, x) / start.k}px`;
    band.style.top = `${oy + Math.min(start.y, y) / start.k}px`;
    band.style.width = `${Math.abs(x - start.x) / start.k}px`;
    band.style.height = `${Math.abs(y - start.y) / start.k}px`;
    if (!band.isConnected) holder.appendChild(band);
  };
  const end = (e: PointerEvent, apply: boolean) => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', cancel);
    if (!start) return;
    const s = start;
    start = null;
    band.remove();
    if (!apply) return;
    const p = { x: clamp((e.clientX - s.box.left) * s.k, s.fx), y: clamp((e.clientY - s.box.top) * s.k, s.fy) };
    if (Math.abs(p.x - s.x) < 5) return; // a click, not a drag
    const sx = s.svg.scale!('x')!, sy = s.svg.scale!('y')!;
    const xs = [sx.invert!(s.x), sx.invert!(p.x)].sort((a, b) => a - b) as [number, number];
    // a tall enough drag zooms y too; a flat one only x (y is then fitted to what is visible)
    const ys = Math.abs(p.y - s.y) >= 20 ? ([sy.invert!(s.y), sy.invert!(p.y)].sort((a, b) => a - b) as [number, number]) : null;
    if (xs[1] > xs[0]) onZoom(xs, ys && ys[1] > ys[0] ? ys : null);
  };
  const up = (e: PointerEvent) => end(e, true);
  const cancel = (e: PointerEvent) => end(e, false);
  holder.addEventListener('dblclick', (e) => {
    if (!enabled()) return;
    e.preventDefault();
    onReset();
  });
}
