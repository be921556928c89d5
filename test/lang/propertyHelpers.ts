// What the language promises for any text, as plain checks shared by the property tests
// (test/lang/property.test.ts) and the reliability suite (test/reliability/mutants.test.ts):
// the parser and checker never throw, every range lies inside the document and splits no
// character, and formatting is an idempotent, lossless fixed point.
import { BUILTINS, checkDocument, format, lex, parse, shape, LineIndex } from '../../src/core/lang';
import type { Expr, FileNode } from '../../src/core/lang/ast';
import type { Range } from '../../src/core/program';

/** The fuzz vocabulary, read off the built-ins table so a new built-in or parameter is fuzzed too. */
export const VOCAB = (() => {
  const builtins = BUILTINS.map((b) => b.name);
  const params = new Set<string>();
  const words = new Set<string>();
  for (const b of BUILTINS)
    for (const p of b.params) {
      params.add(p.name);
      for (const a of p.aliases ?? []) params.add(a);
      if (p.type.t === 'word') for (const w of p.type.words) words.add(w);
    }
  return { builtins, params: [...params], words: [...words] };
})();

/** Every node span of a tree (statements, expressions, names, comments, errors). */
export function spans(tree: FileNode): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const visit = (e: Expr) => {
    out.push(e);
    if (e.kind === 'call') {
      out.push(e.callee);
      for (const a of e.args) {
        out.push(a);
        if (a.name) out.push(a.name);
        visit(a.value);
      }
    } else if (e.kind === 'list') e.items.forEach(visit);
    else if (e.kind === 'select') {
      out.push(e.target);
      if (e.param) out.push(e.param);
      if (e.value) visit(e.value);
    }
  };
  for (const s of tree.statements) {
    out.push(s);
    if (s.kind === 'def') out.push(s.name);
    visit(s.value);
  }
  out.push(...tree.comments, ...tree.errors);
  return out;
}

/** An offset strictly between the halves of a surrogate pair (an editor cannot place a caret there). */
export function splitsPair(text: string, o: number): boolean {
  if (o <= 0 || o >= text.length) return false;
  const hi = text.charCodeAt(o - 1);
  const lo = text.charCodeAt(o);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** Both ends on an existing line, within it, start ≤ end, and neither end inside a character. */
export function rangeInside(li: LineIndex, text: string, r: Range): boolean {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < li.lineCount && p.character >= 0 && li.lineStarts[p.line] + p.character <= li.lineEnd(p.line);
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && before && !splitsPair(text, li.offset(r.start)) && !splitsPair(text, li.offset(r.end));
}

// Plain checks (no `expect` in the hot loop: vitest assertions cost more than the parser).
export function assert(cond: boolean, what: string, text: string): void {
  if (!cond) throw new Error(`${what} in ${JSON.stringify(text)}`);
}

/**
 * The tokens that carry meaning, for losslessness: line breaks, spacing and a trailing comma
 * before a closing bracket are the formatter's to choose, a string is its content (either
 * quote), a comment its text without trailing blanks.
 */
export function meaningTokens(text: string): string[] {
  const out: string[] = [];
  const toks = lex(text).filter((t) => t.kind !== 'newline' && t.kind !== 'eof');
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === ',') {
      let j = i + 1;
      while (j < toks.length && toks[j].kind === 'comment') j++;
      if (j < toks.length && (toks[j].kind === ')' || toks[j].kind === ']')) continue;
    }
    out.push(t.kind === 'string' ? `string:${String(t.value)}` : t.kind === 'comment' ? `#${t.text.slice(1).trimEnd()}` : `${t.kind}:${t.text}`);
  }
  return out;
}

export interface CheckCounts {
  files: number;
  formatted: number;
  diagnostics: number;
}

/**
 * Everything promised for one text: parse spans and diagnostic/definition/plot ranges inside it,
 * `ok` agreeing with the errors, and, when the formatter formats (files without syntax errors),
 * output that parses without errors to the same tree, is lossless (same meaning tokens, so every
 * comment kept) and is its own format.
 */
export function checkAll(text: string, counts?: CheckCounts): void {
  const tree = parse(text);
  for (const s of spans(tree)) assert(s.start >= 0 && s.end >= s.start && s.end <= text.length, `span ${s.start}-${s.end} outside`, text);
  const { program } = checkDocument(text);
  const li = new LineIndex(text);
  for (const d of program.diagnostics) {
    assert(rangeInside(li, text, d.range), `diagnostic range ${JSON.stringify(d)} outside`, text);
    for (const r of d.related ?? []) assert(rangeInside(li, text, r.range), 'related range outside', text);
  }
  for (const d of program.definitions) assert(rangeInside(li, text, d.range) && rangeInside(li, text, d.nameRange), 'definition range outside', text);
  for (const p of program.plots) assert(rangeInside(li, text, p.range), 'plot range outside', text);
  assert(program.ok === !program.diagnostics.some((d) => d.severity === 'error'), 'ok disagrees with the diagnostics', text);
  const f = format(text, tree);
  if (counts) {
    counts.files++;
    counts.diagnostics += program.diagnostics.length;
    if (f !== null) counts.formatted++;
  }
  if (f !== null) {
    const again = parse(f);
    assert(again.errors.length === 0, `formatted output does not parse: ${JSON.stringify(f)}`, text);
    assert(JSON.stringify(shape(again)) === JSON.stringify(shape(tree)), `formatting changed the tree: ${JSON.stringify(f)}`, text);
    const a = meaningTokens(text).join('\u0000');
    const b = meaningTokens(f).join('\u0000');
    assert(a === b, `formatting is lossy: tokens ${JSON.stringify(meaningTokens(text))} became ${JSON.stringify(meaningTokens(f))}`, text);
    assert(format(f) === f, `format is not idempotent: ${JSON.stringify(f)} → ${JSON.stringify(format(f))}`, text);
  }
}
