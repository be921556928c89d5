// Gain per coordinate (`plot gain(…)`, diagonal networks): the final Gain_γ vector of each run as
// bars, one facet per coordinate, runs side by side inside it.
import * as Plot from '@observablehq/plot';
import type { PlotSpec, ResultsDoc } from '../results';
import { finite, metricLabel, noteText, toCsv, type DataOptions, type RunNote } from './runs';
import { fmt, logTicks, type KindMarks, type MarkContext } from './frame';

export interface GainRow {
  run: string;
  coordinate: number;
  y: number;
}

export interface GainData {
  kind: 'gain';
  xLabel: string;
  yLabel: string;
  rows: GainRow[];
  notes: RunNote[];
  runs: string[];
}

export function gainData(doc: ResultsDoc, plot: PlotSpec, keys: string[], opts: DataOptions): GainData {
  const hidden = new Set(opts.hidden ?? []);
  const stale = new Set(opts.stale ?? []);
  const rows: GainRow[] = [];
  const notes: RunNote[] = [];
  const metric = plot.metric || 'gain';
  for (const key of keys) {
    const run = doc.runs[key]!;
    const text = noteText(key, run, stale.has(key));
    if (text) notes.push({ run: key, text, x: null, y: null, status: run.status });
    if (hidden.has(key)) continue;
    const s = run.metrics?.[metric] as number[][] | undefined;
    // the final record with a finite vector (a diverged run keeps its last finite one)
    for (let i = Math.min(s?.length ?? 0, run.step.length) - 1; i >= 0; i--) {
      const v = s![i];
      if (Array.isArray(v) && v.every(finite)) {
        // xlim: the coordinates a ≤ c ≤ b (its x axis is the coordinate index)
        const inX = (c: number) => !plot.xlim || (c >= plot.xlim[0] && c <= plot.xlim[1]);
        v.forEach((y, c) => { if ((plot.y !== 'log' || y > 0) && inX(c)) rows.push({ run: key, coordinate: c, y }); });
        break;
      }
    }
  }
  return { kind: 'gain', xLabel: 'coordinate', yLabel: `${metricLabel(metric)} (final)`, rows, notes: notes.filter((n) => !hidden.has(n.run)), runs: keys };
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

export function gainMarks(data: GainData, ctx: MarkContext): KindMarks {
  const { theme, plot } = ctx;
  const marks: Plot.Markish[] = [];
  const ncoord = data.rows.reduce((m, r) => Math.max(m, r.coordinate + 1), 0);
  const every = Math.max(1, Math.ceil((ncoord * 22) / (ctx.width - ctx.marginLeft)));
  const fx = { label: data.xLabel, padding: 0.2, tickFormat: (d: number) => (d % every === 0 ? String(d) : ''), tickSize: 0 };
  const x = { axis: null, domain: ctx.domain.filter((k) => !ctx.hidden.has(k)), padding: 0.05 } as Plot.ScaleOptions;
  const ys = data.rows.map((r) => r.y).filter(Number.isFinite);
  const y: Plot.ScaleOptions = plot.y === 'log' ? logTicks(data.rows) : {};
  if (plot.y === 'log') {
    // A bar on a log axis cannot start at 0: it starts at the axis's floor (a decade below the
    // smallest positive Gain, see gainLogDomain), so bar heights still compare by ratios.
    const dom = gainLogDomain(ys);
    if (dom) {
      y.domain = dom;
      marks.push(Plot.ruleY([dom[0]], { stroke: theme.muted, strokeOpacity: 0.6 }));
      marks.push(Plot.barY(data.rows.filter((r) => r.y > 0), { fx: 'coordinate', x: 'run', y1: dom[0], y2: 'y', fill: 'run' }));
    }
  } else {
    marks.push(Plot.ruleY([0], { stroke: theme.muted, strokeOpacity: 0.6 }));
    marks.push(Plot.barY(data.rows, { fx: 'coordinate', x: 'run', y: 'y', fill: 'run' }));
  }
  if (ctx.tips && data.rows.length) {
    marks.push(Plot.tip(data.rows, Plot.pointer({
      fx: 'coordinate', x: 'run', y: 'y', stroke: 'run',
      title: (r: GainRow) => `${r.run}\ncoordinate ${r.coordinate}\nGain = ${fmt(r.y)}`,
    })));
  }
  // the bars start at 0 on a linear axis: the degenerate-domain guard includes it; on a log axis
  // gainLogDomain has set the domain already
  return { marks, legend: [], floating: ctx.notes, x, y, fx, ys: plot.y === 'log' ? [] : ys, withZero: true };
}

export function gainCsv(d: GainData): string {
  return toCsv(['run', 'coordinate', 'value'], d.rows.map((r) => [r.run, r.coordinate, r.y]));
}
