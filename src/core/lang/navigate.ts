// Go to definition, find references, rename, outline, folding, semantic tokens, code actions.
import { about, fmtSeconds } from './units';
import type { Analysis, NameSite } from './checker';
import type { Diagnostic, Range } from '../program';
import { BUILTIN_BY_NAME, RESERVED, valueText } from './builtins';
import { lex } from './lexer';
import { walkIdents, type Expr, type Span } from './ast';

export interface TextEdit {
  range: Range;
  newText: string;
}

function siteAt(a: Analysis, offset: number): NameSite | null {
  return a.sites.find((s) => s.start <= offset && offset <= s.end) ?? null;
}

export function definition(a: Analysis, offset: number): Range | null {
  const s = siteAt(a, offset);
  if (!s) return null;
  const d = a.defs.get(s.name);
  return d ? a.lines.range(d.name.start, d.name.end) : null;
}

export function references(a: Analysis, offset: number, includeDeclaration = true): Range[] {
  const s = siteAt(a, offset);
  if (!s) return [];
  return a.sites.filter((x) => x.name === s.name && (includeDeclaration || x.role !== 'def')).map((x) => a.lines.range(x.start, x.end));
}

/** Every occurrence of the name under the cursor, marked as written (its definition) or read. */
export function highlights(a: Analysis, offset: number): { range: Range; write: boolean }[] {
  const s = siteAt(a, offset);
  if (!s) return [];
  return a.sites.filter((x) => x.name === s.name).map((x) => ({ range: a.lines.range(x.start, x.end), write: x.role === 'def' }));
}

/** The range of the name under the cursor if it can be renamed. */
export function prepareRename(a: Analysis, offset: number): { range: Range; placeholder: string } | null {
  const s = siteAt(a, offset);
  if (!s || !a.defs.has(s.name)) return null;
  return { range: a.lines.range(s.start, s.end), placeholder: s.name };
}

/** Rename a definition and every use of it; an error message when the new name is not allowed. */
export function rename(a: Analysis, offset: number, newName: string): { edits: TextEdit[] } | { error: string } {
  const s = siteAt(a, offset);
  if (!s || !a.defs.has(s.name)) return { error: 'only the name of a definition can be renamed' };
  if (newName === s.name) return { edits: [] };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { error: `'${newName}' is not a name: use letters, digits and _, not starting with a digit` };
  if (RESERVED.has(newName)) return { error: `'${newName}' is a reserved word` };
  if (BUILTIN_BY_NAME.has(newName)) return { error: `'${newName}' is the name of a built-in` };
  if (a.defs.has(newName)) return { error: `'${newName}' is already defined` };
  return {
    edits: a.sites.filter((x) => x.name === s.name).map((x) => ({ range: a.lines.range(x.start, x.end), newText: newName })),
  };
}

// ---------------- outline ----------------

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: 'data' | 'model' | 'optimizer' | 'init' | 'schedule' | 'run' | 'value' | 'plot';
  range: Range;
  selectionRange: Range;
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of a.tree.statements) {
    if (s.kind === 'def') {
      if (a.defs.get(s.name.name) !== s) continue;
      const d = a.program.definitions.find((x) => x.name === s.name.name);
      const v = s.value;
      const detail = v.kind === 'call' ? `${v.callee.name}(…)` : d ? valueText(d.value).slice(0, 60) : '';
      out.push({ name: s.name.name, detail, kind: d?.category ?? 'value', range: a.lines.range(s.start, s.end), selectionRange: a.lines.range(s.name.start, s.name.end) });
    } else if (s.kind === 'plot') {
      const v = s.value;
      const name = v.kind === 'call' ? `plot ${v.callee.name}(${v.args.filter((x) => !x.name).map((x) => a.text.slice(x.start, x.end)).join(', ')})` : 'plot';
      out.push({ name, detail: '', kind: 'plot', range: a.lines.range(s.start, s.end), selectionRange: a.lines.range(s.keyword.start, s.keyword.end) });
    }
  }
  return out;
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const s of a.tree.statements) {
    const l0 = a.lines.position(s.start).line;
    const l1 = a.lines.position(s.end).line;
    if (l1 > l0) out.push({ startLine: l0, endLine: l1 });
  }
  // runs of consecutive whole-line comments
  let runStart = -1;
  let prev = -2;
  for (const c of a.tree.comments) {
    const pos = a.lines.position(c.start);
    const whole = a.text.slice(a.lines.lineStarts[pos.line], c.start).trim() === '';
    if (!whole) continue;
    if (pos.line === prev + 1) prev = pos.line;
    else {
      if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: 'comment' });
      runStart = prev = pos.line;
    }
  }
  if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: 'comment' });
  return out.sort((x, y) => x.startLine - y.startLine);
}

// ---------------- semantic tokens ----------------

export const TOKEN_TYPES = ['function', 'parameter', 'variable', 'enumMember', 'keyword', 'number', 'string', 'comment', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'readonly'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: TokenType;
  modifiers: (typeof TOKEN_MODIFIERS)[number][];
}

/** Tokens in document order; every token lies on one line. */
export function semanticTokens(a: Analysis): SemanticToken[] {
  const kinds = new Map<number, { type: TokenType; modifiers: SemanticToken['modifiers'] }>();
  const words = new Set(a.words.map((w) => w.start));
  walkIdents(a.tree, (id, role) => {
    switch (role) {
      case 'def':
        kinds.set(id.start, { type: 'variable', modifiers: ['declaration'] });
        break;
      case 'callee':
        kinds.set(id.start, { type: 'function', modifiers: BUILTIN_BY_NAME.has(id.name) ? ['defaultLibrary'] : [] });
        break;
      case 'param':
      case 'select-param':
        kinds.set(id.start, { type: 'parameter', modifiers: [] });
        break;
      case 'ref':
      case 'select-target':
        kinds.set(id.start, words.has(id.start) ? { type: 'enumMember', modifiers: ['readonly'] } : { type: 'variable', modifiers: [] });
        break;
    }
  });
  for (const s of a.tree.statements) if (s.kind === 'plot') kinds.set(s.keyword.start, { type: 'keyword', modifiers: [] });
  for (const s of a.tree.statements) if (s.kind === 'def' && s.name.name === 'seed') kinds.set(s.name.start, { type: 'keyword', modifiers: [] });
  const out: SemanticToken[] = [];
  for (const t of lex(a.text)) {
    let k: { type: TokenType; modifiers: SemanticToken['modifiers'] } | undefined;
    if (t.kind === 'name') k = kinds.get(t.start) ?? (t.text === 'true' || t.text === 'false' ? { type: 'keyword', modifiers: [] } : undefined);
    else if (t.kind === 'number') k = { type: 'number', modifiers: [] };
    else if (t.kind === 'string') k = { type: 'string', modifiers: [] };
    else if (t.kind === 'comment') k = { type: 'comment', modifiers: [] };
    else if (t.kind === '?') k = { type: 'operator', modifiers: [] };
    if (!k || t.end <= t.start) continue;
    const p = a.lines.position(t.start);
    out.push({ line: p.line, character: p.character, length: t.end - t.start, type: k.type, modifiers: k.modifiers });
  }
  return out;
}

// ---------------- code actions ----------------

export interface CodeAction {
  title: string;
  diagnostic: Diagnostic;
  edits: TextEdit[];
  preferred: boolean;
}

function overlaps(x: Range, y: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(x.end, y.start) && !before(y.end, x.start);
}

/** Quick fixes for the diagnostics touching a range: "did you mean", add a missing argument. */
export function codeActions(a: Analysis, range: Range, runtime: Diagnostic[] = []): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of [...a.program.diagnostics, ...runtime]) {
    if (!overlaps(d.range, range)) continue;
    const data = d.data as { fix?: string; replacement?: string; position?: Range['start']; text?: string; title?: string; def?: string; lr?: number; at?: Range; metrics?: string[]; model?: string } | undefined;
    if (!data?.fix) continue;
    if (data.fix === 'set-lr' && typeof data.def === 'string' && typeof data.lr === 'number') {
      // a runtime finding: the lr literal is looked up in the current text (it may have moved)
      const at = lrLiteralOf(a, data.def);
      if (at) out.push({ title: `Set lr = ${data.lr} (below the stability limit)`, diagnostic: d, edits: [{ range: at, newText: String(data.lr) }], preferred: true });
      continue;
    }
    if (data.fix === 'metric' && data.at && Array.isArray(data.metrics)) {
      // a metric not defined for the run's model: one fix per metric that is, loss first
      data.metrics.forEach((m, i) =>
        out.push({ title: `Change to '${m}' (defined for ${data.model ?? 'this model'})`, diagnostic: d, edits: [{ range: data.at!, newText: m }], preferred: i === 0 }));
      continue;
    }
    if (data.fix === 'replace' && data.replacement !== undefined) {
      out.push({ title: data.title ?? `Change to '${data.replacement}'`, diagnostic: d, edits: [{ range: d.range, newText: data.replacement }], preferred: true });
    } else if (data.fix === 'insert' && data.position && data.text !== undefined) {
      out.push({ title: data.title ?? 'Add missing argument', diagnostic: d, edits: [{ range: { start: data.position, end: data.position }, newText: data.text }], preferred: true });
    }
  }
  return out;
}

/** The range of the one `lr = <number>` written inside definition `def` (its optimiser inline), or null. */
function lrLiteralOf(a: Analysis, def: string): Range | null {
  const stmt = a.defs.get(def);
  if (!stmt) return null;
  const found: Span[] = [];
  const visit = (e: Expr): void => {
    if (e.kind !== 'call') return;
    for (const arg of e.args) {
      if (arg.name?.name === 'lr' && arg.value.kind === 'number') found.push(arg.value);
      else visit(arg.value);
    }
  };
  visit(stmt.value);
  if (found.length !== 1) return null;
  return { start: a.lines.position(found[0].start), end: a.lines.position(found[0].end) };
}

// ---------------- inlay hints ----------------

export interface InlayHint {
  position: Range['start'];
  label: string;
  tooltip: string;
  /** a run definition's estimated cost: its name (the server leaves the hint out once it has results) */
  cost?: string;
  /** a space after the label too (a hint inside the line, before ` = …`) */
  paddingRight?: boolean;
}

/** Where a definition's first line ends: the definition's end if it is one line, else the end of
 *  the code on its first line (before a comment). */
function firstLineEnd(a: Analysis, range: Range): Range['start'] {
  if (range.end.line === range.start.line) return range.end;
  const start = a.lines.offset({ line: range.start.line, character: 0 });
  const next = a.lines.offset({ line: range.start.line + 1, character: 0 });
  const code = a.text.slice(start, next).replace(/\s*(#.*)?[\r\n]*$/, '');
  return { line: range.start.line, character: code.length };
}

/**
 * The last column a family's count may end at to sit at the end of its definition's first line:
 * about what an editor half a laptop screen wide shows. Past it the count goes right after the
 * definition's name, shortened to `×N`, where it is seen in any width.
 */
export const HINT_END_COLUMN = 60;

/** Each family definition's member count (a grid multiplies its lists): at the end of its first
 *  line when that is short (a wrapped call: after its opening line), else after its name. */
export function inlayHints(a: Analysis): InlayHint[] {
  const out: InlayHint[] = [];
  for (const d of a.program.definitions) {
    if (!d.family?.length || d.category === 'value') continue;
    const count = d.family.reduce((n, f) => n * Math.max(1, f.values.length), 1);
    const what = d.category === 'run' ? (count === 1 ? 'run' : 'runs') : 'members';
    const axes = d.family.map((f) => `${f.param}: ${f.values.length} value${f.values.length === 1 ? '' : 's'}`).join(' × ');
    const label = ` ${count} ${what}`;
    const end = firstLineEnd(a, d.range);
    if (end.character + label.length <= HINT_END_COLUMN) out.push({ position: end, label, tooltip: axes });
    else out.push({ position: d.nameRange.end, label: `×${count}`, tooltip: `${count} ${what}: ${axes}`, paddingRight: true });
  }
  // the estimate of each run before it runs (numeric/estimate.ts through the hooks; conservative)
  for (const d of a.program.definitions) {
    const c = d.category === 'run' ? a.costs?.get(d.name) : undefined;
    if (!c) continue;
    out.push({
      position: d.range.end,
      label: c.seconds < 0.1 ? ' < 0.1 s' : ` ${about(fmtSeconds(c.seconds))}`,
      tooltip: `estimated time before it runs${c.runs > 1 ? ` (${c.runs} runs in all)` : ''}, at a conservative rate; cached runs take none`,
      cost: d.name,
    });
  }
  return out;
}
