// Which runs a figure draws and how they group, by each run's definition and member coordinates
// (RunResult.def, .coords), and what every plot kind shares: notes, options, CSV cells.
import { csvText } from '../csvText';
import type { PlotSpec, ResultsDoc, RunResult } from '../results';
import { sameNumber } from '../resolve/axes';
import { fillLabel, rankOf, seriesOf } from '../resolve/metrics';

/** A message drawn at the end of a run's curve (diverged, error, cancelled, stale). */
export interface RunNote {
  run: string;
  text: string;
  /** the last drawn point of the run, or null when the run has no points */
  x: number | null;
  y: number | null;
  status: string;
}

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

/** A run's definition and coordinates (documents written before `def`/`coords`: from key and member). */
export const defOf = (key: string, run: RunResult): string => run.def ?? baseName(key);
export const coordsOf = (run: RunResult): Record<string, number> => run.coords ?? run.member ?? {};

/** A plot's entry `sgd[lr=0.3,seed=1]` → { base: 'sgd', params: { lr: 0.3, seed: 1 } } */
function parseEntry(sel: string): { base: string; params: [string, number][] } {
  const base = baseName(sel);
  const inner = sel.includes('[') ? sel.slice(base.length + 1, sel.endsWith(']') ? -1 : undefined) : '';
  const params = inner.split(',').map((part) => part.split('=').map((t) => t.trim())).filter((pv) => pv[0] && pv[1] != null).map(([p, v]) => [p!, Number(v)] as [string, number]);
  return { base, params };
}

/**
 * The run keys a plot draws, in document order. A plot names runs or whole families: a family
 * contributes every member, and a selection (`gd[lr=0.3]`) the members with those coordinates.
 */
export function plotRuns(doc: ResultsDoc, plot: PlotSpec): string[] {
  const sel = plot.runs.map(parseEntry);
  return Object.keys(doc.runs).filter((k) => {
    if (plot.runs.includes(k)) return true;
    const run = doc.runs[k]!;
    const c = coordsOf(run);
    if (!Object.keys(c).length) return false;
    return sel.some((s) => s.base === defOf(k, run) && s.params.every(([p, v]) => c[p] != null && sameNumber(c[p]!, v)));
  });
}

/**
 * Seed groups: members that differ only in `seed` (and in `exclude`, e.g. the swept x of a final
 * plot) share a group key, so a family over seeds is drawn as its mean and spread.
 */
export function groupKey(key: string, run: RunResult, exclude: string[] = []): string {
  if (!run.member) return key;
  const m = coordsOf(run);
  const rest = Object.keys(m).filter((p) => p !== 'seed' && !exclude.includes(p)).sort().map((p) => `${p}=${m[p]}`);
  return rest.length ? `${defOf(key, run)}[${rest.join(',')}]` : defOf(key, run);
}

/** Is a run a member of a family over seeds? */
export const seeded = (run: RunResult): boolean => 'seed' in coordsOf(run);

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The axis label of a result key, from its metric's entry in the built-ins table. */
export function metricLabel(metric: string, runs: RunResult[] = [], of?: string | null): string {
  const e = seriesOf(metric, of);
  return e ? fillLabel(e.series.label, runs) : metric;
}

/** A run's note: the message of a diverged/failed/cancelled run, or "stale". */
export function noteText(key: string, run: RunResult, stale: boolean): string | null {
  if (run.status === 'diverged') return `✕ ${key}: ${run.message ?? 'diverged'}`;
  if (run.status === 'error') return `✕ ${key}: ${run.message ?? 'error'}`;
  // the core's message of a cancelled run is often the word itself: never "cancelled (cancelled)"
  if (run.status === 'cancelled') return `${key}: cancelled${run.message && run.message !== 'cancelled' ? ` (${run.message})` : ''}`;
  if (stale || run.status === 'stale') return `${key}: stale`;
  return null;
}

export const mean = (ys: number[], log: boolean): number =>
  log ? Math.exp(ys.reduce((s, v) => s + Math.log(v), 0) / ys.length) : ys.reduce((s, v) => s + v, 0) / ys.length;

function csvCell(v: unknown): string {
  if (v == null) return '';
  // numbers as numbers (-1.5 stays -1.5); text quoted and kept from being read as a formula
  return typeof v === 'number' ? String(v) : csvText(String(v));
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/**
 * The recorded values a plot reads of a run, one per recorded step: the result series, or for a
 * rank (`rankOf` in the table) #{i : sᵢ > tol·s₁} of the recorded singular values, so any tol works.
 */
export function valuesOf(run: RunResult, plot: PlotSpec, key = plot.metric): (number | number[] | null)[] | undefined {
  const e = key === plot.metric ? seriesOf(key, plot.of)?.series : undefined;
  const src = e?.rankOf && plot.tol != null ? e.rankOf.find((k) => run.metrics?.[k]) : undefined;
  if (src) return (run.metrics[src] as (number[] | null)[]).map((sv) => (Array.isArray(sv) && sv.every(finite) ? rankOf(sv, plot.tol!) : NaN));
  return run.metrics?.[key] as (number | number[] | null)[] | undefined;
}
