// Lowering: the checked program (src/core/program.ts) → what the reactive graph computes.
//
//   * every `train(...)` definition becomes one run, or one run per member when a list appears
//     anywhere in its resolved arguments (a family; two lists make a grid);
//   * every run carries its RunSpec (src/core/spec.ts) and a content key: the hash of the spec,
//     which holds everything that determines the trajectory (built-ins, canonical numbers,
//     seeds, the parent run of an offshoot) and nothing else — no names, ranges or comments;
//   * an offshoot also carries the key of its own spec without its parent's (`own`): what it
//     reads of the parent is only the parent's final state, so the graph caches it under
//     offshootKeys(own, hash of that state) — a parent edit that leaves the state bit-identical
//     (a seed full-batch GD never draws from, its test-set size) finds the offshoot cached;
//   * every plot becomes a PlotSpec (src/core/results.ts) over run ids, plus a key of its own
//     options (the graph adds the value hashes of its runs to it).
//
// What each member means (its RunSpec, defaults included) is resolve/spec.ts's reading of the
// built-ins table; how its coordinates are labelled is resolve/axes.ts's, shared with the checker.
import { claimReads, type CheckedProgram, type ClaimDef, type Definition, type Diagnostic, type Range, type Value } from './program';
import type { PlotSpec } from './results';
import type { RunSpec } from './spec';
import { definitionKey, hashOf, ownKeys, plotKey, runKeys } from './keys';
import { ResolveError, resolveRun } from './resolve/spec';
import { axisLabels, combine, listAxis, matchesSelection, MAX_MEMBERS, memberId, renamedFor, runAxis, sameNumber, selectionText, type AxisId, type Member } from './resolve/axes';
import { plotSpec } from './resolve/plot';

export { memberId, plotSpec };
export { offshootKeys } from './keys';

export interface LoweredRun {
  /** display id: the definition name, or `name[lr=0.05]` for a family member */
  id: string;
  def: string;
  member: Record<string, number> | null;
  spec: RunSpec;
  /** content key of the run: hash(version, spec) */
  key: string;
  /** key of the same run with `steps` erased: runs sharing it are prefixes of each other */
  prefixKey: string;
  /** the run this offshoot continues from (id), or null */
  parent: string | null;
  /**
   * an offshoot's keys without its parent's spec: its own spec (the parent replaced by the depth
   * of the offshoot chain, which picks its noise stream), with and without `steps`. The cache key
   * is offshootKeys(own, parentState) once the parent's final state is known. Null for a run
   * started from its model's init.
   */
  own: { key: string; prefixKey: string } | null;
  range: Range;
  model: string;
  optimizer: string;
  params: Record<string, number | string | boolean | null>;
}

export interface LoweredPlot {
  id: string;
  index: number;
  range: Range;
  spec: PlotSpec;
  /** run ids drawn, in order (families expanded) */
  runIds: string[];
  /** hash of the plot's own content (built-in and options; never the run names) */
  defKey: string;
  /** its name in a graph view: its `title = …`, else `plot <built-in>` as written (`plot logdet`,
   *  `plot final loss`) */
  label: string;
}

export interface LoweredDef {
  name: string;
  category: Definition['category'];
  range: Range;
  /** content hash of the resolved definition (names of referenced definitions replaced by their content) */
  key: string;
  deps: string[];
  /** run ids of a run definition */
  runIds: string[];
  /** why it cannot be computed (an error diagnostic on it, or a lowering error) */
  error: string | null;
  /** name of a dependency whose error blocks this one */
  blockedBy: string | null;
}

/** An `expect` statement and the runs it reads (they are demanded like the runs of a plot). */
export interface LoweredClaim {
  claim: ClaimDef;
  runIds: string[];
}

export interface LoweredProgram {
  seed: number;
  defs: LoweredDef[];
  runs: LoweredRun[];
  plots: LoweredPlot[];
  claims: LoweredClaim[];
  /** errors found while lowering (normally the checker already reported them) */
  diagnostics: Diagnostic[];
}

/** Reserved (the keys are src/core/keys.ts's). */
export interface LowerOptions {}

// ---- resolved values: refs substituted, families expanded ----

type CV =
  | number
  | string
  | boolean
  | null
  | { call: string; args: Record<string, CV> }
  | { matrix: (number | null)[][] }
  | { run: LoweredRun };

/** one member of a value: `parents` are the run ids it continues from */
type Variant = Member<CV>;

class LowerError extends ResolveError {}


function rangeContains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

export function lowerProgram(program: CheckedProgram, opts: LowerOptions = {}): LoweredProgram {
  void opts;
  const byName = new Map(program.definitions.map((d) => [d.name, d]));
  const diagnostics: Diagnostic[] = [];
  const errors = program.diagnostics.filter((d) => d.severity === 'error');

  const defOut = new Map<string, LoweredDef>();
  const runsOf = new Map<string, LoweredRun[]>();
  const variantsMemo = new Map<string, Variant[]>();
  const keyMemo = new Map<string, string>();
  const allRuns: LoweredRun[] = [];
  const visiting = new Set<string>();

  // Content key of a definition: its value with every reference replaced by the referenced
  // definition's key, so a rename (which also renames the references) keeps every key.
  function defKey(name: string): string {
    const memo = keyMemo.get(name);
    if (memo) return memo;
    const d = byName.get(name);
    if (!d || visiting.has(name)) return hashOf({ missing: name });
    visiting.add(name);
    const strip = (v: Value): unknown => {
      switch (v.kind) {
        case 'ref':
          return { ref: defKey(v.name) };
        case 'select':
          // one pair keeps the layout it always had (definition keys unchanged)
          return v.where.length === 1 ? { select: defKey(v.name), param: v.where[0]!.param, value: v.where[0]!.value } : { select: defKey(v.name), where: v.where };
        case 'list':
          return { list: v.items.map(strip) };
        case 'call':
          // a data file's rows enter by their hash ($hash, resolve/spec.ts)
          return { call: v.builtin, args: Object.fromEntries(Object.entries(v.args).filter(([k]) => k !== '$values').map(([k, a]) => [k, strip(a)])) };
        default:
          return v;
      }
    };
    const key = definitionKey(program.seed, d.category, strip(d.value));
    visiting.delete(name);
    keyMemo.set(name, key);
    return key;
  }

  function ownError(d: Definition): string | null {
    const e = errors.find((x) => rangeContains(d.range, x.range));
    return e ? e.message : null;
  }

  // ---- expansion ----
  function expand(v: Value, param: string, owner: string, path: string): Variant[] {
    switch (v.kind) {
      case 'number':
      case 'string':
      case 'bool':
      case 'word':
        return [{ v: v.value, coords: new Map(), parents: [] }];
      case 'null':
        return [{ v: null, coords: new Map(), parents: [] }];
      case 'matrix':
        return [{ v: { matrix: v.rows }, coords: new Map(), parents: [] }];
      case 'list': {
        const axis = listAxis(param, owner, path, byName.get(owner)?.category === 'run');
        const out: Variant[] = [];
        for (const item of v.items) {
          if (item.kind !== 'number') throw new LowerError(`a list given to '${param}' must hold numbers`);
          out.push({ v: item.value, coords: new Map([[axis.id, { axis, value: item.value }]]), parents: [] });
        }
        if (out.length === 0) throw new LowerError(`the list given to '${param}' is empty`);
        return out;
      }
      case 'call': {
        const parts = Object.entries(v.args).map(([k, a]) => ({ key: k, vs: expand(a, k, owner, `${path}/${v.builtin}.${k}`) }));
        const combos = combine(parts);
        if (combos.length > MAX_MEMBERS) throw new LowerError(`family too large: ${combos.length} members (limit ${MAX_MEMBERS})`);
        return combos.map((c) => ({ v: { call: v.builtin, args: c.args }, coords: c.coords, parents: c.parents }));
      }
      case 'ref':
        return expandRef(v.name, param);
      case 'select': {
        const members = expandRef(v.name, param);
        const hit = members.filter((m) => v.where.every((w) => [...m.coords.values()].some((c) => c.axis.name === w.param && sameNumber(c.value, w.value))));
        if (hit.length === 0) throw new LowerError(`${v.name} has no member ${selectionText(v.where)}`);
        // the selected coordinates are fixed: drop them from the member's coordinates
        return hit.map((m) => ({ ...m, coords: new Map([...m.coords].filter(([, c]) => !v.where.some((w) => w.param === c.axis.name))) }));
      }
    }
  }

  function expandRef(name: string, param: string): Variant[] {
    const d = byName.get(name);
    if (!d) throw new LowerError(`unknown name '${name}'`);
    if (d.category === 'run') {
      const runs = lowerRunDef(d);
      return runs.map((r) => ({
        v: { run: r },
        coords: new Map(Object.entries(r.member ?? {}).map(([k, value]) => {
          const axis = runAxis(name, k);
          return [axis.id, { axis, value }];
        })),
        parents: [r.id],
      }));
    }
    const memo = variantsMemo.get(name);
    if (memo) return renameAxes(memo, param, d);
    if (visiting.has(name)) throw new LowerError(`'${name}' is defined in terms of itself`);
    visiting.add(name);
    try {
      const err = ownError(d);
      if (err) throw new LowerError(`'${name}' has an error: ${err}`);
      const vs = expand(d.value, param, name, name);
      variantsMemo.set(name, vs);
      return renameAxes(vs, param, d);
    } finally {
      visiting.delete(name);
    }
  }

  // Only through value definitions (`lrs`, or an alias `b = lrs`): `data = teacher(n = ns)`
  // passed as `data` keeps the coordinate `n`, not `data`.
  function renameAxes(vs: Variant[], param: string, d: Definition): Variant[] {
    if (d.category !== 'value') return vs;
    return vs.map((x) => ({ ...x, coords: new Map([...x.coords].map(([id, c]) => [id, { ...c, axis: renamedFor(c.axis, param) }])) }));
  }

  function lowerRunDef(d: Definition): LoweredRun[] {
    const memo = runsOf.get(d.name);
    if (memo) return memo;
    if (visiting.has(d.name)) throw new LowerError(`'${d.name}' is defined in terms of itself`);
    visiting.add(d.name);
    try {
      const err = ownError(d);
      if (err) throw new LowerError(err);
      const variants = expand(d.value, d.name, d.name, d.name);
      const axes = new Map<string, AxisId>();
      for (const v of variants) for (const c of v.coords.values()) axes.set(c.axis.id, c.axis);
      const labels = axisLabels([...axes.values()]);
      const runs = variants.map((v) => {
        const coords: Record<string, number> = {};
        for (const c of v.coords.values()) coords[labels.get(c.axis.id)!] = c.value;
        const member = v.coords.size ? coords : null;
        return buildRun(d, v.v, member, v.parents);
      });
      // member ids must be unique (two values that print alike): number the repeats
      const seen = new Map<string, number>();
      for (const r of runs) {
        const n = seen.get(r.id) ?? 0;
        seen.set(r.id, n + 1);
        if (n > 0) r.id = `${r.id}#${n + 1}`;
      }
      runsOf.set(d.name, runs);
      allRuns.push(...runs);
      return runs;
    } finally {
      visiting.delete(d.name);
    }
  }

  function buildRun(d: Definition, v: CV, member: Record<string, number> | null, parents: string[]): LoweredRun {
    const spec = resolveRun(v as never, program.seed);
    const from = v && typeof v === 'object' && 'call' in v && v.args.model && typeof v.args.model === 'object' && 'run' in v.args.model ? v.args.model.run : null;
    // keys.ts: the run's keys (the parent entering by its key), and an offshoot's keys without
    // its parent (what the stepping core reads of the parent is its final state)
    const { key, prefixKey } = runKeys(spec);
    const own: LoweredRun['own'] = from ? ownKeys(spec) : null;
    const id = memberId(d.name, member ?? {});
    const params: LoweredRun['params'] = {};
    // a schedule given as lr is not one number: its own parameters are not listed here
    for (const [k, x] of Object.entries(spec.optimizer)) if (k !== 'kind' && (typeof x === 'number' || x === null)) params[k] = x;
    params.steps = spec.steps;
    params.record = spec.record;
    params.seed = spec.seed;
    for (const k of ['width', 'depth', 'alpha'] as const) if (k in spec.model) params[k] = (spec.model as Record<string, unknown>)[k] as number;
    if ('init' in spec.model) params.scale = spec.model.init.scale;
    return {
      id, def: d.name, member, spec, key, prefixKey, parent: from ? from.id : parents[0] ?? null, own, range: d.range,
      model: spec.model.kind, optimizer: spec.optimizer.kind, params,
    };
  }

  // ---- definitions ----
  for (const d of program.definitions) {
    const ld: LoweredDef = { name: d.name, category: d.category, range: d.range, key: defKey(d.name), deps: d.deps, runIds: [], error: ownError(d), blockedBy: null };
    defOut.set(d.name, ld);
  }
  // blocked: a dependency (transitively) has an error
  const blockedMemo = new Map<string, string | null>();
  const blockedBy = (name: string, seen = new Set<string>()): string | null => {
    if (blockedMemo.has(name)) return blockedMemo.get(name)!;
    if (seen.has(name)) return null;
    seen.add(name);
    let out: string | null = null;
    for (const dep of byName.get(name)?.deps ?? []) {
      const dd = defOut.get(dep);
      if (!dd) continue;
      if (dd.error) { out = dep; break; }
      const b = blockedBy(dep, seen);
      if (b) { out = b; break; }
    }
    blockedMemo.set(name, out);
    return out;
  };
  for (const ld of defOut.values()) if (!ld.error) ld.blockedBy = blockedBy(ld.name);

  for (const d of program.definitions) {
    const ld = defOut.get(d.name)!;
    if (d.category !== 'run' || ld.error || ld.blockedBy) continue;
    try {
      ld.runIds = lowerRunDef(d).map((r) => r.id);
    } catch (e) {
      if (!(e instanceof ResolveError)) throw e;
      ld.error = e.message;
      diagnostics.push({ range: d.range, severity: 'error', message: e.message, code: 'lower' });
    }
  }
  // errors found while lowering block dependents too
  for (const ld of defOut.values()) {
    if (ld.error || ld.blockedBy || ld.category !== 'run') continue;
    blockedMemo.clear();
    const b = blockedBy(ld.name);
    if (b) { ld.blockedBy = b; ld.runIds = []; }
  }
  const validRuns = new Set(
    [...defOut.values()].filter((d) => !d.error && !d.blockedBy).flatMap((d) => d.runIds),
  );
  const runs = allRuns.filter((r) => validRuns.has(r.id));

  // ---- plots ----
  const plots: LoweredPlot[] = [];
  const runById = new Map(allRuns.map((r) => [r.id, r]));
  for (const p of program.plots) {
    if (errors.some((e) => rangeContains(p.range, e.range))) continue;
    try {
      const runIds: string[] = [];
      const drawn = new Set<string>();
      for (const r of p.runs) {
        if (r.kind !== 'ref' && r.kind !== 'select') throw new LowerError('a plot draws runs');
        const d = byName.get(r.name);
        const ld = defOut.get(r.name);
        if (ld && (ld.error || ld.blockedBy)) continue; // drawn without it; its own diagnostic says why
        if (!d || d.category !== 'run') throw new LowerError(`'${r.name}' is not a run`);
        const members = runsOf.get(r.name) ?? [];
        const picked = r.kind === 'ref' ? members : members.filter((m) => m.member && matchesSelection((param) => m.member![param], r.where));
        if (r.kind === 'select' && picked.length === 0) throw new LowerError(`${r.name} has no member ${selectionText(r.where)}`);
        for (const m of picked) if (!drawn.has(m.id)) drawn.add(m.id) && runIds.push(m.id);
      }
      const drawnRuns = runIds.map((id) => runById.get(id)!);
      const spec = plotSpec(p, runIds, drawnRuns.map((r) => r.member), drawnRuns);
      const label = p.options.title?.kind === 'string' ? p.options.title.value : `plot ${p.builtin === 'final' ? `final ${spec.metric}` : p.builtin}`;
      plots.push({ id: `plot#${p.index}`, index: p.index, range: p.range, spec, runIds, defKey: plotKey({ ...spec, runs: [] }), label });
    } catch (e) {
      if (!(e instanceof ResolveError)) throw e;
      diagnostics.push({ range: p.range, severity: 'error', message: e.message, code: 'lower' });
    }
  }
  // ---- claims: what they read; evaluated on the final results (src/core/claims.ts) ----
  const claims: LoweredClaim[] = [];
  for (const c of program.claims ?? []) {
    if (errors.some((e) => rangeContains(c.range, e.range))) continue;
    const runIds = new Set<string>();
    for (const r of [...claimReads(c.left), ...claimReads(c.right)].map((x) => x.run)) {
      if (r.kind !== 'ref' && r.kind !== 'select') continue;
      const members = runsOf.get(r.name) ?? [];
      for (const m of members) if (r.kind === 'ref' || (m.member && matchesSelection((k) => m.member?.[k], r.where))) runIds.add(m.id);
    }
    claims.push({ claim: c, runIds: [...runIds].filter((id) => validRuns.has(id)) });
  }
  return { seed: program.seed, defs: [...defOut.values()], runs, plots, claims, diagnostics };
}


