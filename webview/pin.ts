// "Pin this revision": the curves the series figures draw now, kept in the page's state and
// drawn as ghost lines (thin, faded, "pinned rev N") in the figures with the same plot identity
// once a later revision is shown. Pure (unit-tested in test/webview/pin.test.ts): what is kept,
// bounded in size, and which ghosts a figure draws.
import { minMaxKeep, type FigureData } from '../src/core/figures';
import type { GhostLine, Ghosts } from '../src/core/figures/ghosts';

/** Bounds on a pin, so the saved state stays small whatever the file draws. */
export const PIN_LIMITS = { plots: 16, linesPerPlot: 24, buckets: 80 };

export interface Pin {
  /** the server's revision pinned (ghosts are drawn in other revisions only) */
  revision: number;
  /** the page's revision count at the time ("pinned rev N") */
  shown: number;
  /** per plot identity (viewState.ts plotId): its drawn lines, decimated */
  plots: Record<string, GhostLine[]>;
}

/**
 * The lines of a series figure worth pinning: its current (not stale) data lines, the plotted
 * metric and what is drawn alongside it, decimated to PIN_LIMITS.buckets columns (min–max:
 * ≤ 2·buckets + 2 points a line, extremes kept); a gap (non-finite value) stays a gap (null).
 */
export function pinLines(data: FigureData, limits = PIN_LIMITS): GhostLine[] {
  if (data.kind !== 'series') return [];
  const byLine = new Map<string, { run: string; metric: string; pts: { x: number; y: number; gap: boolean }[] }>();
  let x0 = Infinity, x1 = -Infinity;
  for (const r of data.rows) {
    if (r.stale) continue;
    let l = byLine.get(r.line);
    if (!l) {
      if (byLine.size >= limits.linesPerPlot) continue;
      byLine.set(r.line, (l = { run: r.run, metric: r.metric, pts: [] }));
    }
    l.pts.push({ x: r.x, y: r.y, gap: !!r.gap });
    if (r.x < x0) x0 = r.x;
    if (r.x > x1) x1 = r.x;
  }
  const out: GhostLine[] = [];
  for (const [line, l] of byLine) {
    const keep = l.pts.length <= 2 * limits.buckets + 2 ? l.pts.map((_, j) => j) : minMaxKeep(l.pts.length, (j) => l.pts[j]!.x, (j) => l.pts[j]!.y, x0, x1, limits.buckets);
    const x: number[] = [], y: (number | null)[] = [];
    keep.forEach((j, i) => {
      const p = l.pts[j]!;
      // a gap before this point (or one decimated away between two kept points) breaks the line
      if (i > 0 && (p.gap || l.pts.slice(keep[i - 1]! + 1, j + 1).some((q) => q.gap))) { x.push(p.x); y.push(null); }
      x.push(p.x);
      y.push(p.y);
    });
    out.push({ run: l.run, line, metric: l.metric, x, y });
  }
  return out;
}

/** A pin of the figures drawn now: their data by plot identity (figures without lines left out). */
export function makePin(revision: number, shown: number, figures: { id: string; data: FigureData }[], limits = PIN_LIMITS): Pin {
  const plots: Record<string, GhostLine[]> = {};
  for (const f of figures) {
    if (Object.keys(plots).length >= limits.plots) break;
    if (f.id in plots) continue;
    const lines = pinLines(f.data, limits);
    if (lines.length) plots[f.id] = lines;
  }
  return { revision, shown, plots };
}

/** The ghosts figure `id` draws in revision `revision`: none in the pinned revision itself. */
export function ghostsFor(pin: Pin | null, id: string, revision: number, hidden: ReadonlySet<string> = new Set()): Ghosts | undefined {
  if (!pin || pin.revision === revision) return undefined;
  const lines = pin.plots[id]?.filter((l) => !hidden.has(l.run));
  return lines?.length ? { label: `pinned rev ${pin.shown}`, lines } : undefined;
}

const nums = (v: unknown, nulls: boolean): v is (number | null)[] => Array.isArray(v) && v.every((x) => (typeof x === 'number' && Number.isFinite(x)) || (nulls && x === null));

/** A saved pin, validated (and held to the limits), or null. */
export function readPin(v: unknown, limits = PIN_LIMITS): Pin | null {
  if (typeof v !== 'object' || v == null) return null;
  const p = v as Record<string, unknown>;
  if (!Number.isInteger(p.revision) || !Number.isInteger(p.shown) || typeof p.plots !== 'object' || p.plots == null) return null;
  const plots: Record<string, GhostLine[]> = {};
  for (const [id, ls] of Object.entries(p.plots as Record<string, unknown>).slice(0, limits.plots)) {
    if (!Array.isArray(ls)) continue;
    const ok = ls.slice(0, limits.linesPerPlot).filter((l): l is GhostLine => {
      const g = l as Record<string, unknown>;
      return typeof g === 'object' && g != null && typeof g.run === 'string' && typeof g.line === 'string' && typeof g.metric === 'string'
        && nums(g.x, false) && nums(g.y, true) && (g.x as unknown[]).length === (g.y as unknown[]).length && (g.x as unknown[]).length <= 4 * limits.buckets + 8;
    });
    if (ok.length) plots[id] = ok;
  }
  return { revision: p.revision as number, shown: p.shown as number, plots };
}
