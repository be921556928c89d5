// What each figure shows, as plain rows: the one place that decides which numbers a plot draws.
// `buildFigure` (../figures.ts) turns these rows into Observable Plot marks, and `figureCsv`
// writes the very same rows, so an exported CSV always matches the picture.
import type { PlotSpec, ResultsDoc, RunResult } from '../results';

/** Vector-valued metrics: one array per recorded step (results.md). */
export const VECTOR_METRICS = new Set(['sv_W1', 'sv_W2', 'sv_product', 'gain', 'alignment']);

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
  /** only for mean-over-seeds rows: the spread (min and max over seeds) and seed count */
  lo?: number;
  hi?: number;
  n?: number;
  stale: boolean;
}

/** A message drawn at the end of a run's curve (diverged, error, cancelled, stale). */
export interface RunNote {
  run: string;
  text: string;
  /** the last drawn point of the run, or null when the run has no points */
  x: number | null;
  y: number | null;
  status: string;
}

export interface FinalRow {
  /** family (base name) plus the member parameters other than x and seed */
  group: string;
  run: string;
  x: number;
  y: number;
  seed: number | null;
  status: string;
}

export interface FinalSummary {
  group: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** the theory's prediction of a final value, one per (group, x) */
export interface FinalTheory {
  group: string;
  x: number;
  y: number;
}

export interface GainRow {
  run: string;
  coordinate: number;
  y: number;
}

export type FigureData =
  | { kind: 'series'; xLabel: string; yLabel: string; rows: SeriesRow[]; theory: SeriesRow[]; notes: RunNote[]; runs: string[] }
  | { kind: 'final'; xLabel: string; yLabel: string; rows: FinalRow[]; summary: FinalSummary[]; theory: FinalTheory[]; notes: RunNote[]; runs: string[] }
  | { kind: 'gain'; xLabel: string; yLabel: string; rows: GainRow[]; notes: RunNote[]; runs: string[] };

export interface DataOptions {
  /** draw at screen resolution: min–max decimation into this many x columns per line (0 = off;
   *  buildFigure uses one column per 3 px of frame). CSV export never decimates. */
  buckets?: number;
  /** run keys not to draw (legend toggles) */
  hidden?: Iterable<string>;
  /** run keys whose results belong to an older revision: drawn faded, never merged with fresh ones */
  stale?: Iterable<string>;
  /** why a faded run is shown (run key → "stale — line 13: …", "cancelled at step 13.4M"):
   *  drawn at the end of its curve instead of the run's own note */
  labels?: ReadonlyMap<string, string>;
}

/** `sgd[lr=0.3]` → `sgd`; plain keys are their own base. */
export function baseName(key: string): string {
  const i = key.indexOf('[');
  return i < 0 ? key : key.slice(0, i);
}

/**
 * The run keys a plot draws, in document order. A plot names runs or whole families: a family
 * contributes every member (`name[...]`), and a selected member (`gd[lr=0.3]`) names itself.
 */
export function plotRuns(doc: ResultsDoc, plot: PlotSpec): string[] {
  const keys = Object.keys(doc.runs);
  const sel = plot.runs.map(parseSelection);
  return keys.filter((k) => {
    if (plot.runs.includes(k)) return true;
    const run = doc.runs[k]!;
    if (!k.includes('[') || !run.member) return false;
    // `sgd` names the whole family; `sgd[lr=0.3]` the members with lr = 0.3 (any seed)
    return sel.some((s) => s.base === baseName(k) && Object.entries(s.params).every(([p, v]) => sameValue(run.member![p], v)));
  });
}

/** A member coordinate against a selection's text: numbers equal up to rounding (0.1 + 0.2 is 0.3). */
function sameValue(m: number | undefined, v: string): boolean {
  if (m == null) return false;
  const n = Number(v);
  if (!Number.isFinite(n)) return String(m) === v;
  return Math.abs(m - n) <= 1e-9 * Math.max(1, Math.abs(n));
}

/** `sgd[lr=0.3,seed=1]` → { base: 'sgd', params: { lr: '0.3', seed: '1' } } */
export function parseSelection(sel: string): { base: string; params: Record<string, string> } {
  const base = baseName(sel);
  const params: Record<string, string> = {};
  const inner = sel.slice(base.length + 1, sel.endsWith(']') ? -1 : undefined);
  if (sel.includes('[')) {
    for (const part of inner.split(',')) {
      const [p, v] = part.split('=').map((t) => t.trim());
      if (p && v != null) params[p] = String(Number(v)) === 'NaN' ? v : String(Number(v));
    }
  }
  return { base, params };
}

/**
 * Seed groups: members that differ only in `seed` (and in `exclude`, e.g. the swept x of a final
 * plot) share a group key, so a family over seeds is drawn as its mean and spread.
 */
export function groupKey(key: string, run: RunResult, exclude: string[] = []): string {
  const m = run.member;
  if (!m) return key;
  const rest = Object.keys(m)
    .filter((p) => p !== 'seed' && !exclude.includes(p))
    .sort()
    .map((p) => `${p}=${m[p]}`);
  return rest.length ? `${baseName(key)}[${rest.join(',')}]` : baseName(key);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Series drawn by a time-series plot of `metric`: `loss` brings `test_loss` along (issue 5). */
function seriesMetrics(metric: string, run: RunResult): string[] {
  if (metric === 'loss' && run.metrics.test_loss) return ['loss', 'test_loss'];
  return [metric];
}

export function metricLabel(metric: string): string {
  switch (metric) {
    case 'logdet': return 'log det(θᵀθ)';
    case 'sv_W1': return 'singular values of W1';
    case 'sv_W2': return 'singular values of W2';
    case 'sv_product': return 'singular values of W1W2';
    case 'sv_ratio': return 's₂/s₁';
    case 'gain': return 'Gain_γ';
    case 'gain_norm': return '‖Gain_γ‖';
    case 'effective_alpha': return 'α∞ (effective init)';
    case 'test_loss': return 'test loss';
    case 'alignment': return 'alignment |cos|';
    case 'imbalance': return '‖W1ᵀW1 − W2W2ᵀ‖';
    case 'missing_error': return 'error on missing entry';
    default: return metric;
  }
}

/** A run's note: the message of a diverged/failed/cancelled run, or "stale". */
function noteText(key: string, run: RunResult, stale: boolean): string | null {
  if (run.status === 'diverged') return `✕ ${key}: ${run.message ?? 'diverged'}`;
  if (run.status === 'error') return `✕ ${key}: ${run.message ?? 'error'}`;
  if (run.status === 'cancelled') return `${key}: cancelled${run.message ? ` (${run.message})` : ''}`;
  if (stale || run.status === 'stale') return `${key}: stale`;
  return null;
}

function seriesData(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions): FigureData {
  const hidden = new Set(opts.hidden ?? []);
  const staleSet = new Set(opts.stale ?? []);
  const keys = plotRuns(doc, plot);
  const useTime = plot.x === 'time';
  const logY = plot.y === 'log';
  const rows: SeriesRow[] = [];
  const theory: SeriesRow[] = [];
  const notes: RunNote[] = [];
  // Per-run rows first; seed groups are averaged afterwards.
  const perRun = new Map<string, SeriesRow[]>();
  const buckets = opts.buckets ?? 0;
  let x0 = Infinity, x1 = -Infinity;
  const groupsOf = new Map<string, string[]>();
  for (const key of keys) {
    const r = doc.runs[key]!;
    const xs = useTime ? r.time ?? r.step : r.step;
    if (xs?.length) { x0 = Math.min(x0, xs[0]!); x1 = Math.max(x1, xs[xs.length - 1]!); }
    const g = groupKey(key, r);
    groupsOf.set(g, [...(groupsOf.get(g) ?? []), key]);
  }
  const seeded = new Set([...groupsOf.values()].filter((m) => m.length > 1 && m.some((k) => doc.runs[k]!.member && 'seed' in doc.runs[k]!.member!)).flat());
  for (const key of keys) {
    const run = doc.runs[key]!;
    const stale = staleSet.has(key) || run.status === 'stale';
    const mine: SeriesRow[] = [];
    const n = run.step?.length ?? 0;
    const xs = useTime ? run.time ?? run.step : run.step;
    // members of a family over seeds are averaged step by step first: decimate only their mean
    const thin = buckets > 0 && !seeded.has(key);
    for (const metric of seriesMetrics(plot.metric, run)) {
      const s = run.metrics?.[metric];
      if (!s) continue;
      const vector = VECTOR_METRICS.has(metric);
      const m = Math.min(n, s.length);
      let ncomp = 1;
      if (vector) {
        ncomp = 0;
        for (let i = 0; i < m; i++) ncomp = Math.max(ncomp, (s[i] as unknown as unknown[] | null)?.length ?? 0);
        if (plot.top != null) ncomp = Math.min(ncomp, plot.top);
      }
      for (let c = 0; c < ncomp; c++) {
        const line = vector ? `${key}|${metric}|${c}` : `${key}|${metric}`;
        // indices of drawable values: non-finite (diverged) and, on a log axis, non-positive
        // values are gaps, never points
        const idx = new Int32Array(m);
        const ys = new Float64Array(m);
        let k = 0;
        for (let i = 0; i < m; i++) {
          const v = vector ? (s[i] as unknown as (number | null)[] | null)?.[c] : (s[i] as unknown as number | null);
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
          const row: SeriesRow = { run: key, line, metric, component: vector ? c : null, step, time, x: useTime ? time : step, y: ys[j]!, stale };
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
    // Theorem 4.2 (theory.md): log det falls linearly, rate −2η²δ·k·tr(XᵀX) per step, anchored
    // at the run's first recorded log det; drawn through the first and last recorded steps.
    const rate = run.theory?.logdet_rate_per_step;
    if (plot.theory && plot.metric === 'logdet' && finite(rate)) {
      const pts = mine.filter((r) => r.metric === 'logdet');
      if (pts.length) {
        const a = pts[0]!;
        const last = run.step[n - 1] ?? a.step;
        const lastTime = run.time?.[n - 1] ?? last;
        for (const [step, time] of [[a.step, a.time], [last, lastTime]] as const) {
          theory.push({ run: key, line: `${key}|theory`, metric: 'logdet', component: null, step, time, x: useTime ? time : step, y: a.y + rate * (step - a.step), stale });
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
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const g = groupKey(key, doc.runs[key]!);
    groups.set(g, [...(groups.get(g) ?? []), key]);
  }
  const drawn: string[] = [];
  for (const [g, members] of groups) {
    const visible = members.filter((k) => !hidden.has(k));
    if (members.length === 1 || !members.some((k) => doc.runs[k]!.member && 'seed' in doc.runs[k]!.member!)) {
      for (const k of visible) rows.push(...perRun.get(k)!);
      drawn.push(...members);
      continue;
    }
    drawn.push(g);
    if (hidden.has(g) || !visible.length) continue;
    const acc = new Map<string, { base: SeriesRow; ys: number[] }>();
    for (const k of visible) {
      for (const r of perRun.get(k)!) {
        const id = `${r.metric}|${r.component}|${r.step}`;
        const e = acc.get(id);
        if (e) e.ys.push(r.y);
        else acc.set(id, { base: r, ys: [r.y] });
      }
    }
    for (const { base, ys } of acc.values()) {
      // the mean of log-scale quantities is taken on the log (geometric mean) so it sits inside the band
      const mean = logY ? Math.exp(ys.reduce((s, v) => s + Math.log(v), 0) / ys.length) : ys.reduce((s, v) => s + v, 0) / ys.length;
      rows.push({
        ...base,
        run: g,
        line: `${g}|${base.metric}|${base.component ?? ''}`,
        y: mean,
        lo: Math.min(...ys),
        hi: Math.max(...ys),
        n: ys.length,
        stale: visible.some((k) => perRun.get(k)![0]?.stale),
      });
    }
    if (buckets > 0) {
      const mine = rows.splice(rows.length - acc.size, acc.size);
      rows.push(...decimate(mine, x0, x1, buckets));
    }
    for (const t of theory.filter((r) => members.includes(r.run))) t.run = g;
  }
  return {
    kind: 'series',
    xLabel: useTime ? 'time (step · lr)' : 'step',
    yLabel: metricLabel(plot.metric),
    rows,
    // one theory line per drawn group: drop duplicates coming from several seed members
    theory: theory.filter((t, i) => !hidden.has(t.run) && theory.findIndex((u) => u.run === t.run && u.step === t.step) === i),
    notes: notes.filter((n) => !hidden.has(n.run)),
    runs: drawn,
  };
}

/**
 * Min–max decimation of one line with `k` points (x increasing): split [x0, x1] into `buckets`
 * columns and keep, in order, the lowest and the highest point of each column, plus the line's
 * first and last point. With a column per w px the drawn polyline differs from the full one by
 * under w px horizontally and keeps every extreme (spikes, divergence). Returns kept indices.
 */
export function minMaxKeep(k: number, xAt: (j: number) => number, yAt: (j: number) => number, x0: number, x1: number, buckets: number): number[] {
  const out: number[] = [0];
  const scale = x1 > x0 ? buckets / (x1 - x0) : 0;
  let b = -1, lo = -1, hi = -1;
  const flush = () => {
    if (b < 0) return;
    if (lo === hi) out.push(lo);
    else if (lo < hi) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let j = 1; j < k - 1; j++) {
    const c = Math.min(buckets - 1, Math.floor((xAt(j) - x0) * scale));
    if (c !== b) {
      flush();
      b = c;
      lo = hi = j;
    } else {
      const y = yAt(j);
      if (y < yAt(lo)) lo = j;
      if (y > yAt(hi)) hi = j;
    }
  }
  flush();
  if (k > 1) out.push(k - 1);
  return out;
}

/** `minMaxKeep` over rows of several lines (rows of one line in x order). */
export function decimate<T extends { line: string; x: number; y: number }>(rows: T[], x0: number, x1: number, buckets: number): T[] {
  const byLine = new Map<string, T[]>();
  for (const r of rows) {
    const a = byLine.get(r.line);
    if (a) a.push(r);
    else byLine.set(r.line, [r]);
  }
  const out: T[] = [];
  for (const pts of byLine.values()) {
    if (pts.length <= buckets) out.push(...pts);
    else for (const j of minMaxKeep(pts.length, (j) => pts[j]!.x, (j) => pts[j]!.y, x0, x1, buckets)) out.push(pts[j]!);
  }
  return out;
}

/** Last finite value of a scalar metric (vector metrics: their first component, e.g. s₁). */
export function finalValue(run: RunResult, metric: string): number | null {
  const s = run.metrics?.[metric];
  if (!s) return null;
  for (let i = Math.min(s.length, run.step?.length ?? s.length) - 1; i >= 0; i--) {
    const v = s[i] as unknown;
    const y = Array.isArray(v) ? v[0] : v;
    if (finite(y)) return y;
  }
  return null;
}

function finalData(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions): FigureData {
  const hidden = new Set(opts.hidden ?? []);
  const keys = plotRuns(doc, plot);
  const rows: FinalRow[] = [];
  const notes: RunNote[] = [];
  const groups: string[] = [];
  for (const key of keys) {
    const run = doc.runs[key]!;
    const xv = run.member?.[plot.x] ?? run.params?.[plot.x];
    const g = groupKey(key, run, [plot.x]);
    if (!groups.includes(g)) groups.push(g);
    if (hidden.has(g) || hidden.has(key)) continue;
    const y = finalValue(run, plot.metric);
    const seed = run.member?.seed ?? (typeof run.params?.seed === 'number' ? (run.params.seed as number) : null);
    if (typeof xv === 'number' && y != null && (plot.y !== 'log' || y > 0)) rows.push({ group: g, run: key, x: xv, y, seed, status: run.status });
    const text = noteText(key, run, false);
    if (text && run.status !== 'cancelled') notes.push({ run: g, text, x: typeof xv === 'number' ? xv : null, y, status: run.status });
  }
  // Mean and spread (min–max) over the seeds of each (group, x). Diverged members are shown as
  // crosses but left out of the mean: their last finite value is not a final value.
  const summary: FinalSummary[] = [];
  const byGx = new Map<string, FinalRow[]>();
  for (const r of rows) {
    if (r.status === 'diverged' || r.status === 'error') continue;
    const id = `${r.group}\u0000${r.x}`;
    byGx.set(id, [...(byGx.get(id) ?? []), r]);
  }
  for (const rs of byGx.values()) {
    const ys = rs.map((r) => r.y);
    const mean = plot.y === 'log' ? Math.exp(ys.reduce((s, v) => s + Math.log(v), 0) / ys.length) : ys.reduce((s, v) => s + v, 0) / ys.length;
    summary.push({ group: rs[0]!.group, x: rs[0]!.x, mean, lo: Math.min(...ys), hi: Math.max(...ys), n: ys.length });
  }
  summary.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.x - b.x));
  // Theorem 4.2: the final log det a run should reach, log det(θ₀ᵀθ₀) + rate·(steps taken), with
  // the per-step rate −2η²δ·k·tr(XᵀX) the core attaches; averaged over the seeds of a (group, x)
  // (their data and tr(XᵀX) may differ), the line through them is straight in δ.
  const theory: FinalTheory[] = [];
  if (plot.theory && plot.metric === 'logdet') {
    const byGxT = new Map<string, { group: string; x: number; ys: number[] }>();
    for (const r of rows) {
      if (r.status === 'diverged' || r.status === 'error') continue;
      const run = doc.runs[r.run]!;
      const rate = run.theory?.logdet_rate_per_step;
      const ld = run.metrics?.logdet as number[] | undefined;
      if (!finite(rate) || !ld?.length || !finite(ld[0]) || !run.step?.length) continue;
      let i = Math.min(ld.length, run.step.length) - 1;
      while (i > 0 && !finite(ld[i])) i--;
      const id = `${r.group}\u0000${r.x}`;
      const e = byGxT.get(id) ?? { group: r.group, x: r.x, ys: [] };
      e.ys.push(ld[0] + rate * (run.step[i]! - run.step[0]!));
      byGxT.set(id, e);
    }
    for (const e of byGxT.values()) theory.push({ group: e.group, x: e.x, y: e.ys.reduce((a, b) => a + b, 0) / e.ys.length });
    theory.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.x - b.x));
  }
  return {
    kind: 'final',
    xLabel: plot.x,
    yLabel: `final ${metricLabel(plot.metric)}`,
    rows,
    summary,
    theory,
    notes: notes.filter((n) => n.status !== 'done'),
    runs: groups,
  };
}

function gainData(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions): FigureData {
  const hidden = new Set(opts.hidden ?? []);
  const keys = plotRuns(doc, plot);
  const rows: GainRow[] = [];
  const notes: RunNote[] = [];
  const metric = plot.metric || 'gain';
  for (const key of keys) {
    const run = doc.runs[key]!;
    const text = noteText(key, run, new Set(opts.stale ?? []).has(key));
    if (text) notes.push({ run: key, text, x: null, y: null, status: run.status });
    if (hidden.has(key)) continue;
    const s = run.metrics?.[metric] as number[][] | undefined;
    if (!s) continue;
    // the final record with a finite vector (a diverged run keeps its last finite one)
    for (let i = Math.min(s.length, run.step.length) - 1; i >= 0; i--) {
      const v = s[i];
      if (Array.isArray(v) && v.every(finite)) {
        v.forEach((y, c) => { if (plot.y !== 'log' || y > 0) rows.push({ run: key, coordinate: c, y }); });
        break;
      }
    }
  }
  return { kind: 'gain', xLabel: 'coordinate', yLabel: `${metricLabel(metric)} (final)`, rows, notes: notes.filter((n) => !hidden.has(n.run)), runs: keys };
}

/** The rows a figure draws (also what its CSV export holds). */
export function figureData(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions = {}): FigureData {
  if (plot.kind === 'final') return finalData(doc, plot, opts);
  if (plot.kind === 'gain' || (plot.metric === 'gain' && plot.kind !== 'series')) return gainData(doc, plot, opts);
  return seriesData(doc, plot, opts);
}

function csvCell(v: unknown): string {
  if (v == null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** CSV of exactly the points a figure draws (theory lines and seed means included, labelled). */
export function figureCsv(doc: ResultsDoc, plot: PlotSpec, opts: DataOptions = {}): string {
  const d = figureData(doc, plot, opts);
  if (d.kind === 'series') {
    const body = [
      ...d.rows.map((r) => [r.run, r.n != null ? 'mean' : 'data', r.metric, r.component, r.step, r.time, r.y, r.lo, r.hi, r.n]),
      ...d.theory.map((r) => [r.run, 'theory', r.metric, r.component, r.step, r.time, r.y, null, null, null]),
    ];
    return toCsv(['run', 'kind', 'metric', 'component', 'step', 'time', 'value', 'min', 'max', 'seeds'], body);
  }
  if (d.kind === 'final') {
    return toCsv(
      ['group', 'run', 'kind', d.xLabel, 'seed', 'status', 'value', 'min', 'max', 'seeds'],
      [
        ...d.rows.map((r) => [r.group, r.run, 'run', r.x, r.seed, r.status, r.y, null, null, null]),
        ...d.summary.map((s) => [s.group, null, 'mean', s.x, null, null, s.mean, s.lo, s.hi, s.n]),
        ...d.theory.map((t) => [t.group, null, 'theory', t.x, null, null, t.y, null, null, null]),
      ],
    );
  }
  return toCsv(['run', 'coordinate', 'value'], d.rows.map((r) => [r.run, r.coordinate, r.y]));
}
