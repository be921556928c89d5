// A metric's meaning for plots, read from its entry in the built-ins table: which result series a
// plot of it reads, its title and axis label, its theory line. Lowering (plot titles) and the
// figures (labels, vector series, theory, plot-time rank) both ask here.
import { BUILTINS, BUILTIN_BY_NAME, type Builtin, type MetricSeries } from '../lang/builtins';

export interface SeriesEntry {
  metric: Builtin;
  series: MetricSeries;
}

const ENTRIES: SeriesEntry[] = BUILTINS.flatMap((metric) => (metric.series ?? []).map((series) => ({ metric, series })));

/** The series a metric draws for these option values (`of = W2`): the first whose `when` matches. */
export function seriesFor(metric: Builtin, options: Record<string, string | null | undefined>): MetricSeries | null {
  const all = metric.series ?? [];
  return all.find((s) => s.when && Object.entries(s.when).every(([k, v]) => options[k] === v)) ?? all.find((s) => !s.when) ?? all[0] ?? null;
}

/** The table entry of a result key as a plot names it (`sv_W1`; `rank` with its `of`). */
export function seriesOf(key: string, of?: string | null): SeriesEntry | null {
  const hits = ENTRIES.filter((e) => e.series.key === key);
  return hits.find((e) => of != null && e.series.when?.of === of) ?? hits.find((e) => !e.series.when) ?? hits[0] ?? null;
}

/** Result keys a time-series plot draws alongside a metric, dashed (loss: test_loss): the entries' `with`. */
export const DRAWN_ALONGSIDE: ReadonlySet<string> = new Set(ENTRIES.flatMap((e) => e.series.with ?? []));

/** Result keys holding one array per recorded step. */
export const VECTOR_METRICS: ReadonlySet<string> = new Set(ENTRIES.filter((e) => e.series.vector).map((e) => e.series.key));

/** A run as far as labels need it: its model and resolved parameters (LoweredRun and RunResult both are). */
export interface RunModel {
  model: string;
  params?: Record<string, unknown> | null;
}

/**
 * The end-to-end matrix of the drawn runs, by their models' `product` names (`W1W2`, `W4⋯W1` for
 * a deep_linear of depth 4); `the end-to-end matrix` when they differ or have none.
 */
export function productName(runs: readonly RunModel[]): string {
  const names = new Set(
    runs.map((r) => (BUILTIN_BY_NAME.get(r.model)?.product ?? '').replace(/\{(\w+)\}/g, (_, k: string) => String(r.params?.[k] ?? k))),
  );
  const [only] = names;
  return names.size === 1 && only ? only : 'the end-to-end matrix';
}

/** A title or label of the table with `{product}` filled in for these runs. */
export function fillLabel(text: string, runs: readonly RunModel[]): string {
  return text.includes('{product}') ? text.replace('{product}', productName(runs)) : text;
}

/** Numerical rank #{i : sᵢ > tol·s₁} of one vector of singular values (numeric/linalg.ts numericalRank). */
export function rankOf(sv: readonly number[], tol: number): number {
  if (sv.length === 0 || !(sv[0]! > 0)) return 0;
  let r = 0;
  for (const s of sv) if (s > tol * sv[0]!) r++;
  return r;
}
