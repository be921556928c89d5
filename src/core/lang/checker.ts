// The checker: syntax tree → CheckedProgram (src/core/program.ts), plus what the editor features
// need (every site of every name, identifiers read as words, families' swept parameters).
//
// Phase 1 resolves each definition on its own: names, types, ranges, canonical arguments (every
// parameter present, defaults filled, positional arguments named, linspace/logspace evaluated).
// Phase 2 looks across definitions: cycles, model/data/metric compatibility, families and
// selections, domain warnings (rank deficiency, GD stability, cost), plots.
import type { Arg, CallExpr, DefStmt, Expr, FileNode, Ident, ListExpr, Span } from './ast';
import type { Category, CheckedProgram, ClaimDef, Definition, Diagnostic, PlotDef, Severity, Value } from '../program';
import {
  BUILTINS, BUILTIN_BY_NAME, KIND_LABEL, RESERVED, describeType, findParam, withArticle,
  type Builtin, type NodeKind, type ParamSpec,
} from './builtins';
import { didYouMean } from './suggest';
import { LineIndex, printable } from './text';
import { parse } from './parser';
import { domainChecks, type DomainHooks } from './domain';
import { checkFileBudget, costsOf } from './budget';
import { resolvePlot } from './plots';
import { resolveClaim } from './claims';
import { axisLabels, listAxis, renamedFor, runAxis, sameNumber, type AxisId } from '../resolve/axes';
import { analyseGraph, cycleThrough } from './depgraph';

export type CallValue = Extract<Value, { kind: 'call' }>;

export interface NameSite extends Span {
  name: string;
  role: 'def' | 'ref' | 'select';
}

export interface CheckOptions extends DomainHooks {}

/** Everything the editor features need about one version of a document. */
export interface Analysis {
  text: string;
  lines: LineIndex;
  tree: FileNode;
  program: CheckedProgram;
  /** the (first) definition statement of each name */
  defs: Map<string, DefStmt>;
  categories: Map<string, Category | 'unknown'>;
  /** every occurrence of a definition's name: where it is defined and where it is used */
  sites: NameSite[];
  /** identifiers read as words from a fixed set (`W1`, `log`, `lr` in `x = lr`) */
  words: Span[];
  /** the swept parameters of each family definition, with their values */
  axes: Map<string, Map<string, number[]>>;
  /** estimated time of each run definition (its members summed), when the hooks estimate it */
  costs?: Map<string, { runs: number; seconds: number }>;
  /** GD's stability limit 2/λ_max met by a stepsize, by the span of the `lr` value it was checked on */
  stability?: StabilityNote[];
}

/** A stepsize checked against GD's stability limit (domain.ts): where the value is written, the limit. */
export interface StabilityNote {
  start: number;
  end: number;
  /** 2/λ_max(XᵀX) */
  limit: number;
  lambda: number;
  /** where λ_max comes from: this data set, or the Marchenko–Pastur edge */
  source: string;
  /** a diagonal network: the limit is the linear model's, the network's own may differ */
  diagonal: boolean;
  /** how the limit is formed, when it is not 2/λ_max(XᵀX) (linear2 at initialisation) */
  form?: string;
}

interface RawDiag {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  code: string;
  related?: { start: number; end: number; message: string }[];
  data?: unknown;
}

/** One swept parameter of a family (resolve/axes.ts, shared with lowering), with its values. */
export interface Axis extends AxisId {
  values: number[];
  /** where the list is written */
  site: Span | null;
}

/** A resolved call together with its syntax, for the cross-definition checks of phase 2. */
/** A selection awaiting phase 2: its pairs, each with the syntax to report at. */
export interface SelectCheck {
  node: Extract<Expr, { kind: 'select' }>;
  items: { param: Ident; value: Expr; number: number }[];
  owner: string | null;
}

export interface CallSite {
  builtin: Builtin;
  value: CallValue;
  node: CallExpr;
  /** the argument node of each given parameter */
  args: Map<string, Arg>;
  /** the definition it sits in */
  owner: string | null;
}

const MAX_DIAGNOSTICS = 500;
/** related sites listed by one diagnostic; the rest are counted */
const MAX_RELATED = 10;
/**
 * Deepest chain of definitions referring to one another that the checker follows. Its walks
 * (categories, shapes, axes) and the lowering recurse once per link; hand-written files stay
 * below 10, and 256 links keep the stack far from its limit.
 */
export const MAX_CHAIN = 256;
const NODE_KINDS = new Set<string>(['data', 'model', 'optimizer', 'init', 'schedule', 'run']);
const CONSTRUCTOR_KINDS = new Set<string>(['data', 'model', 'optimizer', 'init', 'schedule', 'run', 'value']);

export function check(text: string, opts: CheckOptions = {}): Analysis {
  return new Checker(text, opts).run();
}

export class Checker {
  readonly lines: LineIndex;
  readonly tree: FileNode;
  readonly diags: RawDiag[] = [];
  /** range, code and message of every diagnostic reported, to say each once */
  private readonly said = new Set<string>();
  readonly defs = new Map<string, DefStmt>();
  readonly categories = new Map<string, Category | 'unknown'>();
  readonly values = new Map<string, Value>();
  readonly deps = new Map<string, string[]>();
  readonly sites: NameSite[] = [];
  readonly words: Span[] = [];
  readonly calls: CallSite[] = [];
  readonly axes = new Map<string, Map<string, number[]>>();
  /** stepsizes checked against GD's stability limit (domain.ts) */
  readonly stability: StabilityNote[] = [];
  /** definitions with an error of their own */
  readonly invalid = new Set<string>();
  /** definitions not followed: members of cycles, and the ends of chains deeper than MAX_CHAIN */
  readonly cut = new Set<string>();
  current: { name: string | null; deps: string[] } = { name: null, deps: [] };
  seed = 0;

  constructor(readonly text: string, readonly opts: CheckOptions) {
    this.lines = new LineIndex(text);
    this.tree = parse(text);
  }

  // ---------------- diagnostics ----------------
  report(span: Span, severity: Severity, code: string, message: string, extra: Partial<RawDiag> = {}): void {
    if (severity === 'error' && this.current.name) this.invalid.add(this.current.name);
    // a definition shared by several runs (a model with an init it does not take) is found faulty
    // from each of them: the same words at the same place are said once (each run stays invalid)
    const key = `${span.start}:${span.end}:${severity}:${code}:${message}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.diags.push({ start: span.start, end: span.end, severity, code, message, ...extra });
  }
  error(span: Span, code: string, message: string, extra: Partial<RawDiag> = {}): void {
    this.report(span, 'error', code, message, extra);
  }

  run(): Analysis {
    for (const e of this.tree.errors) this.diags.push({ start: e.start, end: e.end, severity: 'error', code: e.code, message: e.message });
    this.collectNames();
    const definitions: Definition[] = [];
    for (const s of this.tree.statements) {
      if (s.kind !== 'def' || this.defs.get(s.name.name) !== s) continue;
      this.current = { name: s.name.name, deps: [] };
      const resolved = this.resolveTop(s);
      // a cut definition is checked on its own but is never followed by the later walks
      const value: Value = this.cut.has(s.name.name) ? { kind: 'null' } : resolved;
      this.values.set(s.name.name, value);
      this.deps.set(s.name.name, this.current.deps);
      const cat = this.categories.get(s.name.name)!;
      definitions.push({
        name: s.name.name,
        range: this.lines.range(s.start, s.end),
        nameRange: this.lines.range(s.name.start, s.name.end),
        category: cat === 'unknown' ? 'value' : cat,
        value,
        deps: this.current.deps,
      });
    }
    for (const s of this.tree.statements) {
      if (s.kind === 'expr') {
        this.current = { name: null, deps: [] };
        this.visitLoose(s.value);
      }
    }
    this.current = { name: null, deps: [] };
    for (const d of definitions) this.axesOf(d.name);
    for (const sel of this.pendingSelects.splice(0)) {
      this.current = { name: sel.owner, deps: [] };
      this.checkSelect(sel);
    }
    this.current = { name: null, deps: [] };
    for (const c of this.calls) {
      this.current = { name: c.owner, deps: [] };
      domainChecks(this, c);
    }
    checkFileBudget(this);
    this.current = { name: null, deps: [] };
    const plots: PlotDef[] = [];
    for (const s of this.tree.statements) {
      if (s.kind !== 'plot') continue;
      this.current = { name: null, deps: [] };
      const p = resolvePlot(this, s.value, plots.length, s);
      if (p) plots.push(p);
    }
    const claims: ClaimDef[] = [];
    for (const s of this.tree.statements) {
      if (s.kind !== 'expect') continue;
      const cl = resolveClaim(this, s, claims.length);
      if (cl) claims.push(cl);
    }
    this.current = { name: null, deps: [] };
    // invalid definitions: the error lives in their range, which is how the graph finds it
    const sorted = this.diags.sort((a, b) => a.start - b.start || a.end - b.end);
    const anyError = sorted.some((d) => d.severity === 'error');
    // a file of junk can produce one error per token: the editor gets the first MAX_DIAGNOSTICS
    if (sorted.length > MAX_DIAGNOSTICS) {
      const more = sorted.length - MAX_DIAGNOSTICS;
      sorted.length = MAX_DIAGNOSTICS;
      const last = sorted[MAX_DIAGNOSTICS - 1];
      sorted.push({ start: last.start, end: last.end, severity: 'info', code: 'too-many', message: `${more} more problems are not shown` });
    }
    const diagnostics = sorted
      .map((d): Diagnostic => {
        // messages quote the user's text: never with raw controls or invisible characters
        const out: Diagnostic = { range: this.lines.range(d.start, d.end), severity: d.severity, message: printable(d.message), code: d.code };
        if (d.related) out.related = d.related.map((r) => ({ range: this.lines.range(r.start, r.end), message: printable(r.message) }));
        if (d.data !== undefined) out.data = d.data;
        return out;
      });
    const program: CheckedProgram = {
      seed: this.seed,
      definitions,
      plots,
      ...(claims.length ? { claims } : {}),
      diagnostics,
      ok: !anyError,
    };
    for (const d of definitions) {
      const ax = this.axes.get(d.name);
      // an axis a run brings to its offshoot (resolve/axes.ts runAxis) is the parent's parameter:
      // said so, since the offshoot's own parameter of that name may have another value
      const detail = this.axisDetail.get(d.name);
      if (ax && ax.size) d.family = [...ax].map(([param, values]) => {
        const from = detail?.get(param);
        return from?.id.startsWith('run:') ? { param, values, from: from.owner } : { param, values };
      });
    }
    return {
      text: this.text, lines: this.lines, tree: this.tree, program, defs: this.defs, categories: this.categories,
      sites: this.sites, words: this.words, axes: this.axes, costs: costsOf(this), stability: this.stability,
    };
  }

  // ---------------- names ----------------
  private collectNames(): void {
    const all = new Map<string, DefStmt[]>();
    let seedStmt: DefStmt | null = null;
    for (const s of this.tree.statements) {
      if (s.kind !== 'def') continue;
      const name = s.name.name;
      if (name === 'seed') {
        if (seedStmt) {
          this.error(s.name, 'duplicate', "the root seed is set twice", {
            related: [{ start: seedStmt.name.start, end: seedStmt.name.end, message: 'first set here' }],
          });
        } else seedStmt = s;
        continue;
      }
      this.sites.push({ name, role: 'def', start: s.name.start, end: s.name.end });
      const list = all.get(name) ?? [];
      list.push(s);
      all.set(name, list);
    }
    if (seedStmt) this.rootSeed(seedStmt);
    for (const [name, list] of all) {
      this.defs.set(name, list[0]);
      if (list.length > 1) this.reportDuplicates(name, list);
      const first = list[0];
      const b = BUILTIN_BY_NAME.get(name);
      if (RESERVED.has(name)) this.error(first.name, 'reserved', `'${name}' is a reserved word and cannot be defined`);
      else if (b && (b.kind === 'metric' || b.kind === 'plot')) {
        this.error(first.name, 'shadows-builtin', `'${name}' shadows the built-in ${KIND_LABEL[b.kind]} ${name}(…), which plots read as a bare name: choose another name`);
      }
    }
    this.checkChains();
    for (const name of this.defs.keys()) this.categoryOf(name, new Set());
  }

  /**
   * Cycles and over-deep chains, from the references written in each definition (before any
   * walk follows them): their definitions are cut, so every later walk is shallow.
   */
  private checkChains(): void {
    const refs = new Map<string, string[]>();
    for (const [name, s] of this.defs) refs.set(name, refsIn(s.value, this.defs));
    const edges = (n: string) => refs.get(n) ?? [];
    const facts = analyseGraph(this.defs.keys(), edges);
    for (const members of facts.cycles) {
      const set = new Set(members);
      const path = cycleThrough(members[0], set, edges);
      const onPath = new Set(path);
      const shown = chainText([...path, path[0]]);
      for (const m of members) {
        this.cut.add(m);
        const s = this.defs.get(m)!;
        const others = members.filter((o) => o !== m);
        const related = others.slice(0, MAX_RELATED).map((o) => ({ start: this.defs.get(o)!.name.start, end: this.defs.get(o)!.name.end, message: `'${o}' is part of the cycle` }));
        if (others.length > MAX_RELATED) related[MAX_RELATED - 1].message += ` (and ${others.length - MAX_RELATED} more definitions)`;
        this.current = { name: m, deps: [] };
        this.error(s.name, 'cycle', onPath.has(m) ? `cycle: ${shown}` : `'${m}' refers back to itself through the cycle ${shown}`, { related });
      }
    }
    for (const [name, d] of facts.depth) {
      if (d <= MAX_CHAIN) continue;
      this.cut.add(name);
      this.invalid.add(name);
      // one error, at the first definition past the limit: the deeper ones depend on it
      if (d !== MAX_CHAIN + 1) continue;
      const chain: string[] = [name];
      for (let n = facts.via.get(name); n !== undefined; n = facts.via.get(n)) chain.push(n);
      this.current = { name, deps: [] };
      this.error(this.defs.get(name)!.name, 'chain-too-deep', `definition chain deeper than ${MAX_CHAIN}: '${name}' refers through ${d - 1} definitions (${chainText(chain)}); shorten the chain`);
    }
    this.current = { name: null, deps: [] };
  }

  /**
   * One error per group of definitions of a name, on the first redefinition (the first definition
   * is the one used). One per site, each listing all the others, was quadratic: 8,000 copies of
   * `x = 1` made 64 million related entries. The lines and the related sites are capped.
   */
  private reportDuplicates(name: string, list: DefStmt[]): void {
    const line = (s: DefStmt) => this.lines.position(s.start).line + 1;
    const rest = list.length - 1 - MAX_RELATED;
    const lines = list.slice(0, MAX_RELATED + 1).map(line).join(', ') + (rest > 0 ? `, … and ${rest} more` : '');
    const related = list.slice(0, MAX_RELATED + 1).filter((o) => o !== list[1]).map((o) => ({
      start: o.name.start, end: o.name.end, message: o === list[0] ? `'${name}' is first defined here (the definition used)` : `'${name}' is also defined here`,
    }));
    if (rest > 0) {
      const next = list[MAX_RELATED + 1].name;
      related.push({ start: next.start, end: next.end, message: `'${name}' is defined ${rest} more times from here on` });
    }
    this.error(list[1].name, 'duplicate', `'${name}' is defined ${list.length} times (on lines ${lines}): only the first definition is used`, { related });
  }

  private rootSeed(s: DefStmt): void {
    const v = s.value;
    if (v.kind === 'number' && Number.isInteger(v.value) && v.value >= 0 && v.value <= Number.MAX_SAFE_INTEGER) this.seed = v.value;
    else if (v.kind === 'list') this.error(v, 'type', 'the root seed is one whole number; to make a family over seeds put `seed = [1, 2, 3]` on a run, model or data set');
    else if (v.kind !== 'missing' && v.kind !== 'error') this.error(v, 'type', `the root seed must be a whole number ≥ 0`);
  }

  /** Shallow category of a definition, from the shape of its expression. */
  categoryOf(name: string, seen: Set<string>): Category | 'unknown' {
    const known = this.categories.get(name);
    if (known) return known;
    const s = this.defs.get(name);
    if (this.cut.has(name)) {
      this.categories.set(name, 'unknown');
      return 'unknown';
    }
    if (!s || seen.has(name)) return 'unknown';
    seen.add(name);
    let cat: Category | 'unknown' = 'unknown';
    const e = s.value;
    if (e.kind === 'call') {
      const b = BUILTIN_BY_NAME.get(e.callee.name);
      cat = b && CONSTRUCTOR_KINDS.has(b.kind) ? (b.kind as Category) : 'unknown';
    } else if (e.kind === 'number' || e.kind === 'list' || e.kind === 'string' || e.kind === 'bool') cat = 'value';
    else if (e.kind === 'ident') {
      const t = this.categoryOf(e.name, seen);
      cat = t === 'value' ? 'value' : 'unknown';
    }
    this.categories.set(name, cat);
    return cat;
  }

  /** Shape of a value definition, for type checks against numeric / matrix / string parameters. */
  valueShape(name: string, seen = new Set<string>()): 'number' | 'list' | 'matrix' | 'string' | 'bool' | 'unknown' {
    const s = this.defs.get(name);
    if (!s || seen.has(name) || this.cut.has(name)) return 'unknown';
    seen.add(name);
    const e = s.value;
    switch (e.kind) {
      case 'number':
        return 'number';
      case 'string':
        return 'string';
      case 'bool':
        return 'bool';
      case 'list':
        return e.items.some((i) => i.kind === 'list') ? 'matrix' : 'list';
      case 'call':
        return e.callee.name === 'linspace' || e.callee.name === 'logspace' ? 'list' : 'unknown';
      case 'ident':
        return this.valueShape(e.name, seen);
      default:
        return 'unknown';
    }
  }

  /** A reference to a top-level name: records the site and the edge; reports unknown names. */
  reference(id: Ident, role: 'ref' | 'select' = 'ref'): boolean {
    if (this.defs.has(id.name)) {
      this.sites.push({ name: id.name, role, start: id.start, end: id.end });
      if (!this.current.deps.includes(id.name)) this.current.deps.push(id.name);
      return true;
    }
    if (id.name === 'seed') {
      this.error(id, 'unknown-name', "'seed' is the file's root seed, not a value you can refer to");
      return false;
    }
    const suggestion = didYouMean(id.name, this.defs.keys());
    const b = BUILTIN_BY_NAME.get(id.name);
    let message = `unknown name '${id.name}'`;
    if (suggestion) message += `: did you mean '${suggestion}'?`;
    else if (b && CONSTRUCTOR_KINDS.has(b.kind)) message += `: the built-in ${id.name} is called with arguments, e.g. \`${b.example.replace(/^\w+ = /, '')}\``;
    this.error(id, 'unknown-name', message, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
    return false;
  }

  // ---------------- phase 1: one definition ----------------
  private resolveTop(s: DefStmt): Value {
    const e = s.value;
    switch (e.kind) {
      case 'call': {
        const b = this.lookupFunction(e.callee, CONSTRUCTOR_KINDS);
        if (!b) {
          this.visitArgsLoose(e);
          return { kind: 'null' };
        }
        if (b.kind === 'metric' || b.kind === 'plot') {
          this.error(e.callee, 'metric-outside-plot', `${b.name}(…) is ${withArticle(KIND_LABEL[b.kind])}: draw it with \`plot ${b.name}(…)\`, it cannot be a definition`);
          this.visitArgsLoose(e);
          return { kind: 'null' };
        }
        if (b.kind === 'value') return this.evalRange(e, b);
        return this.resolveCall(e, b);
      }
      case 'number':
        if (!Number.isFinite(e.value)) return { kind: 'null' };
        return { kind: 'number', value: e.value };
      case 'string':
        return { kind: 'string', value: e.value };
      case 'bool':
        return { kind: 'bool', value: e.value };
      case 'list': {
        if (e.items.some((i) => i.kind === 'list' || i.kind === 'hole')) return this.resolveMatrix(e) ?? { kind: 'null' };
        const items: Value[] = [];
        for (const it of e.items) {
          if (it.kind === 'number') items.push({ kind: 'number', value: it.value });
          else if (it.kind !== 'missing' && it.kind !== 'error') this.error(it, 'type', 'a list definition holds numbers');
        }
        if (e.items.length === 0) this.error(e, 'empty-list', 'an empty list makes a family with no members');
        return this.listAt({ kind: 'list', items }, e);
      }
      case 'ident': {
        if (!this.reference(e)) return { kind: 'null' };
        const cat = this.categories.get(e.name);
        if (cat !== 'value' && cat !== 'unknown') {
          this.error(e, 'alias', `'${s.name.name} = ${e.name}' only renames ${e.name}: use '${e.name}' directly`);
        }
        return { kind: 'ref', name: e.name };
      }
      case 'select':
        this.resolveSelect(e);
        this.error(e, 'alias', `a selection cannot be a definition of its own: write ${e.target.name}[…] where it is used`);
        return { kind: 'null' };
      case 'hole':
        this.error(e, 'type', "'?' marks a missing entry inside a completion matrix");
        return { kind: 'null' };
      default:
        return { kind: 'null' };
    }
  }

  /** Idents of a statement that is not checked further: still recorded so navigation works. */
  visitLoose(e: Expr): void {
    if (e.kind === 'ident') {
      if (this.defs.has(e.name)) this.reference(e);
    } else if (e.kind === 'call') this.visitArgsLoose(e);
    else if (e.kind === 'list') e.items.forEach((i) => this.visitLoose(i));
    else if (e.kind === 'select') {
      if (this.defs.has(e.target.name)) this.reference(e.target, 'select');
      for (const it of [e, ...e.more]) if (it.value) this.visitLoose(it.value);
    }
  }
  visitArgsLoose(e: CallExpr): void {
    for (const a of e.args) this.visitLoose(a.value);
  }

  lookupFunction(callee: Ident, kinds: Set<string> | null): Builtin | null {
    const b = BUILTIN_BY_NAME.get(callee.name);
    if (b) return b;
    const pool = BUILTINS.filter((x) => !kinds || kinds.has(x.kind)).map((x) => x.name);
    const suggestion = didYouMean(callee.name, pool) ?? didYouMean(callee.name, BUILTIN_BY_NAME.keys());
    const defined = this.defs.has(callee.name);
    let message = `unknown function '${callee.name}'`;
    if (suggestion) message += `: did you mean '${suggestion}'?`;
    else if (defined) message += `: '${callee.name}' is a definition, not a function`;
    this.error(callee, 'unknown-function', message, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
    return null;
  }

  /** Map the arguments of a call to parameters; report unknown, repeated, misplaced ones. */
  bindArgs(e: CallExpr, b: Builtin): { named: Map<string, Arg>; rest: Arg[] } {
    const named = new Map<string, Arg>();
    const rest: Arg[] = [];
    let positional = 0;
    let sawNamed = false;
    for (const a of e.args) {
      if (a.name) {
        sawNamed = true;
        const p = findParam(b, a.name.name);
        if (!p) {
          const free = b.params.filter((q) => !named.has(q.name)).map((q) => q.name);
          const suggestion = didYouMean(a.name.name, free) ?? didYouMean(a.name.name, b.params.map((q) => q.name));
          let message = `${b.name}(…) has no parameter '${a.name.name}'`;
          message += suggestion ? `: did you mean '${suggestion}'?` : `; its parameters: ${b.params.map((q) => q.name).join(', ')}`;
          // the parameter of a sibling built-in (`delta` given to gd): say where it belongs
          const owners = BUILTINS.filter((x) => x.kind === b.kind && x !== b && findParam(x, a.name!.name)).map((x) => `${x.name}(…)`);
          if (!suggestion && owners.length) message += ` ('${a.name.name}' belongs to ${owners.join(', ')})`;
          this.error(a.name, 'unknown-parameter', message, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
          this.visitLoose(a.value);
          continue;
        }
        const prev = named.get(p.name);
        if (prev) {
          this.error(a.name, 'duplicate-argument', `'${p.name}' is given twice`, {
            related: [{ start: prev.start, end: prev.end, message: 'first given here' }],
          });
          this.visitLoose(a.value);
          continue;
        }
        named.set(p.name, a);
      } else {
        // a missing or malformed argument was reported by the parser: not also misplaced
        if (a.value.kind === 'missing' || a.value.kind === 'error') continue;
        if (sawNamed) {
          this.error(a.value, 'positional-after-named', 'a positional argument cannot follow a named one: write `name = value`');
          this.visitLoose(a.value);
          continue;
        }
        const pname = b.positional[positional];
        if (pname !== undefined && !(b.variadic && b.kind === 'metric')) {
          positional++;
          if (named.has(pname)) {
            this.error(a.value, 'duplicate-argument', `'${pname}' is given twice`);
            continue;
          }
          named.set(pname, a);
        } else if (b.variadic) rest.push(a);
        else {
          this.error(a.value, 'too-many-arguments', `${b.name}(…) takes at most ${b.positional.length} positional argument${b.positional.length === 1 ? '' : 's'} (${b.positional.join(', ')}); name the others`);
          this.visitLoose(a.value);
        }
      }
    }
    return { named, rest };
  }

  /** A constructor call → canonical `call` value with every parameter present. */
  resolveCall(e: CallExpr, b: Builtin): CallValue {
    const { named } = this.bindArgs(e, b);
    const args: Record<string, Value> = {};
    const missing: ParamSpec[] = [];
    for (const p of b.params) {
      const a = named.get(p.name);
      if (a) {
        const v = this.resolveArg(a.value, p, b);
        if (v) args[p.name] = v;
        else if (p.default) args[p.name] = p.default;
      } else if (p.default !== undefined) args[p.name] = p.default;
      else if (p.optional) args[p.name] = { kind: 'null' };
      else missing.push(p);
    }
    if (missing.length) this.reportMissing(e, b, missing);
    const value: CallValue = { kind: 'call', builtin: b.name, args };
    this.calls.push({ builtin: b, value, node: e, args: named, owner: this.current.name });
    return value;
  }

  reportMissing(e: CallExpr, b: Builtin, missing: ParamSpec[]): void {
    // a call still being typed (its '(' is never closed, which is reported) is not yet missing
    // anything: the arguments probably come next
    if (e.close === null) return;
    const names = missing.map((p) => `'${p.name}'${p.unit && p.unit !== p.name ? ` (${p.unit})` : ''}`).join(', ');
    // the fix inserts `name = example` before the closing parenthesis
    const insertAt = e.close ?? e.end;
    const hasArgs = e.args.some((a) => a.value.kind !== 'missing' || a.name);
    const trailingComma = e.commas.length > 0 && e.commas[e.commas.length - 1] > (e.args.length ? e.args[e.args.length - 1].end - 1 : e.open);
    const parts = missing.map((p) => `${p.name} = ${placeholder(b, p)}`);
    const text = (hasArgs && !trailingComma ? ', ' : '') + parts.join(', ');
    this.error(e.callee, 'missing-argument', `${b.name}(…) needs ${names}`, {
      data: { fix: 'insert', position: this.lines.position(insertAt), text, title: `Add ${missing.map((p) => p.name).join(', ')}` },
    });
  }

  resolveArg(e: Expr, p: ParamSpec, owner: Builtin): Value | null {
    if (e.kind === 'missing' || e.kind === 'error') return null;
    const t = p.type;
    switch (t.t) {
      case 'number':
        return this.resolveNumeric(e, p, owner);
      case 'bool':
        if (e.kind === 'bool') return { kind: 'bool', value: e.value };
        if (e.kind === 'ident' && this.defs.has(e.name) && this.valueShape(e.name) === 'bool') {
          this.reference(e);
          return this.inlineValue(e.name);
        }
        this.typeError(e, p, owner);
        return null;
      case 'string':
        if (e.kind === 'string') return { kind: 'string', value: e.value };
        if (e.kind === 'ident' && this.defs.has(e.name) && this.valueShape(e.name) === 'string') {
          this.reference(e);
          return this.inlineValue(e.name);
        }
        this.typeError(e, p, owner);
        return null;
      case 'word':
        return this.resolveWord(e, p, t.words);
      case 'node':
        return this.resolveNode(e, p, t.kinds, owner);
      case 'interval': {
        // `[a, b]`: two numbers, a < b (negative numbers are single tokens of the lexer)
        if (e.kind === 'list' && e.items.length === 2 && e.items.every((i) => i.kind === 'number')) {
          const [a, b] = e.items.map((i) => (i as { value: number }).value) as [number, number];
          if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
            this.error(e, 'range', `'${p.name}' is a range [a, b] with a < b (got [${a}, ${b}])`);
            return null;
          }
          return { kind: 'list', items: [{ kind: 'number', value: a }, { kind: 'number', value: b }] };
        }
        this.error(e, 'type', `'${p.name}' takes a range of two numbers, e.g. ${p.name} = [0, 1]`);
        this.visitLoose(e);
        return null;
      }
      case 'matrix':
        if (e.kind === 'list') return this.resolveMatrix(e);
        if (e.kind === 'ident') {
          if (!this.reference(e)) return null;
          if (this.valueShape(e.name) !== 'matrix') {
            this.error(e, 'type', `'${p.name}' takes a matrix such as [[1, ?], [0.3, 1]]; '${e.name}' is not one`);
            return null;
          }
          return { kind: 'ref', name: e.name };
        }
        this.typeError(e, p, owner);
        return null;
      default:
        this.typeError(e, p, owner);
        return null;
    }
  }

  /** The literal value of a value definition (for plot options and bool/string parameters). */
  inlineValue(name: string, seen = new Set<string>()): Value | null {
    const s = this.defs.get(name);
    if (!s || seen.has(name) || this.cut.has(name)) return null;
    seen.add(name);
    const e = s.value;
    if (e.kind === 'number') return { kind: 'number', value: e.value };
    if (e.kind === 'string') return { kind: 'string', value: e.value };
    if (e.kind === 'bool') return { kind: 'bool', value: e.value };
    if (e.kind === 'ident') return this.inlineValue(e.name, seen);
    return null;
  }

  private typeError(e: Expr, p: ParamSpec, owner: Builtin): void {
    const got = describeExpr(e, this);
    // node types read as nouns (`takes an optimiser`); the others as a type (`takes number, > 0`)
    const want = p.type.t === 'node' ? withArticle(describeType(p.type)) : describeType(p.type);
    this.error(e, 'type', `'${p.name}' of ${owner.name}(…) takes ${want}, not ${got}`);
    this.visitLoose(e);
  }

  checkNumber(span: Span, x: number, p: ParamSpec, owner: Builtin): boolean {
    const t = p.type;
    if (t.t !== 'number') return false;
    // NaN only comes from a malformed literal (`1e`, `1e999`), which the lexer reported already
    if (Number.isNaN(x)) return false;
    if (!Number.isFinite(x)) {
      this.error(span, 'range', `'${p.name}' must be a finite number`);
      return false;
    }
    if (t.integer && !Number.isInteger(x)) {
      this.error(span, 'range', `'${p.name}' of ${owner.name}(…) must be a whole number (got ${x})`);
      return false;
    }
    const below = t.min !== undefined && (t.minExclusive ? x <= t.min : x < t.min);
    const above = t.max !== undefined && (t.maxExclusive ? x >= t.max : x > t.max);
    if (below || above) {
      this.error(span, 'range', `'${p.name}' of ${owner.name}(…) must be ${describeType({ ...t, schedule: false }).replace(/^(integer|number), /, '')} (got ${x})`);
      return false;
    }
    return true;
  }

  private resolveNumeric(e: Expr, p: ParamSpec, owner: Builtin): Value | null {
    // a stepsize schedule where a stepsize is accepted (`lr = cosine(0.1, 0.001)`, or a definition of one)
    if (p.type.t === 'number' && p.type.schedule) {
      if (e.kind === 'call' && BUILTIN_BY_NAME.get(e.callee.name)?.kind === 'schedule') return this.resolveNode(e, p, ['schedule'], owner);
      if (e.kind === 'ident' && this.categories.get(e.name) === 'schedule') return this.resolveNode(e, p, ['schedule'], owner);
    }
    if (e.kind === 'number') {
      if (!this.checkNumber(e, e.value, p, owner)) {
        // A size over its maximum (steps = 1e12, width = 1e9) is an error, but its value still
        // reaches the cost check, so the refusal also says what the run would cost.
        const t = p.type;
        const overSize = t.t === 'number' && t.integer && t.max !== undefined && Number.isInteger(e.value) && e.value > t.max;
        return overSize ? { kind: 'number', value: e.value } : null;
      }
      return { kind: 'number', value: e.value };
    }
    if (e.kind === 'list') {
      if (!p.sweep) {
        this.error(e, 'no-sweep', `'${p.name}' of ${owner.name}(…) takes one number, not a list`);
        return null;
      }
      if (e.items.length === 0) {
        this.error(e, 'empty-list', 'an empty list makes a family with no members');
        return null;
      }
      const items: Value[] = [];
      let ok = true;
      const seen = new Set<number>();
      for (const it of e.items) {
        if (it.kind !== 'number') {
          if (it.kind !== 'missing' && it.kind !== 'error') this.error(it, 'type', `a list given to '${p.name}' holds numbers`);
          ok = false;
          continue;
        }
        if (!this.checkNumber(it, it.value, p, owner)) ok = false;
        if (seen.has(it.value)) this.report(it, 'warning', 'duplicate-member', `${it.value} appears twice in the list: the family has a repeated member`);
        seen.add(it.value);
        items.push({ kind: 'number', value: it.value });
      }
      return ok ? this.listAt({ kind: 'list', items }, e) : null;
    }
    if (e.kind === 'call' && (e.callee.name === 'linspace' || e.callee.name === 'logspace')) {
      if (!p.sweep) {
        this.error(e, 'no-sweep', `'${p.name}' of ${owner.name}(…) takes one number, not a list`);
        return null;
      }
      const v = this.evalRange(e, BUILTIN_BY_NAME.get(e.callee.name)!);
      if (v.kind !== 'list') return null;
      let ok = true;
      for (const it of v.items) if (it.kind === 'number' && !this.checkNumber(e, it.value, p, owner)) { ok = false; break; }
      return ok ? v : null;
    }
    if (e.kind === 'ident') {
      if (!this.reference(e)) return null;
      const shape = this.valueShape(e.name);
      if (shape === 'number' || shape === 'list') {
        if (shape === 'list' && !p.sweep) {
          this.error(e, 'no-sweep', `'${p.name}' of ${owner.name}(…) takes one number; '${e.name}' is a list`);
          return null;
        }
        for (const x of this.numbersOfDef(e.name)) if (!this.checkNumber(e, x, p, owner)) return null;
        return { kind: 'ref', name: e.name };
      }
      const cat = this.categories.get(e.name);
      if (cat === 'unknown') return null;
      this.error(e, 'type', `'${p.name}' of ${owner.name}(…) takes ${describeType(p.type)}; '${e.name}' is ${cat === 'value' ? 'a value of another type' : withArticle(KIND_LABEL[cat as NodeKind])}`);
      return null;
    }
    this.typeError(e, p, owner);
    return null;
  }

  /** The numbers of a value definition, read from the syntax (no evaluation order needed). */
  numbersOfDef(name: string, seen = new Set<string>()): number[] {
    const s = this.defs.get(name);
    if (!s || seen.has(name) || this.cut.has(name)) return [];
    seen.add(name);
    const e = s.value;
    if (e.kind === 'number') return [e.value];
    if (e.kind === 'list') return e.items.flatMap((i) => (i.kind === 'number' ? [i.value] : []));
    if (e.kind === 'ident') return this.numbersOfDef(e.name, seen);
    if (e.kind === 'call' && (e.callee.name === 'linspace' || e.callee.name === 'logspace')) {
      const v = this.values.get(name);
      if (v?.kind === 'list') return v.items.flatMap((i) => (i.kind === 'number' ? [i.value] : []));
      return rangeFromSyntax(e);
    }
    return [];
  }

  private resolveWord(e: Expr, p: ParamSpec, words: string[]): Value | null {
    if (e.kind === 'ident') {
      if (words.includes(e.name)) {
        this.words.push({ start: e.start, end: e.end });
        return { kind: 'word', value: e.name };
      }
      const suggestion = didYouMean(e.name, words);
      this.error(e, 'unknown-word', `'${p.name}' is one of ${words.join(' | ')}, not '${e.name}'${suggestion ? `: did you mean '${suggestion}'?` : ''}`, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
      return null;
    }
    if (e.kind === 'string' && words.includes(e.value)) {
      this.error(e, 'quoted-word', `write ${e.value} without quotes: '${p.name}' takes a word`, { data: { fix: 'replace', replacement: e.value } });
      return null;
    }
    this.error(e, 'type', `'${p.name}' is one of ${words.join(' | ')}`);
    this.visitLoose(e);
    return null;
  }

  private resolveNode(e: Expr, p: ParamSpec, kinds: NodeKind[], owner: Builtin): Value | null {
    const want = kinds.map((k) => KIND_LABEL[k]).join(' or ');
    if (e.kind === 'ident') {
      if (!this.reference(e)) return null;
      const cat = this.categories.get(e.name);
      if (cat === 'unknown' || cat === undefined) return { kind: 'ref', name: e.name };
      if (!kinds.includes(cat as NodeKind)) {
        this.error(e, 'type', `'${p.name}' of ${owner.name}(…) takes ${withArticle(want)}; '${e.name}' is ${withArticle(cat === 'value' ? 'value' : KIND_LABEL[cat as NodeKind])}`);
        return null;
      }
      return { kind: 'ref', name: e.name };
    }
    if (e.kind === 'call') {
      const b = this.lookupFunction(e.callee, new Set(kinds));
      if (!b) {
        this.visitArgsLoose(e);
        return null;
      }
      if (!kinds.includes(b.kind as NodeKind)) {
        this.error(e.callee, 'type', `'${p.name}' of ${owner.name}(…) takes ${withArticle(want)}; ${b.name}(…) is ${withArticle(KIND_LABEL[b.kind])}`);
        this.visitArgsLoose(e);
        return null;
      }
      return this.resolveCall(e, b);
    }
    if (e.kind === 'select') {
      if (!kinds.includes('run')) {
        this.error(e, 'type', `'${p.name}' of ${owner.name}(…) takes ${withArticle(want)}, not a member of a family`);
        return null;
      }
      return this.resolveSelect(e);
    }
    if (e.kind === 'number' && p.name === 'init') {
      this.error(e, 'type', `'init' takes an initialisation: write gaussian(scale = ${e.value})`, {
        data: { fix: 'replace', replacement: `gaussian(scale = ${e.text})` },
      });
      return null;
    }
    this.typeError(e, p, owner);
    return null;
  }

  /** `gd[lr = 0.3]`, `r[lr = 0.1, delta = 2]`: the target is recorded now, the pairs validated in
   *  phase 2 (that needs the families). */
  resolveSelect(e: Extract<Expr, { kind: 'select' }>): Value | null {
    if (!this.reference(e.target, 'select')) return null;
    const where: { param: string; value: number }[] = [];
    const items: SelectCheck['items'] = [];
    let ok = true;
    for (const it of [e, ...e.more]) {
      // `r[lr = ` or `r[lr = @`: the parser reported the missing or malformed value
      if (!it.param || !it.value || it.value.kind === 'missing' || it.value.kind === 'error') {
        ok = false;
        continue;
      }
      let value: number | null = null;
      if (it.value.kind === 'number') value = it.value.value;
      else if (it.value.kind === 'ident' && this.defs.has(it.value.name) && this.valueShape(it.value.name) === 'number') {
        this.reference(it.value);
        value = this.numbersOfDef(it.value.name)[0] ?? null;
      } else {
        this.error(it.value, 'type', `a selection picks a member by a number: ${e.target.name}[${it.param.name} = 0.1]`);
        ok = false;
        continue;
      }
      if (value === null) {
        ok = false;
        continue;
      }
      if (where.some((w) => w.param === it.param!.name)) {
        this.error(it.param, 'duplicate-selection', `'${it.param.name}' is selected twice in ${e.target.name}[…]`);
        ok = false;
        continue;
      }
      where.push({ param: it.param.name, value });
      items.push({ param: it.param, value: it.value, number: value });
    }
    // the well-formed pairs are checked against the family even when another pair is not
    if (items.length) this.pendingSelects.push({ node: e, items, owner: this.current.name });
    if (!ok || where.length === 0) return null;
    return { kind: 'select', name: e.target.name, where };
  }
  readonly pendingSelects: SelectCheck[] = [];

  resolveMatrix(e: ListExpr): Value | null {
    const rows: (number | null)[][] = [];
    let ok = true;
    for (const r of e.items) {
      if (r.kind !== 'list') {
        if (r.kind !== 'missing' && r.kind !== 'error') this.error(r, 'type', 'a matrix is a list of rows: [[1, ?], [0.3, 1]]');
        ok = false;
        continue;
      }
      const row: (number | null)[] = [];
      for (const x of r.items) {
        if (x.kind === 'number') row.push(x.value);
        else if (x.kind === 'hole') row.push(null);
        else {
          if (x.kind !== 'missing' && x.kind !== 'error') this.error(x, 'type', 'a matrix entry is a number or ? (missing)');
          ok = false;
        }
      }
      rows.push(row);
    }
    if (!ok) return null;
    if (rows.length === 0 || rows[0].length === 0) {
      this.error(e, 'matrix-shape', 'the matrix is empty');
      return null;
    }
    const w = rows[0].length;
    const bad = rows.findIndex((r) => r.length !== w);
    if (bad >= 0) {
      this.error(e.items[bad], 'matrix-shape', `row ${bad + 1} has ${rows[bad].length} entries, row 1 has ${w}: a matrix is rectangular`);
      return null;
    }
    const observed = rows.flat().filter((x) => x !== null).length;
    if (observed === 0) this.error(e, 'matrix-empty', 'every entry is missing: nothing to learn from');
    return { kind: 'matrix', rows };
  }

  /** linspace / logspace, evaluated to a list of numbers. */
  evalRange(e: CallExpr, b: Builtin): Value {
    const v = this.resolveCall(e, b);
    const start = v.args.start;
    const stop = v.args.stop;
    const num = v.args.num;
    if (start?.kind !== 'number' || stop?.kind !== 'number' || num?.kind !== 'number') return { kind: 'null' };
    return this.listAt({ kind: 'list', items: spaced(b.name, start.value, stop.value, num.value).map((x) => ({ kind: 'number', value: x })) }, e);
  }

  // ---------------- phase 2 ----------------
  /** The call a value stands for, following references (and selections) to definitions. */
  callOf(v: Value | undefined, seen = new Set<string>()): CallValue | null {
    if (!v) return null;
    if (v.kind === 'call') return v;
    if (v.kind === 'ref' || v.kind === 'select') {
      if (seen.has(v.name)) return null;
      seen.add(v.name);
      return this.callOf(this.values.get(v.name), seen);
    }
    return null;
  }

  /** All numbers a numeric argument takes (one, or each member of a list). Memoised per value. */
  numbers(v: Value | undefined, seen?: Set<string>): number[] {
    if (!v) return [];
    if (v.kind === 'number') return [v.value];
    const memo = this.numbersMemo.get(v);
    if (memo) return memo;
    let out: number[] = [];
    if (v.kind === 'list') {
      for (const i of v.items) if (i.kind === 'number') out.push(i.value);
      else out.push(...this.numbers(i, seen));
    } else if (v.kind === 'ref') {
      const s = seen ?? new Set<string>();
      if (!s.has(v.name)) {
        s.add(v.name);
        out = this.numbers(this.values.get(v.name), s);
      }
    }
    this.numbersMemo.set(v, out);
    return out;
  }
  private readonly numbersMemo = new WeakMap<Value, number[]>();
  /** the call site of each resolved call value */
  siteOf(v: CallValue): CallSite | undefined {
    if (!this.siteMap) this.siteMap = new Map(this.calls.map((c) => [c.value, c]));
    return this.siteMap.get(v);
  }
  private siteMap: Map<CallValue, CallSite> | null = null;

  /** The model of a run, following offshoots (a run passed as the model). */
  modelOfRun(run: CallValue, seen = new Set<CallValue>()): CallValue | null {
    if (seen.has(run)) return null;
    seen.add(run);
    const m = this.callOf(run.args.model);
    if (!m) return null;
    if (m.builtin === 'train') return this.modelOfRun(m, seen);
    return m;
  }

  /**
   * Swept parameters of a definition (its own lists and those of what it references), labelled
   * as lowering labels member coordinates (resolve/axes.ts axisLabels): the parameter name, qualified (`r.lr`,
   * `gd.lr`, `data.seed`) when two axes share it. Keying by the bare name would merge two axes
   * into one (wrong member counts, selections the lowering cannot resolve).
   */
  axesOf(name: string, seen = new Set<string>()): Map<string, number[]> {
    const memo = this.axes.get(name);
    if (memo) return memo;
    const detail = this.labelledAxes(name, seen);
    const out = new Map([...detail].map(([k, ax]) => [k, ax.values]));
    this.axes.set(name, out);
    return out;
  }
  /** The labelled axes of a definition, with where each is swept (value definitions: none). */
  labelledAxes(name: string, seen = new Set<string>()): Map<string, Axis> {
    const memo = this.axisDetail.get(name);
    if (memo) return memo;
    const out = new Map<string, Axis>();
    if (this.categories.get(name) !== 'value') {
      const raw = [...this.rawAxes(name, seen).values()];
      const labels = axisLabels(raw);
      for (const ax of raw) out.set(labels.get(ax.id)!, ax);
    }
    this.axisDetail.set(name, out);
    return out;
  }
  private readonly axisDetail = new Map<string, Map<string, Axis>>();
  private readonly rawMemo = new Map<string, Map<string, Axis>>();
  /** The axes of a definition by identity, as lower.ts's expand produces them. */
  private rawAxes(name: string, seen: Set<string>): Map<string, Axis> {
    const memo = this.rawMemo.get(name);
    if (memo) return memo;
    const out = new Map<string, Axis>();
    if (seen.has(name) || this.cut.has(name)) return out; // a cycle or an over-deep chain (reported)
    seen.add(name);
    const v = this.values.get(name);
    if (v) this.expandAxes(v, name, name, name, out, seen);
    this.rawMemo.set(name, out);
    return out;
  }
  private expandAxes(v: Value, param: string, owner: string, path: string, out: Map<string, Axis>, seen: Set<string>): void {
    switch (v.kind) {
      case 'list': {
        const ax = listAxis(param, owner, path, this.categories.get(owner) === 'run');
        out.set(ax.id, { ...ax, values: this.numbers(v), site: this.listSites.get(v) ?? null });
        break;
      }
      case 'call':
        for (const k in v.args) {
          const a = v.args[k];
          if (a.kind === 'list' || a.kind === 'call' || a.kind === 'ref' || a.kind === 'select') this.expandAxes(a, k, owner, `${path}/${v.builtin}.${k}`, out, seen);
        }
        break;
      case 'ref':
      case 'select':
        // a list referenced twice is one axis (same id, members zipped); the later name wins, as
        // in resolve/axes.ts combine
        for (const ax of this.refAxes(v.name, param, seen)) if (v.kind === 'ref' || !v.where.some((w) => w.param === ax.name)) out.set(ax.id, ax);
        break;
    }
  }
  /** The axes a reference brings (lower.ts expandRef): a run's member labels, or a definition's axes. */
  private refAxes(name: string, param: string, seen: Set<string>): Axis[] {
    if (this.categories.get(name) === 'run') {
      return [...this.labelledAxes(name, seen)].map(([k, ax]) => ({ ...runAxis(name, k), values: ax.values, site: ax.site }));
    }
    const raw = [...this.rawAxes(name, seen).values()];
    // a bare list definition (`lrs`, or an alias of one) is named after the parameter it feeds
    if (this.categories.get(name) !== 'value') return raw;
    return raw.map((ax) => renamedFor(ax, param));
  }
  /** where each list value was written (for related information) */
  readonly listSites = new WeakMap<Value, Span>();
  private listAt(v: Value, at: Span): Value {
    this.listSites.set(v, { start: at.start, end: at.end });
    return v;
  }

  /** The axes of a family that carry the bare parameter name `param` but are labelled otherwise. */
  ambiguousAxes(name: string, param: string): [string, Axis][] {
    const out = [...this.labelledAxes(name)].filter(([k, ax]) => ax.name === param && k !== param);
    return out.length > 1 ? out : [];
  }
  /** Related information: where each of the ambiguous axes is swept. */
  ambiguitySites(axes: [string, Axis][]): { start: number; end: number; message: string }[] {
    return axes.filter(([, ax]) => ax.site).map(([k, ax]) => ({ start: ax.site!.start, end: ax.site!.end, message: `${k} is swept here` }));
  }

  /** Validate a selection `name[param = value, …]` against the family's members: each pair names
   *  an axis and one of its values (combinations that no member has are lowering's to report). */
  checkSelect(s: SelectCheck): boolean {
    const e = s.node;
    const name = e.target.name;
    const axes = this.axesOf(name);
    if (axes.size === 0) {
      this.error(e.target, 'not-a-family', `'${name}' is not a family (no parameter of it is given a list): there is nothing to select`);
      return false;
    }
    let ok = true;
    for (const it of s.items) {
      const xs = axes.get(it.param.name);
      const ambiguous = xs ? [] : this.ambiguousAxes(name, it.param.name);
      if (ambiguous.length) {
        this.error(it.param, 'ambiguous-axis', ambiguityMessage(name, it.param.name, ambiguous, 'a selection'), { related: this.ambiguitySites(ambiguous) });
        ok = false;
        continue;
      }
      if (!xs) {
        // qualified labels (`r.lr`) cannot be written in a selection: never suggest them
        const suggestion = didYouMean(it.param.name, [...axes.keys()].filter(nameable));
        this.error(it.param, 'unknown-axis', `'${name}' is not swept over '${it.param.name}'; its swept parameters: ${[...axes.keys()].join(', ')}${suggestion ? `. Did you mean '${suggestion}'?` : ''}`, suggestion ? { data: { fix: 'replace', replacement: suggestion } } : {});
        ok = false;
        continue;
      }
      // an axis whose values could not be read (a broken list, reported where it is written)
      if (!xs.length) {
        ok = false;
        continue;
      }
      if (!xs.some((x) => sameNumber(x, it.number))) {
        const nearest = xs.reduce((a, b) => (Math.abs(b - it.number) < Math.abs(a - it.number) ? b : a));
        // the value may be on another axis of the same bare name (`net.seed` beside the run's `seed`)
        const other = [...this.labelledAxes(name)].find(([k, ax]) => ax.name === it.param.name && k !== it.param.name && ax.values.some((x) => sameNumber(x, it.number)));
        const elsewhere = other ? ` (${other[0]}, another axis of ${name}, has ${fmt(it.number)}, but a selection cannot name it: sweep ${it.param.name} in one place to select by it)` : '';
        this.error(it.value, 'no-member', `'${name}' has no member with ${it.param.name} = ${it.number}; its values: ${xs.map(fmt).join(', ')}${elsewhere}`, {
          data: { fix: 'replace', replacement: fmt(nearest) },
        });
        ok = false;
      }
    }
    return ok;
  }

}

// ---------------- helpers ----------------

/** The definitions an expression refers to, read from the syntax (words such as `relu` excluded). */
function refsIn(e: Expr, defs: Map<string, DefStmt>): string[] {
  const out = new Set<string>();
  const walk = (x: Expr | null): void => {
    if (!x) return;
    if (x.kind === 'ident') {
      if (defs.has(x.name)) out.add(x.name);
    } else if (x.kind === 'list') x.items.forEach(walk);
    else if (x.kind === 'select') {
      if (defs.has(x.target.name)) out.add(x.target.name);
      for (const it of [x, ...x.more]) walk(it.value);
    } else if (x.kind === 'call') {
      const b = BUILTIN_BY_NAME.get(x.callee.name);
      let positional = 0;
      for (const a of x.args) {
        const pname = a.name ? a.name.name : b?.positional[positional++];
        const p = b && pname !== undefined ? findParam(b, pname) : undefined;
        if (p?.type.t === 'word' && a.value.kind === 'ident') continue;
        walk(a.value);
      }
    }
  };
  walk(e);
  return [...out];
}

/** `a → b → c`, the middle elided when long. */
function chainText(names: string[]): string {
  return names.length <= 8 ? names.join(' → ') : [...names.slice(0, 4), '…', ...names.slice(-3)].join(' → ');
}

/** Can a swept parameter's label be written as a NAME (`lr`), or is it qualified (`r.lr`)? */
export function nameable(label: string): boolean {
  return /^[A-Za-z_]\w*$/.test(label);
}

export function ambiguityMessage(family: string, param: string, axes: [string, Axis][], what: string): string {
  return `'${family}' sweeps ${axes.length} parameters named ${param} (${axes.map(([k]) => k).join(', ')}), so ${what} cannot tell them apart by the name '${param}': sweep ${param} in one place only`;
}

export { sameNumber };

export function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}


/** linspace / logspace (geometric, endpoints included); results rounded to 12 significant digits. */
export function spaced(kind: string, start: number, stop: number, num: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < num; i++) {
    const t = num === 1 ? 0 : i / (num - 1);
    const x = kind === 'logspace' ? start * Math.pow(stop / start, t) : start + t * (stop - start);
    out.push(Number(x.toPrecision(12)));
  }
  return out;
}

function rangeFromSyntax(e: CallExpr): number[] {
  const nums = e.args.map((a) => (a.value.kind === 'number' ? a.value.value : NaN));
  if (nums.length !== 3 || nums.some((x) => !Number.isFinite(x))) return [];
  return spaced(e.callee.name, nums[0], nums[1], Math.max(0, Math.min(10_000, Math.floor(nums[2]))));
}

function describeExpr(e: Expr, c: Checker): string {
  switch (e.kind) {
    case 'number':
      return `the number ${e.text}`;
    case 'string':
      return 'a string';
    case 'bool':
      return `${e.value}`;
    case 'list':
      return 'a list';
    case 'hole':
      return '?';
    case 'ident': {
      const cat = c.categories.get(e.name);
      return cat && cat !== 'unknown' ? `'${e.name}' (${withArticle(cat === 'value' ? 'value' : KIND_LABEL[cat as NodeKind])})` : `'${e.name}'`;
    }
    case 'call': {
      const b = BUILTIN_BY_NAME.get(e.callee.name);
      return b ? `${b.name}(…) (${withArticle(KIND_LABEL[b.kind])})` : `${e.callee.name}(…)`;
    }
    case 'select':
      return 'a family member';
    default:
      return 'this';
  }
}

/** An example value for a parameter, taken from the built-in's own example. */
export function placeholder(b: Builtin, p: ParamSpec): string {
  const m = new RegExp(`\\b${p.name} = ([^,()\\[\\]]+|\\w+\\([^)]*\\))`).exec(b.example);
  if (m) return m[1].trim();
  if (p.default?.kind === 'number') return String(p.default.value);
  if (p.type.t === 'number') return p.type.integer ? String(Math.max(1, p.type.min ?? 1)) : '1';
  if (p.type.t === 'word') return p.type.words[0];
  if (p.type.t === 'bool') return 'true';
  if (p.type.t === 'string') return '""';
  return p.name;
}

export { NODE_KINDS };
