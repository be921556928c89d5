// Ghost lines: curves of an earlier revision the user pinned (the preview's "Pin this revision"),
// drawn thin and faded under the current ones, each run's labelled at its end ("pinned rev 3").
import * as Plot from '@observablehq/plot';

export interface GhostLine {
  /** the run (or seed-group) key: the ghost takes the run's colour */
  run: string;
  /** the polyline it was (SeriesRow.line) */
  line: string;
  metric: string;
  x: number[];
  /** null: a gap (a non-finite value) */
  y: (number | null)[];
}

export interface Ghosts {
  label: string;
  lines: GhostLine[];
}

/** Marks of the ghosts; on a log axis non-positive values are gaps. `clip` keeps them in a zoomed frame. */
export function ghostMarks(g: Ghosts, color: (run: string) => string, opts: { log: boolean; fontSize: number; background: string; clip?: boolean }): { marks: Plot.Markish[]; ys: number[] } {
  const marks: Plot.Markish[] = [];
  const ys: number[] = [];
  const ends: { x: number; y: number; run: string; text: string }[] = [];
  const labelled = new Set<string>();
  for (const l of g.lines) {
    const n = Math.min(l.x.length, l.y.length);
    const x = new Float64Array(n), y = new Float64Array(n);
    let last = -1;
    for (let i = 0; i < n; i++) {
      const v = l.y[i];
      x[i] = l.x[i]!;
      y[i] = v == null || !Number.isFinite(v) || (opts.log && v <= 0) ? NaN : v;
      if (!Number.isNaN(y[i]!)) { ys.push(y[i]!); last = i; }
    }
    if (last < 0) continue;
    marks.push(Plot.line({ length: n }, {
      ariaDescription: 'pinned', x, y, stroke: color(l.run), strokeWidth: 1, strokeOpacity: 0.35, strokeDasharray: '1 2', curve: 'linear', clip: opts.clip,
    }));
    if (!labelled.has(l.run)) {
      labelled.add(l.run);
      ends.push({ x: x[last]!, y: y[last]!, run: l.run, text: g.label });
    }
  }
  // one mark per label: a constant fill is a colour, a channel would go through the colour scale
  for (const e of ends) {
    marks.push(Plot.text([e], {
      ariaDescription: 'pinned label', x: 'x', y: 'y', text: 'text', fill: color(e.run), fillOpacity: 0.6,
      textAnchor: 'end', dx: -4, dy: 10, fontSize: opts.fontSize - 1, stroke: opts.background, strokeWidth: 3, paintOrder: 'stroke', clip: opts.clip,
    } as Plot.TextOptions));
  }
  return { marks, ys };
}
