// What a built-in call means, as a RunSpec (src/core/spec.ts): the one table-driven reading of
// the built-ins table (src/core/lang/builtins.ts). Lowering (src/core/lower.ts) resolves every
// member of a family with it, the cost check (src/core/lang/domain.ts) the largest member, so
// both see the same defaults: a default lives in its ParamSpec and nowhere else.
//
// A spec part is `{ kind: builtin, ...one field per parameter, in table order }`: parameter names
// are the spec's field names. The only rules not read from a ParamSpec's type are the run's:
// a run passed as `model` is an offshoot (it continues from that run's final parameters), and a
// data file's content (`csv`): the checker reads it through its hooks and attaches the rows and
// their hash to the call (`$values`, `$hash`; no file can write these names), carried here into
// the DataSpec, so the workers get the numbers and the keys the hash (keys.ts).
import type { Value } from '../program';
import type { RunSpec } from '../spec';
import { BUILTIN_BY_NAME, KIND_LABEL, withArticle, type Builtin, type BuiltinKind, type ParamSpec } from '../lang/builtins';

/** A resolved argument: family lists already expanded to one value, references substituted. */
export type Arg =
  | number
  | string
  | boolean
  | null
  | { call: string; args: Record<string, Arg | undefined> }
  | { matrix: (number | null)[][] }
  /** a run (given as a model: an offshoot) */
  | { run: { spec: RunSpec } };

export class ResolveError extends Error {}

/** A table default (a Value) as an Arg. */
export function argOf(v: Value): Arg {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
    case 'word':
      return v.value;
    case 'matrix':
      return { matrix: v.rows };
    case 'call':
      return { call: v.builtin, args: Object.fromEntries(Object.entries(v.args).map(([k, a]) => [k, argOf(a)])) };
    default:
      return null;
  }
}

/** The spec part of a call of a built-in of one of `kinds` (`{ kind: 'gd', lr, weight_decay }`). */
export function resolveCall(v: Arg | undefined, kinds: readonly BuiltinKind[]): Record<string, unknown> {
  if (!v || typeof v !== 'object' || !('call' in v)) throw new ResolveError(`missing or invalid ${kinds[0]}`);
  const b = BUILTIN_BY_NAME.get(v.call);
  if (!b || !kinds.includes(b.kind)) throw new ResolveError(`'${v.call}' is not ${withArticle(KIND_LABEL[kinds[0]!])}`);
  const out: Record<string, unknown> = b.kind === 'run' ? {} : { kind: b.name };
  for (const p of b.params) {
    const f = field(b, p, v.args[p.name], out);
    // a parameter added after keys were fixed is absent at its default (`momentum = 0`): the spec,
    // hence the key, of a run that does not use it is the one it had before the parameter existed
    if (p.omitWhen !== undefined && f === p.omitWhen) continue;
    out[p.name] = f;
  }
  if (b.name === 'csv') {
    const hash = v.args.$hash, values = v.args.$values;
    if (typeof hash !== 'string' || !values || typeof values !== 'object' || !('matrix' in values)) throw new ResolveError(`the data file '${String(out.path)}' was not read`);
    out.hash = hash;
    out.values = values.matrix;
  }
  return out;
}

function field(b: Builtin, p: ParamSpec, given: Arg | undefined, sofar: Record<string, unknown>): unknown {
  // a size read off a given matrix (completion: rows and cols of `observed`)
  if (p.sizeOf) {
    const m = sofar[p.sizeOf.matrix] as (number | null)[][] | null;
    if (m) return p.sizeOf.axis === 'rows' ? m.length : (m[0]?.length ?? 0);
  }
  const v = given === undefined || given === null ? (p.default ? argOf(p.default) : given) : given;
  const t = p.type;
  switch (t.t) {
    case 'number': {
      if ((v === null || v === undefined) && p.optional) return null;
      if (t.schedule && v && typeof v === 'object' && 'call' in v) return resolveCall(v, ['schedule']);
      if (typeof v !== 'number') throw new ResolveError(`parameter '${p.name}' needs a number`);
      if (t.integer && !Number.isInteger(v)) throw new ResolveError(`parameter '${p.name}' needs a whole number, got ${v}`);
      return v;
    }
    case 'word':
      if (typeof v === 'string' && t.words.includes(v)) return v;
      throw new ResolveError(`parameter '${p.name}' is one of ${t.words.join(', ')}`);
    case 'string':
      // a data file's path (csv): part of the spec as written, the content entering by its hash
      if (typeof v === 'string') return v;
      throw new ResolveError(`parameter '${p.name}' needs a string`);
    case 'matrix':
      return v && typeof v === 'object' && 'matrix' in v ? v.matrix : null;
    case 'node':
      // a run given where a run is accepted: kept whole (resolveRun makes it the offshoot's parent)
      if (v && typeof v === 'object' && 'run' in v && t.kinds.includes('run')) return v.run;
      return resolveCall(v, t.kinds);
    default:
      throw new ResolveError(`${b.name}(…): '${p.name}' is not part of a run`);
  }
}

/**
 * The RunSpec of a `train(...)` call. A run given as the model is an offshoot: it starts from the
 * parent's final parameters, so it takes the parent's model and records the parent as `from`.
 */
export function resolveRun(v: Arg | undefined, rootSeed: number): RunSpec {
  if (!v || typeof v !== 'object' || !('call' in v)) throw new ResolveError('missing or invalid train');
  if (v.call !== 'train') throw new ResolveError(`a run is a train(...) call, not ${v.call}(...)`);
  const f = resolveCall(v, ['run']);
  const parent = f.model && typeof f.model === 'object' && 'spec' in f.model ? (f.model as { spec: RunSpec }).spec : null;
  const spec = { rootSeed, ...f, model: parent ? parent.model : f.model, from: parent } as RunSpec;
  if (spec.steps < 0) throw new ResolveError('steps must be ≥ 0');
  // a schedule spanning the run (the row's `spansRun`: cosine) has the run's steps as its horizon
  // (part of the spec, hence of the key: a cosine run of another length is another run, not a
  // prefix of this one)
  const o = spec.optimizer as { lr?: unknown };
  if (o.lr && typeof o.lr === 'object' && BUILTIN_BY_NAME.get((o.lr as { kind: string }).kind)?.spansRun) o.lr = { ...(o.lr as object), horizon: spec.steps };
  return spec;
}
