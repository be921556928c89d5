// What the user chose to see, beyond the data: the results table's sort, each figure's zoom,
// y scale and faceting, and the pinned revision. Saved with setState under `view` and read back
// after a reload (validated: the saved state is untrusted input like any message). Figures are
// keyed by their plot identity (plotId), not their index, so a choice follows its plot when the
// file gains or loses another plot above it.
import type { PlotSpec } from '../src/core/wire/results';
import { baseName } from '../src/core/figures';
import { readSort, type TableSort } from './resultsTable';
import { readPin, type Pin } from './pin';

export interface FigureView {
  /** zoomed x domain (brush), absent: the data's */
  x?: [number, number];
  /** zoomed y domain (a 2-d brush), absent: fitted to the data in the x domain */
  y?: [number, number];
  /** the user's y scale, absent: the plot's own */
  scale?: 'linear' | 'log';
  /** drawn as small multiples */
  facet?: boolean;
}

export interface ViewState {
  sort: TableSort | null;
  figures: Record<string, FigureView>;
  pin: Pin | null;
}

/** A plot's identity across revisions: what it draws (kind, metric, the definitions of its runs,
 *  axes), not its title nor a family's members, so a pin or a zoom outlives a changed sweep. */
export function plotId(p: PlotSpec): string {
  return JSON.stringify([p.kind, p.metric, [...new Set(p.runs.map(baseName))], p.x, p.of ?? null, p.top ?? null]);
}

const range = (v: unknown): [number, number] | undefined =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && v[0] < v[1] ? [v[0], v[1]] : undefined;

export function readViewState(raw: unknown): ViewState {
  const s = (typeof raw === 'object' && raw != null ? raw : {}) as Record<string, unknown>;
  const figures: Record<string, FigureView> = {};
  if (typeof s.figures === 'object' && s.figures != null) {
    for (const [k, v] of Object.entries(s.figures as Record<string, unknown>).slice(0, 200)) {
      if (typeof v !== 'object' || v == null) continue;
      const f = v as Record<string, unknown>;
      const out: FigureView = {};
      const x = range(f.x), y = range(f.y);
      if (x) out.x = x;
      if (y) out.y = y;
      if (f.scale === 'linear' || f.scale === 'log') out.scale = f.scale;
      if (f.facet === true) out.facet = true;
      if (Object.keys(out).length) figures[k] = out;
    }
  }
  return { sort: readSort(s.sort), figures, pin: readPin(s.pin) };
}

/** Sets or clears fields of a figure's view; an empty view is dropped. */
export function setFigureView(v: ViewState, id: string, patch: Partial<Record<keyof FigureView, unknown>>): void {
  const f: Record<string, unknown> = { ...(v.figures[id] ?? {}) };
  for (const [k, x] of Object.entries(patch)) {
    if (x === undefined || x === false) delete f[k];
    else f[k] = x;
  }
  if (Object.keys(f).length) v.figures[id] = f as FigureView;
  else delete v.figures[id];
}
