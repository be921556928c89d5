// A checked plot → its PlotSpec (src/core/results.ts): which result series it reads and its title,
// from the metric's entry in the built-ins table (resolve/metrics.ts).
import type { PlotDef, Value } from '../program';
import type { PlotSpec } from '../results';
import { BUILTIN_BY_NAME } from '../lang/builtins';
import { fillLabel, seriesFor, type RunModel } from './metrics';

function optWord(o: Value | undefined): string | null {
  if (!o) return null;
  if (o.kind === 'word' || o.kind === 'string') return o.value;
  if (o.kind === 'ref') return o.name;
  if (o.kind === 'call') return o.builtin; // `rank(tol = 1e-3)` as the metric of `final`
  return null;
}

/**
 * `members`: the member coordinates of the drawn runs (final's default x is the swept one);
 * `runs`: their models, for the name of an end-to-end matrix in the title.
 */
export function plotSpec(p: PlotDef, runIds: string[], members: (Record<string, number> | null)[] = [], runs: RunModel[] = []): PlotSpec {
  const o = p.options;
  const final = p.builtin === 'final';
  const name = final ? optWord(o.metric) ?? 'loss' : p.builtin;
  const metric = BUILTIN_BY_NAME.get(name);
  const words: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(o)) words[k] = optWord(v);
  const series = metric ? seriesFor(metric, words) : null;
  const key = series?.key ?? name;
  const kind: PlotSpec['kind'] = final ? 'final' : series?.byCoordinate ? 'gain' : 'series';
  // final's default x: the swept parameter (the first member coordinate)
  const x = optWord(o.x) ?? (final ? Object.keys(members.find((m) => m) ?? {})[0] ?? 'lr' : 'step');
  const what = series ? fillLabel(series.title, runs) : key;
  const title = o.title && o.title.kind === 'string' ? o.title.value : final ? `final ${what}` : what;
  const y = optWord(o.y) === 'log' ? 'log' : 'linear';
  const theory = o.theory?.kind === 'bool' ? o.theory.value : false;
  const top = o.top?.kind === 'number' ? o.top.value : null;
  const spec: PlotSpec = { title, kind, metric: key, runs: runIds, x, y, theory };
  if (key.startsWith('sv_') || top !== null) spec.top = top;
  // axis ranges, only when given (a plot without them keeps its spec, hence its key)
  for (const k of ['xlim', 'ylim'] as const) {
    const v = o[k];
    if (v?.kind === 'list' && v.items.length === 2 && v.items.every((i) => i.kind === 'number')) spec[k] = v.items.map((i) => (i as { value: number }).value) as [number, number];
  }
  if (series?.rankOf) {
    const dflt = metric?.params.find((q) => q.name === 'tol')?.default;
    spec.tol = o.tol?.kind === 'number' ? o.tol.value : dflt?.kind === 'number' ? dflt.value : undefined;
    if (words.of) spec.of = words.of;
  }
  return spec;
}
