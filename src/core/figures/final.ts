// Final values (`plot final(metric, families…, x = param)`): each member's last finite value
// against its swept parameter, one line per family through the seeds' mean, min–max as a rule;
// the metric's theory line through the predicted final values.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc, RunResult } from '../results';
import { seriesOf } from '../resolve/metrics';
import { coordsOf, finite, groupKey, mean, metricLabel, noteText, toCsv, valuesOf, type DataOptions, type RunNote } from './runs';
import { fmt, logTicks, type KindMarks, type MarkContext } from './frame';

export interface FinalRow {
  /** family (base name) plus the member parameters other than x and seed */
  group: string;
  run: string;
  x: number;
  y: number;
  seed: number | null;
  status: string;
  /** its training loss converged (lossConverged); an unconverged point is drawn hollow */
  converged: boolean;
}

/**
 * Has a run's training loss converged? Criterion: its last finite recorded training loss is at
 * most CONVERGED_FRACTION (1 %) of its first recorded one. A run without a recorded loss, or
 * whose first loss is 0, counts as converged (nothing to say). Diverged runs are drawn as ✕.
 */
export const CONVERGED_FRACTION = 1e-2;
export function lossConverged(run: RunResult): boolean {
  const s = run.metrics?.loss as (number | null)[] | undefined;
  if (!s || !s.length) return true;
  const first = s.find((v) => finite(v));
  const i = lastFinite(run, s);
  if (first == null || i < 0 || !(first > 0)) return true;
  return (s[i] as number) <= CONVERGED_FRACTION * first;
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

/** GD's stability limit of a group's runs, a vertical rule: the model's own
 *  (RunResult.theory.lr_stability_limit), or that of the linear model on the same data
 *  (theory.lr_stability_limit_linear: linear2, relu2), which is not the network's */
export interface FinalLimit {
  group: string;
  x: number;
  of: 'model' | 'linear';
}

export interface FinalData {
  kind: 'final';
  xLabel: string;
  yLabel: string;
  rows: FinalRow[];
  summary: FinalSummary[];
  theory: FinalTheory[];
  /** the legend text of the theory line */
  theoryLabel: string;
  limits: FinalLimit[];
  notes: RunNote[];
  runs: string[];
}

/** Index of the last finite value of a series (vector series: of its first component, e.g. s₁). */
function lastFinite(run: RunResult, s: (number | number[] | null)[] | undefined): number {
  if (!s) return -1;
  let i = Math.min(s.length, run.step?.length ?? s.length) - 1;
  while (i >= 0 && !finite(Array.isArray(s[i]) ? (s[i] as number[])[0] : s[i])) i--;
  return i;
}

/** Last finite value of a metric (vector metrics: their first component, e.g. s₁); a value of the
 *  final state only (`endOfRun` in the table: bias_gap) is the run's theory entry. */
export function finalValue(run: RunResult, metric: string, plot?: PlotSpec): number | null {
  if (seriesOf(metric, plot?.of)?.series.endOfRun) {
    const v = run.theory?.[metric];
    return finite(v) ? v : null;
  }
  const s = plot ? valuesOf(run, plot, metric) : (run.metrics?.[metric] as (number | number[] | null)[] | undefined);
  const i = lastFinite(run, s);
  if (i < 0) return null;
  const v = s![i]!;
  return Array.isArray(v) ? v[0]! : v;
}

/** Mean and spread per (group, x) of values, sorted by group then x. */
function byGroupAndX<T>(items: { group: string; x: number; y: number }[], make: (group: string, x: number, ys: number[]) => T): T[] {
  const m = new Map<string, { group: string; x: number; ys: number[] }>();
  for (const r of items) {
    const id = `${r.group}\u0000${r.x}`;
    const e = m.get(id) ?? { group: r.group, x: r.x, ys: [] };
    e.ys.push(r.y);
    m.set(id, e);
  }
  return [...m.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.x - b.x)).map((e) => make(e.group, e.x, e.ys));
}

export function finalData(doc: ResultsDoc, plot: PlotSpec, keys: string[], opts: DataOptions): FinalData {
  const hidden = new Set(opts.hidden ?? []);
  const rows: FinalRow[] = [];
  const notes: RunNote[] = [];
  const groups: string[] = [];
  for (const key of keys) {
    const run = doc.runs[key]!;
    const xv = coordsOf(run)[plot.x] ?? run.params?.[plot.x];
    const g = groupKey(key, run, [plot.x]);
    if (!groups.includes(g)) groups.push(g);
    if (hidden.has(g) || hidden.has(key)) continue;
    const y = finalValue(run, plot.metric, plot);
    const seed = coordsOf(run).seed ?? (typeof run.params?.seed === 'number' ? (run.params.seed as number) : null);
    if (typeof xv === 'number' && y != null && (plot.y !== 'log' || y > 0)) rows.push({ group: g, run: key, x: xv, y, seed, status: run.status, converged: lossConverged(run) });
    const text = noteText(key, run, false);
    if (text && run.status !== 'cancelled') notes.push({ run: g, text, x: typeof xv === 'number' ? xv : null, y, status: run.status });
  }
  // Mean and spread (min–max) over the seeds of each (group, x). Diverged members are shown as
  // crosses but left out of the mean: their last finite value is not a final value.
  const ok = rows.filter((r) => r.status !== 'diverged' && r.status !== 'error');
  const summary = byGroupAndX(ok, (group, x, ys) => ({ group, x, mean: mean(ys, plot.y === 'log'), lo: Math.min(...ys), hi: Math.max(...ys), n: ys.length }));
  // The theory line of the metric's entry (logdet: Theorem 4.2): the final value a run should
  // reach, its first recorded value + rate·(steps taken), with the per-step rate the core
  // attaches; averaged over the seeds of a (group, x) (their data, hence rates, may differ).
  const entry = seriesOf(plot.metric, plot.of)?.series;
  const rateKey = entry?.theoryRate;
  const rateSqKey = entry?.theoryRateSq;
  const predicted: { group: string; x: number; y: number }[] = [];
  for (const r of plot.theory && rateKey ? ok : []) {
    const run = doc.runs[r.run]!;
    const rate = run.theory?.[rateKey!];
    const s = valuesOf(run, plot) as number[] | undefined;
    const i = lastFinite(run, s);
    if (finite(rate) && i >= 0 && finite(s![0])) predicted.push({ group: r.group, x: r.x, y: s![0] + rate * (run.step[i]! - run.step[0]!) });
    // under a stepsize schedule: rate per unit of Σ_{u<t} η_u² (series.ts)
    const rateSq = rateSqKey ? run.theory?.[rateSqKey] : undefined;
    const sq = run.metrics.lr_sq_sum as number[] | undefined;
    if (!finite(rate) && finite(rateSq) && sq && i >= 0 && finite(s![0])) predicted.push({ group: r.group, x: r.x, y: s![0] + rateSq * (sq[i]! - sq[0]!) });
  }
  // bias_gap: the value of another end-of-run entry of the same run (the exact prediction's gap)
  for (const r of plot.theory && entry?.theoryKey ? ok : []) {
    const v = doc.runs[r.run]!.theory?.[entry!.theoryKey!];
    if (finite(v) && (plot.y !== 'log' || v > 0)) predicted.push({ group: r.group, x: r.x, y: v });
  }
  const theory = byGroupAndX(predicted, (group, x, ys) => ({ group, x, y: ys.reduce((a, b) => a + b, 0) / ys.length }));
  // GD's stability limit (docs/theory.md §7), per group: the core attaches it to the runs for which
  // it is known (full-batch GD on a diagonal network); one rule per group at the mean of its runs'
  const limits: FinalLimit[] = [];
  if (plot.theory && plot.x === 'lr') {
    for (const [of, key] of [['model', 'lr_stability_limit'], ['linear', 'lr_stability_limit_linear']] as const) {
      const by = new Map<string, number[]>();
      for (const r of rows) {
        const v = doc.runs[r.run]!.theory?.[key];
        if (finite(v)) by.set(r.group, [...(by.get(r.group) ?? []), v]);
      }
      for (const [group, xs] of by) limits.push({ group, x: xs.reduce((a, b) => a + b, 0) / xs.length, of });
    }
  }
  return {
    kind: 'final',
    xLabel: plot.x,
    yLabel: `final ${metricLabel(plot.metric, keys.map((k) => doc.runs[k]!), plot.of)}`,
    rows,
    summary,
    theory,
    theoryLabel: entry?.theoryLabel ?? 'theory',
    limits,
    notes: notes.filter((n) => n.status !== 'done'),
    runs: groups,
  };
}

export function finalMarks(data: FinalData, ctx: MarkContext): KindMarks {
  const { theme } = ctx;
  const marks: Plot.Markish[] = [];
  const legend: KindMarks['legend'] = [];
  const xs = data.rows.map((r) => r.x).filter((v) => v > 0);
  const x = xs.length === data.rows.length && xs.length && Math.max(...xs) / Math.min(...xs) >= 50 ? { type: 'log' as const, ...logTicks(data.rows.map((r) => ({ y: r.x }))) } : {};
  const several = data.summary.some((s) => s.n > 1);
  const ok = data.rows.filter((r) => r.status !== 'diverged' && r.status !== 'error');
  const bad = data.rows.filter((r) => r.status === 'diverged' || r.status === 'error');
  if (several) marks.push(Plot.ruleX(data.summary.filter((s) => s.n > 1), { x: 'x', y1: 'lo', y2: 'hi', stroke: 'group', strokeWidth: 2, strokeOpacity: 0.45 }));
  marks.push(Plot.line(data.summary, { x: 'x', y: 'mean', z: 'group', stroke: 'group', strokeWidth: 1.6 }));
  if (data.theory.length) {
    marks.push(Plot.line(data.theory, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'group', stroke: 'group', strokeWidth: 1.4, strokeDasharray: '7 4', strokeOpacity: 0.9 }));
    marks.push(Plot.line(data.theory, { ariaDescription: 'theory', x: 'x', y: 'y', z: 'group', stroke: theme.foreground, strokeWidth: 0.7, strokeOpacity: 0.5 }));
    legend.push({ label: data.theoryLabel, color: theme.muted, glyph: '╌╌' });
  }
  const own = data.limits.filter((l) => l.of === 'model');
  const linear = data.limits.filter((l) => l.of === 'linear');
  if (own.length) {
    marks.push(Plot.ruleX(own, { ariaDescription: 'stability limit', x: 'x', stroke: 'group', strokeWidth: 1.2, strokeDasharray: '2 3' }));
    legend.push({ label: 'GD stability limit 2/λ_max', color: theme.muted, glyph: '┊' });
  }
  if (linear.length) {
    // a thinner, sparser rule: the linear model's limit, a reference scale for the network (§7)
    marks.push(Plot.ruleX(linear, { ariaDescription: 'stability limit of the linear model', x: 'x', stroke: 'group', strokeWidth: 0.9, strokeDasharray: '1 5' }));
    legend.push({ label: 'GD limit of the linear model 2/λ_max(XᵀX)', color: theme.muted, glyph: '┆' });
  }
  // a run whose training loss has not converged (lossConverged) is drawn hollow
  const hollow = ok.filter((r) => !r.converged);
  marks.push(Plot.dot(ok.filter((r) => r.converged), { x: 'x', y: 'y', fill: 'group', r: several ? 2 : 3, fillOpacity: several ? 0.5 : 1 }));
  if (hollow.length) {
    marks.push(Plot.dot(hollow, { ariaDescription: 'not converged', x: 'x', y: 'y', stroke: 'group', fill: 'none', r: several ? 2.5 : 3.5, strokeWidth: 1.5 }));
    legend.push({ label: `not converged: final loss > ${CONVERGED_FRACTION * 100}% of initial (${hollow.length} run${hollow.length > 1 ? 's' : ''})`, color: theme.muted, glyph: '○' });
  }
  if (bad.length) {
    marks.push(Plot.dot(bad, { x: 'x', y: 'y', stroke: 'group', symbol: 'times', r: 4, strokeWidth: 2 }));
    legend.push({ label: 'diverged (not in mean)', color: theme.muted, glyph: '✕' });
  }
  if (several) legend.push({ label: 'min–max over seeds', color: theme.muted, glyph: '┃' });
  if (ctx.tips && data.rows.length) {
    marks.push(Plot.tip(data.rows, Plot.pointer({
      x: 'x', y: 'y', stroke: 'group',
      title: (r: FinalRow) => `${r.run}\n${data.xLabel} = ${fmt(r.x)}${r.seed != null ? `, seed ${r.seed}` : ''}\n${data.yLabel} = ${fmt(r.y)}${r.status !== 'done' ? `\n(${r.status})` : r.converged ? '' : '\n(training loss not converged)'}`,
    })));
  }
  const ys = [...data.rows.map((r) => r.y), ...data.summary.map((s) => s.mean), ...data.theory.map((t) => t.y)];
  return { marks, legend, floating: ctx.notes.filter((n) => n.status === 'error' && n.y == null), x, y: ctx.plot.y === 'log' ? logTicks(data.rows) : {}, ys };
}

export function finalCsv(d: FinalData): string {
  return toCsv(['group', 'run', 'kind', d.xLabel, 'seed', 'status', 'value', 'min', 'max', 'seeds'], [
    ...d.rows.map((r) => [r.group, r.run, 'run', r.x, r.seed, r.status, r.y, null, null, null]),
    ...d.summary.map((s) => [s.group, null, 'mean', s.x, null, null, s.mean, s.lo, s.hi, s.n]),
    ...d.theory.map((t) => [t.group, null, 'theory', t.x, null, null, t.y, null, null, null]),
    ...d.limits.map((l) => [l.group, null, l.of === 'linear' ? 'stability_limit_linear' : 'stability_limit', l.x, null, null, null, null, null, null]),
  ]);
}
