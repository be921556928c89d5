// Time series (`plot loss(…)`, `plot logdet(…)`, …): one line per run and component against step
// or time; a family over seeds as its mean with a min–max band; the metric's theory line.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc } from '../results';
import { DRAWN_ALONGSIDE as ALONGSIDE, seriesOf, VECTOR_METRICS } from '../resolve/metrics';
import { decimate, minMaxKeep } from './decimate';
import { finite, groupKey, mean, metricLabel, noteText, seeded, toCsv, valuesOf, type DataOptions, type RunNote } from './runs';
import { fmt, logTicks, type MarkContext, type KindMarks } from './frame';
import { containedYDomain } from './domain';

/** One point of a drawn line. `line` identifies the polyline (run, metric, component). */
export interface SeriesRow {
  /** run key as in doc.runs, or a seed-group key (see `groupKey`) for a mean line */
  run: string;
  line: string;
  metric: string;
  /** index inside a vector metric (singular value i, neuron i), null for scalars */
  component: number | null;
  step: number;
  time: number;
  x: number;
  y: number;
  /** the line is broken before this point (non-finite or, on a log axis, non-positive values) */
  gap?: boolean;
  /** only for mean rows (over seeds, or over the units of a per-unit vector such as alignment):
   *  the spread (min and max) and how many values were averaged */
  lo?: number;
  hi?: number;
  n?: number;
  stale: boolean;
}

export interface SeriesData {
  kind: 'series';
  xLabel: string;
  yLabel: string;
  rows: SeriesRow[];
  theory: SeriesRow[];
  /** the theory line's name in legends (the metric's entry) */
  theoryLabel: string;
  notes: RunNote[];
  runs: string[];
}

export function seriesData(doc: ResultsDoc, plot: PlotSpec, keys: string[], opts: DataOptions): SeriesData {
  const hidden = new Set(opts.hidden ?? []);
  const staleSet = new Set(opts.stale ?? []);
  const useTime = plot.x === 'time';
  const logY = plot.y === 'log';
  const entry = seriesOf(plot.metric, plot.of)?.series;
  const rows: SeriesRow[] = [];
  const theory: SeriesRow[] = [];
  const notes: RunNote[] = [];
  // Per-run rows first; seed groups (members differing only in seed) are averaged afterwards.
  const perRun = new Map<string, SeriesRow[]>();
  const buckets = opts.buckets ?? 0;
  let x0 = Infinity, x1 = -Infinity;
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const r = doc.runs[key]!;
    const xs = useTime ? r.time ?? r.step : r.step;
    if (xs?.length) { x0 = Math.min(x0, xs[0]!); x1 = Math.max(x1, xs[xs.length - 1]!); }
    const g = groupKey(key, r);
    groups.set(g, [...(groups.get(g) ?? []), key]);
  }
  const averaged = (members: string[]) => members.length > 1 && members.some((k) => seeded(doc.runs[k]!));
  const inGroup = new Set([...groups.values()].filter(averaged).flat());
  for (const key of keys) {
    const run = doc.runs[key]!;
    const stale = staleSet.has(key) || run.status === 'stale';
    const mine: SeriesRow[] = [];
    const n = run.step?.length ?? 0;
    const xs = useTime ? run.time ?? run.step : run.step;
    // members of a family over seeds are averaged step by step first: decimate only their mean
    const thin = buckets > 0 && !inGroup.has(key);
    // the metric, and what its entry draws alongside (loss: test_loss, dashed)
    for (const metric of [plot.metric, ...(entry?.with ?? [])]) {
      const s = valuesOf(run, plot, metric);
      if (!s) continue;
      const vector = VECTOR_METRICS.has(metric);
      const m = Math.min(n, s.length);
      let ncomp = 1;
      if (vector) {
        ncomp = 0;
        for (let i = 0; i < m; i++) ncomp = Math.max(ncomp, (s[i] as unknown[] | null)?.length ?? 0);
        if (plot.top != null) ncomp = Math.min(ncomp, plot.top);
      }
      // a per-unit vector (alignment: one cosine per neuron) is summarised step by step: the mean
      // over its units with their min–max band, one line per run instead of one per unit
      const spread = vector && metric === plot.metric && entry?.spread != null && ncomp > 1;
      const lines = spread ? 1 : ncomp;
      for (let c = 0; c < lines; c++) {
        const line = spread ? `${key}|${metric}|mean` : vector ? `${key}|${metric}|${c}` : `${key}|${metric}`;
        // indices of drawable values: non-finite (diverged) and, on a log axis, non-positive
        // values are gaps, never points
        const idx = new Int32Array(m);
        const ys = new Float64Array(m);
        const los = spread ? new Float64Array(m) : undefined;
        const his = spread ? new Float64Array(m) : undefined;
        const ns = spread ? new Int32Array(m) : undefined;
        let k = 0;
        for (let i = 0; i < m; i++) {
          if (spread) {
            const units = ((s[i] as (number | null)[] | null) ?? []).filter((v): v is number => finite(v) && !(logY && v <= 0));
            if (!units.length) continue;
            idx[k] = i;
            los![k] = Math.min(...units);
            his![k] = Math.max(...units);
            ns![k] = units.length;
            ys[k++] = mean(units, logY);
            continue;
          }
          const v = vector ? (s[i] as (number | null)[] | null)?.[c] : (s[i] as number | null);
          if (!finite(v) || (logY && v <= 0)) continue;
          idx[k] = i;
          ys[k++] = v;
        }
        // a skipped value between two drawable ones breaks the line there (`gap` on the next row)
        const gapAt = (j: number) => j > 0 && idx[j]! - idx[j - 1]! > 1;
        const push = (j: number) => {
          const i = idx[j]!;
          const step = run.step[i]!;
          const time = run.time?.[i] ?? step;
          const row: SeriesRow = { run: key, line, metric, component: vector && !spread ? c : null, step, time, x: useTime ? time : step, y: ys[j]!, stale };
          if (spread) { row.lo = los![j]; row.hi = his![j]; row.n = ns![j]; }
          if (gapAt(j)) row.gap = true;
          mine.push(row);
        };
        if (!thin || k <= buckets) {
          for (let j = 0; j < k; j++) push(j);
        } else {
          const keep = minMaxKeep(k, (j) => xs[idx[j]!]!, (j) => ys[j]!, x0, x1, buckets);
          // both ends of every gap survive decimation, so the break stays where it is
          const ends: number[] = [];
          for (let j = 1; j < k; j++) if (gapAt(j)) ends.push(j - 1, j);
          const all = ends.length ? [...new Set([...keep, ...ends])].sort((a, b) => a - b) : keep;
          for (const j of all) push(j);
        }
      }
    }
    perRun.set(key, mine);
    // The theory line of the metric's entry (logdet: Theorem 4.2, theory.md): a straight line
    // from the run's first recorded value with the per-step slope the core attaches, drawn
    // through the first and last recorded steps.
    const rate = entry?.theoryRate ? run.theory?.[entry.theoryRate] : undefined;
    // under a stepsize schedule the line bends: rate per unit of Σ_{u<t} η_u², drawn through every record
    const rateSq = entry?.theoryRateSq ? run.theory?.[entry.theoryRateSq] : undefined;
    const sq = run.metrics.lr_sq_sum as number[] | undefined;
    if (plot.theory && !finite(rate) && finite(rateSq) && sq) {
      const pts = mine.filter((r) => r.metric === plot.metric);
      if (pts.length) {
        const a = pts[0]!;
        const i0 = run.step.indexOf(a.step);
        for (let i = Math.max(0, i0); i < n; i++) {
          const step = run.step[i]!, time = run.time?.[i] ?? step;
          if (finite(sq[i]) && finite(sq[i0])) theory.push({ run: key, line: `${key}|theory`, metric: plot.metric, component: null, step, time, x: useTime ? time : step, y: a.y + rateSq * (sq[i]! - sq[i0]!), stale });
        }
      }
    }
    if (plot.theory && finite(rate)) {
      const pts = mine.filter((r) => r.metric === plot.metric);
      if (pts.length) {
        const a = pts[0]!;
        const last = run.step[n - 1] ?? a.step;
        const lastTime = run.time?.[n - 1] ?? last;
        for (const [step, time] of [[a.step, a.time], [last, lastTime]] as const) {
          theory.push({ run: key, line: `${key}|theory`, metric: plot.metric, component: null, step, time, x: useTime ? time : step, y: a.y + rate * (step - a.step), stale });
        }
      }
    }
    const label = opts.labels?.get(key);
    const text = label ? `${key}: ${label}` : noteText(key, run, stale);
    if (text) {
      const main = mine.filter((r) => r.metric === plot.metric && (r.component ?? 0) === 0);
      const end = main[main.length - 1] ?? mine[mine.length - 1];
      // a labelled (kept) curve is no failure of its own: no cross at its end
      const status = label ? (run.status === 'cancelled' ? 'cancelled' : 'stale') : stale ? 'stale' : run.status;
      notes.push({ run: key, text, x: end?.x ?? null, y: end?.y ?? null, status });
    }
  }
  // Families over seeds: members that differ only in seed are drawn as mean and spread.
  const drawn: string[] = [];
  for (const [g, members] of groups) {
    const visible = members.filter((k) => !hidden.has(k));
    if (!averaged(members)) {
      for (const k of visible) rows.push(...perRun.get(k)!);
      drawn.push(...members);
      continue;
    }
    drawn.push(g);
    if (hidden.has(g) || !visible.length) continue;
    const acc = new Map<string, { base: SeriesRow; ys: number[]; lo: number; hi: number; n: number }>();
    for (const k of visible) {
      for (const r of perRun.get(k)!) {
        const id = `${r.metric}|${r.component}|${r.step}`;
        const e = acc.get(id);
        // a member's own band (its units' spread) widens the group's: the band spans every unit of every seed
        const lo = r.lo ?? r.y, hi = r.hi ?? r.y, n = r.n ?? 1;
        if (e) { e.ys.push(r.y); e.lo = Math.min(e.lo, lo); e.hi = Math.max(e.hi, hi); e.n += n; }
        else acc.set(id, { base: r, ys: [r.y], lo, hi, n });
      }
    }
    const means: SeriesRow[] = [];
    for (const { base, ys, lo, hi, n } of acc.values()) {
      // the mean of log-scale quantities is taken on the log (geometric mean) so it sits inside the band
      means.push({
        ...base, run: g, line: `${g}|${base.metric}|${base.component ?? ''}`, y: mean(ys, logY), lo, hi, n,
        stale: visible.some((k) => perRun.get(k)![0]?.stale),
      });
    }
    rows.push(...(buckets > 0 ? decimate(means, x0, x1, buckets) : means));
    for (const t of theory.filter((r) => members.includes(r.run))) t.run = g;
  }
  return {
    kind: 'series',
    xLabel: useTime ? 'time (step · lr)' : 'step',
    yLabel: metricLabel(plot.metric, keys.map((k) => doc.runs[k]!), plot.of),
    rows,
    // one theory line per drawn group: drop duplicates coming from several seed members
    theory: theory.filter((t, i) => !hidden.has(t.run) && theory.findIndex((u) => u.run === t.run && u.step === t.step) === i),
    theoryLabel: entry?.theoryLabel ?? 'theory',
    notes: notes.filter((n) => !hidden.has(n.run)),
    runs: drawn,
  };
}

/** The rows of each polyline (by `line`) as columns x, y of length n, a NaN before each `gap` row
 *  (Plot draws only the defined runs of a line, so the NaN breaks it there). */
export function polylines(rows: SeriesRow[]): { pts: SeriesRow[]; n: number; x: Float64Array; y: Float64Array }[] {
  const byLine = new Map<string, SeriesRow[]>();
  for (const r of rows) {
    const a = byLine.get(r.line);
    if (a) a.push(r);
    else byLine.set(r.line, [r]);
  }
  return [...byLine.values()].map((pts) => {
    let n = pts.length;
    for (const p of pts) if (p.gap) n++;
    const x = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0, o = 0; i < pts.length; i++) {
      if (pts[i]!.gap) { x[o] = pts[i]!.x; y[o++] = NaN; }
      x[o] = pts[i]!.x;
      y[o++] = pts[i]!.y;
    }
    return { pts, n, x, y };
  });
}

/**
 * One Plot line mark per polyline, with columnar x/y (Float64Array) and a constant stroke: Plot
 * then neither calls accessors per point nor maps a colour scale per point nor groups by z —
 * the per-point work that dominated profiles of one mark over row objects.
 */
function lineMarks(rows: SeriesRow[], color: (run: string) => string, opts: { dash?: string; opacity?: number; width?: number; description: string; clip?: boolean }): Plot.Markish[] {
  const lines = polylines(rows);
  const marks: Plot.Markish[] = [];
  // many lines per run (20 neurons' alignment): thinner, so the bundle stays readable
  const perRun = new Map<string, number>();
  for (const { pts } of lines) perRun.set(pts[0]!.run, (perRun.get(pts[0]!.run) ?? 0) + 1);
  for (const { pts, n, x, y } of lines) {
    const many = perRun.get(pts[0]!.run)! > 6;
    marks.push(Plot.line({ length: n }, {
      ariaDescription: opts.description,
      x, y, stroke: color(pts[0]!.run),
      strokeWidth: opts.width ?? (many ? 1 : 1.6), strokeOpacity: opts.opacity ?? (many ? 0.75 : 1),
      strokeDasharray: opts.dash, curve: 'linear', clip: opts.clip,
    }));
  }
  return marks;
}


export function seriesMarks(data: SeriesData, ctx: MarkContext): KindMarks {
  const { plot, theme, color } = ctx;
  const marks: Plot.Markish[] = [];
  const legend: KindMarks['legend'] = [];
  // a diverged run does not stretch the y axis: the domain fits the healthy runs, the diverged
  // curve is clipped at the frame with a marker where it leaves (figures/domain.ts)
  const contained = containedYDomain(ctx.doc, plot.metric, data.rows, data.theory, plot.y === 'log');
  const clip = contained ? true : undefined;
  // the extent the frame shows: the contained domain, else the drawn rows
  const extent = contained ? contained.domain.map((v) => ({ y: v })) : data.rows;
  const outside = (n: RunNote) =>
    contained != null && n.status === 'diverged' && n.y != null && (n.y > contained.domain[1] || n.y < contained.domain[0]) && contained.markers.some((m) => m.run === n.run);
  const notes = [...ctx.notes.filter((n) => !outside(n)), ...(contained?.markers ?? []).map((m) => ({ ...m, color: color(m.run) }))];
  const y = plot.y === 'log' ? logTicks(extent) : {};
  // Drawn at the screen's resolution: rows are already decimated to the frame (DataOptions.buckets);
  // tips snap to the drawn points. CSV exports keep every recorded point (figureCsv).
  let x0 = Infinity, x1 = -Infinity;
  for (const r of data.rows) { if (r.x < x0) x0 = r.x; if (r.x > x1) x1 = r.x; }
  const fresh = data.rows.filter((r) => !r.stale);
  const stale = data.rows.filter((r) => r.stale);
  const bands = fresh.filter((r) => r.n != null && r.n > 1);
  if (bands.length) marks.push(Plot.areaY(bands, { x: 'x', y1: 'lo', y2: 'hi', z: 'line', fill: 'run', fillOpacity: 0.18, clip }));
  // what a metric's entry draws alongside (loss: test_loss) is dashed, also when plotted alone
  marks.push(...lineMarks(fresh.filter((r) => !ALONGSIDE.has(r.metric)), color, { description: 'runs', clip }));
  for (const also of ALONGSIDE) {
    const rows = fresh.filter((r) => r.metric === also);
    if (!rows.length) continue;
    const label = metricLabel(also);
    marks.push(...lineMarks(rows, color, { dash: '5 3', description: label, clip }));
    legend.push({ label, color: theme.muted, glyph: '╍╍' });
  }
  if (stale.length) marks.push(...lineMarks(stale, color, { dash: '2 3', opacity: 0.4, width: 1.2, description: 'stale runs (older revision)', clip }));
  if (data.theory.length) {
    // a stale run's prediction is as old as its curve: faded with it
    for (const old of [false, true]) {
      const th = data.theory.filter((r) => r.stale === old);
      if (!th.length) continue;
      const o = old ? 0.4 : 1;
      marks.push(Plot.line(th, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'line', stroke: 'run', strokeWidth: 1.4, strokeDasharray: '7 4', strokeOpacity: 0.9 * o, clip }));
      marks.push(Plot.line(th, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'line', stroke: theme.foreground, strokeWidth: 0.7, strokeOpacity: 0.5 * o, clip }));
    }
    legend.push({ label: data.theoryLabel, color: theme.muted, glyph: '╌╌' });
  }
  const attached = notes.filter((n) => n.x != null && n.y != null);
  if (attached.length) {
    const crosses = attached.filter((n) => n.status === 'diverged' || n.status === 'error');
    if (crosses.length) marks.push(Plot.dot(crosses, { x: 'x', y: 'y', stroke: 'run', symbol: 'times', r: 4, strokeWidth: 2 }));
    // Place each message where it fits: left of its point in the right part of the frame,
    // below the point near the top (the frame's extent is known from the drawn rows).
    const v = (y: number) => (plot.y === 'log' ? Math.log(y) : y);
    let y0 = Infinity, y1 = -Infinity;
    for (const r of extent) { if (v(r.y) < y0) y0 = v(r.y); if (v(r.y) > y1) y1 = v(r.y); }
    const frac = (t: number, a: number, b: number) => (b > a ? (t - a) / (b - a) : 0.5);
    for (const right of [false, true]) {
      for (const top of [false, true]) {
        const sel = attached.filter((n) => (frac(n.x!, x0, x1) > 0.55) === right && (frac(v(n.y!), y0, y1) > 0.8) === top);
        if (!sel.length) continue;
        marks.push(Plot.text(sel, {
          x: 'x', y: 'y', text: 'text', fill: 'run', textAnchor: right ? 'end' : 'start', dx: right ? -8 : 8, dy: top ? 14 : -10,
          stroke: theme.background, strokeWidth: 3, paintOrder: 'stroke', fontSize: theme.fontSize, lineWidth: 40,
        }));
      }
    }
  }
  if (ctx.tips && data.rows.length) {
    // channels, not a `title` function: Plot formats a tip only when it is shown, whereas a
    // title would be formatted for every point at every render
    const seeds = data.rows.some((r) => r.n != null);
    marks.push(Plot.tip(data.rows, Plot.pointer({
      x: 'x', y: 'y', stroke: 'run',
      channels: {
        run: { value: 'run', label: '' },
        ...(data.rows.some((r) => r.component != null) ? { component: { value: (r: SeriesRow) => (r.component == null ? null : r.component + 1), label: '#' } } : {}),
        ...(plot.x === 'time' ? { step: { value: 'step', label: 'step' } } : {}),
        ...(seeds ? { n: { value: 'n', label: seriesOf(plot.metric, plot.of)?.series.spread ?? 'seeds' }, lo: { value: 'lo', label: 'min' }, hi: { value: 'hi', label: 'max' } } : {}),
      },
      format: { run: true, stroke: false, x: (v: number) => fmt(v), y: (v: number) => fmt(v), lo: (v: number) => fmt(v), hi: (v: number) => fmt(v) },
    } as Plot.TipOptions)));
  }
  return { marks, legend, floating: notes.filter((n) => n.x == null || n.y == null), y, yDomain: contained?.domain, ys: [...data.rows.flatMap((r) => (r.lo != null ? [r.y, r.lo, r.hi!] : [r.y])), ...data.theory.map((r) => r.y)] };
}

export function seriesCsv(d: SeriesData): string {
  const body = [
    ...d.rows.map((r) => [r.run, r.n != null ? 'mean' : 'data', r.metric, r.component, r.step, r.time, r.y, r.lo, r.hi, r.n]),
    ...d.theory.map((r) => [r.run, 'theory', r.metric, r.component, r.step, r.time, r.y, null, null, null]),
  ];
  return toCsv(['run', 'kind', 'metric', 'component', 'step', 'time', 'value', 'min', 'max', 'seeds'], body);
}
