// Completion, hover and signature help: all read the built-in table (builtins.ts).
import type { Analysis } from './checker';
import { nameable, placeholder } from './checker';
import {
  BUILTINS, BUILTIN_BY_NAME, CLAIM_BY_NAME, CLAIM_TERMS, KIND_LABEL, builtinMarkdown, describeType, paramLine, valueText,
  type Builtin, type BuiltinKind, type ModelKind, type ParamSpec,
} from './builtins';
import { fileModels, metricFit } from './fileModels';
import { lex } from './lexer';
import { isWordChar, locate } from './locate';
import type { Range } from '../program';

export type CompletionKind = 'function' | 'parameter' | 'word' | 'variable' | 'keyword' | 'snippet' | 'value';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** markdown */
  documentation?: string;
  /** text to insert (a snippet when `snippet` is true), replacing `range` */
  insertText: string;
  snippet?: boolean;
  range: Range;
  sortText?: string;
}

const CONSTRUCTOR_KINDS: BuiltinKind[] = ['data', 'model', 'optimizer', 'init', 'schedule', 'run', 'value'];

/** Is the offset inside a comment or a string? (No completion there.) */
function inCommentOrString(text: string, offset: number): boolean {
  // only the current line matters: comments and strings end at the line's end
  let ls = offset;
  while (ls > 0 && text[ls - 1] !== '\n' && text[ls - 1] !== '\r') ls--;
  let le = offset;
  while (le < text.length && text[le] !== '\n' && text[le] !== '\r') le++;
  for (const t of lex(text.slice(ls, le))) {
    const s = t.start + ls;
    const e = t.end + ls;
    if (t.kind === 'comment' && s < offset + 1 && offset >= s + 1) return true;
    if (t.kind === 'string' && s < offset && (offset < e || t.problem)) return true;
  }
  return false;
}

export function complete(a: Analysis, offset: number): CompletionItem[] {
  const text = a.text;
  offset = Math.max(0, Math.min(offset, text.length));
  if (inCommentOrString(text, offset)) return [];
  let ws = offset;
  while (ws > 0 && isWordChar(text.charCodeAt(ws - 1))) ws--;
  // a number being typed: nothing to suggest
  if (ws < offset && /^[0-9]/.test(text.slice(ws, offset))) return [];
  const range = a.lines.range(ws, offset);
  const loc = locate(a, offset);
  const items: CompletionItem[] = [];
  // the definition being written is not offered inside itself (that would be a cycle)
  const self = loc.stmt?.kind === 'def' ? loc.stmt.name.name : null;
  const defsOf = (cats: string[]) => [...a.categories].filter(([n, c]) => cats.includes(c) && n !== self).map(([n]) => n);

  const addBuiltin = (b: Builtin, sort = '1') =>
    items.push({
      label: b.name,
      kind: 'function',
      detail: `${KIND_LABEL[b.kind]} — ${b.summary}`,
      documentation: builtinMarkdown(b),
      insertText: callSnippet(b, a),
      snippet: true,
      range,
      sortText: sort + b.name,
    });
  const addName = (name: string, sort = '0') => {
    const s = a.defs.get(name);
    const d = a.program.definitions.find((x) => x.name === name);
    items.push({
      label: name,
      kind: 'variable',
      detail: d ? `${d.category}${d.family ? ` family over ${d.family.map((f) => f.param).join(', ')}` : ''}` : undefined,
      documentation: s ? '```sgdexp\n' + text.slice(s.start, s.end) + '\n```' : undefined,
      insertText: name,
      range,
      sortText: sort + name,
    });
  };
  const addWord = (w: string, doc?: string) => items.push({ label: w, kind: 'word', insertText: w, range, documentation: doc, sortText: '0' + w });

  // inside a selection `gd[lr = …]`
  if (loc.select) {
    const sel = loc.select;
    const axes = a.axes.get(sel.target.name);
    // the pair the cursor is in (`r[lr = 0.1, delta = |]`): the last one begun before it
    const pairs = [sel, ...sel.more];
    const cur = pairs.filter((it) => it.param && it.param.start <= offset).pop();
    const between = cur?.param ? text.slice(cur.param.end, offset) : '';
    const afterEq = !!cur?.param && offset > cur.param.end && between.includes('=') && !between.includes(',');
    if (axes) {
      // a qualified label (`r.lr`, two axes share the name) cannot be written in a selection;
      // a parameter already selected in another pair is not offered again
      const used = new Set(pairs.filter((it) => it !== cur || afterEq).flatMap((it) => (it.param ? [it.param.name] : [])));
      if (!afterEq) for (const p of [...axes.keys()].filter(nameable).filter((p) => !used.has(p))) items.push({ label: p, kind: 'parameter', insertText: `${p} = `, range, detail: `swept: ${axes.get(p)!.length} values` });
      else if (cur?.param) for (const x of axes.get(cur.param.name) ?? []) items.push({ label: String(x), kind: 'value', insertText: String(x), range });
    }
    return items;
  }

  const cc = loc.call;
  if (cc) {
    const b = cc.builtin;
    if (!b) return items;
    const valueOf = (p: ParamSpec | null) => {
      if (!p) return;
      const t = p.type;
      switch (t.t) {
        case 'word':
          t.words.forEach((w) => addWord(w, paramLine(p)));
          break;
        case 'bool':
          addWord('true');
          addWord('false');
          break;
        case 'number':
          for (const [n, c] of a.categories) if (c === 'value' && n !== self) addName(n);
          if (p.sweep) {
            addBuiltin(BUILTIN_BY_NAME.get('linspace')!, '2');
            addBuiltin(BUILTIN_BY_NAME.get('logspace')!, '2');
          }
          // a stepsize: a schedule fits too
          if (t.schedule) BUILTINS.filter((x) => x.kind === 'schedule').forEach((x) => addBuiltin(x, '3'));
          break;
        case 'node':
          defsOf(t.kinds).forEach((n) => addName(n));
          // a claim reads named runs only (a train(…) call there is an error)
          if (b.kind !== 'claim') BUILTINS.filter((x) => (t.kinds as string[]).includes(x.kind)).forEach((x) => addBuiltin(x));
          break;
        case 'matrix':
          items.push({ label: '[[1, ?], [0.3, 1]]', kind: 'snippet', insertText: '[[${1:1}, ?], [${2:0.3}, ${3:1}]]', snippet: true, range, detail: 'observed matrix, ? = missing' });
          break;
        case 'interval':
          items.push({ label: '[a, b]', kind: 'snippet', insertText: '[${1:0}, ${2:1}]', snippet: true, range, detail: 'axis range' });
          break;
        case 'metric': {
          const models = fileModels(a.program);
          // a value of the final state only (bias_gap) has no curve: slope/max/min of it are errors
          // and theory(…) is defined only where a metric has a theory rate (the checker's rule)
          const curveOnly = b.kind === 'claim' && b.name !== 'final';
          const fits = (x: Builtin) =>
            b.kind !== 'claim' || (b.name === 'theory' ? !!x.series?.some((y) => y.theoryRate) : !(curveOnly && x.series?.length && x.series.every((y) => y.endOfRun)));
          BUILTINS.filter((x) => x.kind === 'metric' && fits(x)).forEach((m) =>
            items.push({ label: m.name, kind: 'function', insertText: m.name, range, detail: m.summary + fitNote(m, models), documentation: builtinMarkdown(m), sortText: `${1 + metricFit(m, models)}${m.name}` }));
          break;
        }
        case 'swept': {
          const names = new Set<string>();
          for (const x of cc.call.args) if (!x.name && x.value.kind === 'ident') for (const k of a.axes.get(x.value.name)?.keys() ?? []) if (nameable(k)) names.add(k);
          names.forEach((w) => addWord(w, 'a parameter swept by the plotted families'));
          break;
        }
      }
    };
    const runs = () => {
      const listed = new Set(cc.call.args.filter((x) => x !== cc.arg && !x.name && x.value.kind === 'ident').map((x) => (x.value as { name: string }).name));
      for (const n of defsOf(['run'])) {
        if (listed.has(n)) continue;
        addName(n);
        const ax = a.axes.get(n);
        if (ax) for (const [p, xs] of ax) if (nameable(p)) items.push({ label: `${n}[${p} = …]`, kind: 'snippet', insertText: `${n}[${p} = \${1:${xs[0]}}]`, snippet: true, range, detail: `one member of ${n}`, sortText: '1' + n });
      }
    };
    if (cc.namesOnly || (cc.arg && cc.arg.name && !cc.inValue)) {
      // completing a parameter name
      paramNames(b, cc.given, cc.arg?.name?.name ?? (cc.arg?.value.kind === 'ident' ? cc.arg.value.name : null)).forEach((p) => items.push(paramItem(p, range, b)));
      return items;
    }
    if (cc.arg && cc.arg.name && cc.inValue) {
      valueOf(cc.param);
      return items;
    }
    // a positional slot (new, or an identifier being typed): parameter names and values
    const typing = cc.arg ? text.slice(cc.arg.start, offset) : '';
    const isIdentLike = /^[A-Za-z_]\w*$/.test(typing) || typing === '';
    if (cc.variadic) runs();
    else valueOf(cc.param);
    if (isIdentLike) paramNames(b, cc.given, null).forEach((p) => items.push(paramItem(p, range, b)));
    return items;
  }

  // statement level
  const stmt = loc.stmt;
  if (!stmt || (stmt.kind === 'expr' && stmt.value.kind === 'ident') || (stmt.kind === 'def' && offset <= stmt.name.end)) {
    // the start of a statement: `plot`, or a new definition
    items.push({ label: 'plot', kind: 'keyword', insertText: 'plot ', range, detail: 'draw a metric of runs in the preview', sortText: '0plot' });
    items.push({ label: 'expect', kind: 'keyword', insertText: 'expect ', range, detail: 'a claim checked against the results on every run', sortText: '0expect' });
    if (!a.program.definitions.length || !a.defs.has('seed')) items.push({ label: 'seed', kind: 'keyword', insertText: 'seed = ${1:0}', snippet: true, range, detail: "the file's root seed", sortText: '1seed' });
    return items;
  }
  if (stmt.kind === 'plot') {
    if (offset <= stmt.keyword.end) return items;
    // the metrics defined for every model the file trains first, then for some, then the rest
    const models = fileModels(a.program);
    // not a metric of the final state only (bias_gap): it has no curve, final(…) draws it
    for (const m of BUILTINS.filter((x) => (x.kind === 'metric' && !x.series?.every((y) => y.endOfRun)) || x.kind === 'plot')) {
      addBuiltin(m, String(1 + metricFit(m, models)));
      items[items.length - 1].detail += fitNote(m, models);
    }
    return items;
  }
  if (stmt.kind === 'expect') {
    if (offset <= stmt.keyword.end) return items;
    for (const t of CLAIM_TERMS) addBuiltin(t);
    return items;
  }
  if (stmt.kind === 'def' && offset > stmt.eq) {
    for (const b of BUILTINS.filter((x) => CONSTRUCTOR_KINDS.includes(x.kind))) addBuiltin(b);
    for (const [n, c] of a.categories) if (c === 'value' && n !== stmt.name.name) addName(n);
    return items;
  }
  return items;
}

/** The models a metric is for, when the file trains none of them. */
function fitNote(m: Builtin, models: readonly ModelKind[]): string {
  return metricFit(m, models) === 2 ? ` (for ${m.models!.join(', ')}; this file trains ${models.join(', ')})` : '';
}

function paramNames(b: Builtin, given: Set<string>, typing: string | null): ParamSpec[] {
  return b.params.filter((p) => !given.has(p.name) || p.name === typing);
}

function paramItem(p: ParamSpec, range: Range, b: Builtin): CompletionItem {
  const required = p.default === undefined && !p.optional;
  return {
    label: p.name,
    kind: 'parameter',
    detail: `${describeType(p.type)}${required ? ' (required)' : p.default && p.default.kind !== 'null' ? ` = ${valueText(p.default)}` : ''}`,
    documentation: paramLine(p),
    insertText: p.type.t === 'word' ? `${p.name} = \${1|${p.type.words.join(',')}|}` : `${p.name} = \${1:${placeholder(b, p)}}`,
    snippet: true,
    range,
    sortText: (required ? '0' : '2') + String(b.params.indexOf(p)).padStart(2, '0'),
  };
}

function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, (c) => '\\' + c);
}

/** A whole call as a snippet: required parameters with example values as placeholders. */
export function callSnippet(b: Builtin, a: Analysis | null): string {
  if (b.kind === 'metric') {
    const run = a ? [...a.categories].find(([, c]) => c === 'run')?.[0] : undefined;
    return `${b.name}(\${1:${run ?? 'run'}})`;
  }
  if (b.name === 'final') {
    const run = a ? [...a.categories].find(([n, c]) => c === 'run' && a.axes.get(n)?.size)?.[0] : undefined;
    return `final(\${1:test_loss}, \${2:${run ?? 'family'}}, x = \${3:lr})`;
  }
  const required = b.params.filter((p) => p.default === undefined && !p.optional);
  let i = 1;
  const parts = required.map((p) => {
    let ph = placeholder(b, p);
    if (p.type.t === 'node' && a) {
      const name = [...a.categories].find(([, c]) => (p.type as { kinds: string[] }).kinds.includes(c))?.[0];
      if (name) ph = name;
    }
    const v = `\${${i++}:${escapeSnippet(ph)}}`;
    return p.type.t === 'node' && b.positional.includes(p.name) ? v : `${p.name} = ${v}`;
  });
  return `${b.name}(${parts.join(', ')})`;
}

// ---------------- hover ----------------

export interface Hover {
  contents: string;
  range: Range;
}

export function hover(a: Analysis, offset: number): Hover | null {
  const loc = locate(a, offset);
  const id = loc.ident;
  const cc = loc.call;
  if (id) {
    const range = a.lines.range(id.start, id.end);
    // a built-in function being called
    const callee = cc && cc.call.callee === id ? cc.call : findCallee(a, offset);
    if (callee) {
      const b = (loc.stmt?.kind === 'expect' ? CLAIM_BY_NAME.get(id.name) : undefined) ?? BUILTIN_BY_NAME.get(id.name);
      if (b) return { contents: builtinMarkdown(b), range };
    }
    // a parameter name
    if (cc && cc.arg && cc.arg.name === id && cc.builtin) {
      const p = cc.param;
      if (p) return { contents: `**${cc.builtin.name}**(…) parameter\n\n${paramLine(p)}`, range };
    }
    // a definition or a reference to one
    const site = a.sites.find((s) => s.start <= offset && offset <= s.end);
    if (site) {
      const s = a.defs.get(site.name);
      const d = a.program.definitions.find((x) => x.name === site.name);
      if (s && d) {
        const lines = ['```sgdexp', a.text.slice(s.start, s.end), '```', '', `*${d.category}*${d.deps.length ? ` — depends on ${d.deps.join(', ')}` : ''}`];
        if (d.family) lines.push('', `Family over ${d.family.map((f) => `${f.param} ∈ {${f.values.slice(0, 8).join(', ')}${f.values.length > 8 ? ', …' : ''}}${f.from ? ` (swept in ${f.from}, which this run continues)` : ''}`).join(' × ')}`);
        if (d.value.kind === 'call' || d.value.kind === 'list') lines.push('', 'Resolved: `' + valueText(d.value) + '`');
        return { contents: lines.join('\n'), range };
      }
    }
    // a word (`W1`, `log`, `lr` in x = lr) or a metric name in final(…)
    if (a.words.some((w) => w.start === id.start)) {
      const m = BUILTIN_BY_NAME.get(id.name);
      if (m && m.kind === 'metric') return { contents: builtinMarkdown(m), range };
      if (cc?.param) return { contents: `\`${id.name}\` — ${paramLine(cc.param)}`, range };
    }
    if (loc.stmt?.kind === 'plot' && id.start === loc.stmt.keyword.start) return plotKeyword(a, id.start, id.end);
    if (loc.stmt?.kind === 'expect' && id.start === loc.stmt.keyword.start) return expectKeyword(a, id.start, id.end);
    if (loc.stmt?.kind === 'def' && loc.stmt.name === id && id.name === 'seed') {
      return {
        contents: "`seed = N` — the file's root seed (default 0). Every random node draws from a stream derived from (root seed, its own `seed =`, its purpose: data, init or noise), never from its name or position.",
        range,
      };
    }
  }
  if (loc.stmt?.kind === 'plot' && offset >= loc.stmt.keyword.start && offset <= loc.stmt.keyword.end) return plotKeyword(a, loc.stmt.keyword.start, loc.stmt.keyword.end);
  if (loc.stmt?.kind === 'expect' && offset >= loc.stmt.keyword.start && offset <= loc.stmt.keyword.end) return expectKeyword(a, loc.stmt.keyword.start, loc.stmt.keyword.end);
  // a literal value: the parameter it is given to
  if (cc && cc.arg && cc.inValue && cc.param) {
    const context = stabilityContext(a, cc.arg.value.start, cc.arg.value.end);
    return { contents: `**${cc.builtin?.name}**(…) parameter\n\n${paramLine(cc.param)}${context}`, range: a.lines.range(cc.arg.value.start, cc.arg.value.end) };
  }
  return null;
}

/**
 * A stepsize's place against GD's stability limit η < 2/λ_max(XᵀX) (on ½‖Y − Xw‖² GD diverges iff
 * η > 2/λ_max), as the checker met it for the runs that use it: the limit and the ratio η/limit
 * of each number written in the value (a list: each member).
 */
function stabilityContext(a: Analysis, start: number, end: number): string {
  const notes = (a.stability ?? []).filter((n) => n.start === start && n.end === end);
  if (!notes.length) return '';
  const lrs = numbersIn(a.text.slice(start, end));
  const g = (x: number) => Number(x.toPrecision(3));
  const lines = notes.map((n) => {
    const ratio = lrs.length === 1 ? `: lr is ${g(lrs[0]! / n.limit)}× the limit${lrs[0]! > n.limit ? ' (GD diverges)' : ''}` : lrs.length ? `: ${lrs.filter((x) => x > n.limit).length} of ${lrs.length} values above it` : '';
    const own = n.diagonal ? " (the linear model's; a diagonal network's own limit scales with 1/(2|β|))" : '';
    return `GD's stability limit ${n.form ?? '2/λ_max(XᵀX)'} ≈ ${g(n.limit)}${own}, λ_max(XᵀX) ≈ ${g(n.lambda)} (${n.source})${ratio}`;
  });
  return '\n\n' + [...new Set(lines)].join('\n\n');
}

function numbersIn(text: string): number[] {
  return (text.match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? []).map(Number).filter(Number.isFinite);
}

function expectKeyword(a: Analysis, start: number, end: number): Hover {
  return {
    contents: '`expect LEFT OP RIGHT` — a claim checked against the results on every run (OP: <, <=, >, >=, ==, or `≈ … within P%` / `within X`); `sgdexp run` exits 1 when it fails.\n\nTerms: ' +
      CLAIM_TERMS.map((t) => '`' + t.name + '(…)`').join(', ') + ', numbers and + − × ÷. On a family the claim must hold for every member.',
    range: a.lines.range(start, end),
  };
}

function plotKeyword(a: Analysis, start: number, end: number): Hover {
  return {
    contents: '`plot METRIC(runs…, x = step | time, y = linear | log, theory, title)` — a figure in the preview.\n\n`plot final(METRIC, families…, x = PARAM)` — final values against a swept parameter.',
    range: a.lines.range(start, end),
  };
}

function findCallee(a: Analysis, offset: number): boolean {
  // the identifier at offset is immediately followed by '(' (a callee, whether or not the call is closed)
  let e = offset;
  while (e < a.text.length && isWordChar(a.text.charCodeAt(e))) e++;
  while (e < a.text.length && (a.text[e] === ' ' || a.text[e] === '\t')) e++;
  return a.text[e] === '(';
}

// ---------------- signature help ----------------

export interface SignatureHelp {
  label: string;
  documentation: string;
  parameters: { label: [number, number]; documentation: string }[];
  activeParameter: number | null;
}

export function signatureHelp(a: Analysis, offset: number): SignatureHelp | null {
  const loc = locate(a, offset);
  const cc = loc.call;
  if (!cc || !cc.builtin) return null;
  const b = cc.builtin;
  const parts: { name: string; text: string; doc: string }[] = [];
  const variadicAt = b.positional.length;
  b.params.forEach((p, i) => {
    if (b.variadic && i === variadicAt) parts.push({ name: b.variadic.name, text: `${b.variadic.name}…`, doc: b.variadic.doc });
    const dflt = p.default !== undefined && p.default.kind !== 'null' ? ` = ${valueText(p.default).replace(/\(.*\)$/, '(…)')}` : p.optional ? '?' : '';
    parts.push({ name: p.name, text: `${p.name}${dflt}`, doc: paramLine(p) });
  });
  if (b.variadic && b.params.length <= variadicAt) parts.push({ name: b.variadic.name, text: `${b.variadic.name}…`, doc: b.variadic.doc });
  let label = `${b.name}(`;
  const parameters: SignatureHelp['parameters'] = [];
  parts.forEach((p, i) => {
    if (i) label += ', ';
    parameters.push({ label: [label.length, label.length + p.text.length], documentation: p.doc });
    label += p.text;
  });
  label += ')';
  let active: number | null = null;
  if (cc.param) active = parts.findIndex((p) => p.name === cc.param!.name);
  else if (cc.variadic && b.variadic) active = parts.findIndex((p) => p.name === b.variadic!.name);
  return { label, documentation: `${b.summary}${b.formula ? `\n\n${b.formula}` : ''}`, parameters, activeParameter: active !== null && active >= 0 ? active : null };
}
