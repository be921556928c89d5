// The models a file's runs train (linear2, diagonal, …), read off the checked program: what
// completion ranks metrics by and what a quick fix for an incompatible metric offers.
import type { CheckedProgram, Value } from '../program';
import { BUILTINS, type Builtin, type ModelKind } from './builtins';

const MODEL_KINDS: ReadonlySet<string> = new Set(BUILTINS.filter((b) => b.kind === 'model').map((b) => b.name));

/** The model kind a run value trains (following references and offshoots), or null. */
export function modelOfValue(v: Value | undefined, defs: ReadonlyMap<string, Value>, seen = new Set<string>()): ModelKind | null {
  if (!v) return null;
  if (v.kind === 'ref' || v.kind === 'select') {
    if (seen.has(v.name)) return null;
    seen.add(v.name);
    return modelOfValue(defs.get(v.name), defs, seen);
  }
  if (v.kind !== 'call') return null;
  if (MODEL_KINDS.has(v.builtin)) return v.builtin as ModelKind;
  return v.builtin === 'train' ? modelOfValue(v.args.model, defs, seen) : null;
}

/** The model kinds of the file's runs, in order of first appearance. */
export function fileModels(program: CheckedProgram): ModelKind[] {
  const defs = new Map(program.definitions.map((d) => [d.name, d.value]));
  const out: ModelKind[] = [];
  for (const d of program.definitions) {
    if (d.category !== 'run') continue;
    const m = modelOfValue(d.value, defs);
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** How well a metric (or plot) fits models: 0 every one, 1 some, 2 none (no models: 0). */
export function metricFit(b: Builtin, models: readonly ModelKind[]): 0 | 1 | 2 {
  if (!b.models || !models.length) return 0;
  const n = models.filter((m) => b.models!.includes(m)).length;
  return n === models.length ? 0 : n > 0 ? 1 : 2;
}

/** The metrics defined for a model, in table order. */
export function metricsFor(model: ModelKind): Builtin[] {
  return BUILTINS.filter((b) => b.kind === 'metric' && b.models?.includes(model));
}
