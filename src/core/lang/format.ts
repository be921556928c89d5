// The canonical layout: one statement per line, `name = f(a, b = c)`, `=` aligned within a block
// of consecutive one-line definitions (as gofmt aligns), at most one blank line, comments kept.
// A statement longer than the print width (100 columns unless told: the setting
// sgdexp.format.printWidth), with comments inside, or whose call the user wrapped over several
// lines, puts one argument per line (and a nested call or list holding a comment one item per
// line, one indent deeper): a wrapped call is never joined back, as Prettier keeps an object
// whose first key is on a line of its own; joining it by hand makes it one line again.
// Idempotent: the layout depends only on the tree and the comments, which it preserves.
// A file with syntax errors is not formatted (null): text that did not parse would be lost.
import type { Comment, Expr, FileNode, Span, Statement } from './ast';
import { parse } from './parser';
import { LineIndex } from './text';

/** The default print width, in columns. */
export const PRINT_WIDTH = 100;
const INDENT = '  ';

export interface FormatOptions {
  /** the longest line a statement may be laid out on (default PRINT_WIDTH) */
  printWidth?: number;
}

export function format(text: string, tree: FileNode = parse(text), opts: FormatOptions = {}): string | null {
  const printWidth = opts.printWidth ?? PRINT_WIDTH;
  if (tree.errors.length) return null;
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lineOf = makeLineOf(text);
  type Item = { kind: 'stmt'; s: Statement; trailing: Comment | null; inner: Comment[] } | { kind: 'comment'; c: Comment };
  const items: Item[] = [];
  const comments = [...tree.comments];
  let ci = 0;
  for (const s of tree.statements) {
    while (ci < comments.length && comments[ci].start < s.start) items.push({ kind: 'comment', c: comments[ci++] });
    const inner: Comment[] = [];
    while (ci < comments.length && comments[ci].start < s.end) inner.push(comments[ci++]);
    let trailing: Comment | null = null;
    if (ci < comments.length && lineOf(comments[ci].start) === lineOf(s.end)) trailing = comments[ci++];
    items.push({ kind: 'stmt', s, trailing, inner });
  }
  while (ci < comments.length) items.push({ kind: 'comment', c: comments[ci++] });

  // render each item, then align blocks of one-line definitions
  type Out = { lines: string[]; startLine: number; endLine: number; align: { name: string; rest: string; trailing: string } | null };
  const outs: Out[] = [];
  for (const it of items) {
    if (it.kind === 'comment') {
      outs.push({ lines: [it.c.text.trimEnd()], startLine: lineOf(it.c.start), endLine: lineOf(it.c.end), align: null });
      continue;
    }
    const s = it.s;
    const head = s.kind === 'def' ? `${s.name.name} = ` : s.kind === 'plot' ? 'plot ' : s.kind === 'expect' ? 'expect ' : '';
    const flat = head + expr(s.value);
    const trailing = it.trailing ? `  ${it.trailing.text.trimEnd()}` : '';
    let lines: string[] | null;
    const wrapped = s.value.kind === 'call' && lineOf(s.value.start) !== lineOf(s.value.end);
    if (flat.length <= printWidth && it.inner.length === 0 && !wrapped) lines = [flat + trailing];
    else {
      lines = broken(head, s.value, it.inner, lineOf);
      if (!lines) return null;
      lines[lines.length - 1] += trailing;
    }
    const align = s.kind === 'def' && lines.length === 1 ? { name: s.name.name, rest: expr(s.value), trailing } : null;
    outs.push({ lines, startLine: lineOf(s.start), endLine: lineOf(it.trailing ? it.trailing.end : s.end), align });
  }
  // alignment of `=` in runs of consecutive one-line definitions on consecutive source lines
  for (let i = 0; i < outs.length; ) {
    if (!outs[i].align) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < outs.length && outs[j].align && outs[j].startLine === outs[j - 1].endLine + 1) j++;
    const width = Math.max(...outs.slice(i, j).map((o) => o.align!.name.length));
    for (let k = i; k < j; k++) {
      const a = outs[k].align!;
      outs[k].lines = [`${a.name.padEnd(width)} = ${a.rest}${a.trailing}`];
    }
    i = j;
  }
  const result: string[] = [];
  for (let i = 0; i < outs.length; i++) {
    if (i > 0 && outs[i].startLine > outs[i - 1].endLine + 1) result.push('');
    result.push(...outs[i].lines);
  }
  return result.length ? result.join(eol) + eol : '';
}

function makeLineOf(text: string): (offset: number) => number {
  const li = new LineIndex(text);
  return (o: number) => li.position(o).line;
}

/**
 * One argument (or list item) per line, comments kept where they were: trailing on the line of
 * the item they follow, or on lines of their own. An item that holds a comment is broken the
 * same way one indent deeper (so the comment keeps its place inside it); the other items stay
 * on one line. Every line but the first is indented or starts with a closing bracket, so none
 * can start a statement. Idempotent: the output puts each comment where this function puts it
 * again. null (leave the file as it is) only for a comment no line can hold: inside a selection
 * or between a parameter name and its value.
 */
function broken(head: string, e: Expr, inner: Comment[], lineOf: (o: number) => number, indent = ''): string[] | null {
  // a list without comments stays on one line, however long (as it always did)
  if (inner.length === 0 && e.kind !== 'call') return [head + expr(e)];
  if (e.kind !== 'call' && e.kind !== 'list') return null;
  const parts = e.kind === 'call'
    ? e.args.map((a) => ({ span: a as Span, value: a.value, prefix: a.name ? `${a.name.name} = ` : '' }))
    : e.items.map((x) => ({ span: x as Span, value: x, prefix: '' }));
  if (parts.length === 0 && inner.length === 0) return [head + expr(e)];
  const inIndent = indent + INDENT;
  const lines = [`${head}${e.kind === 'call' ? `${e.callee.name}(` : '['}`];
  const first = parts.length ? parts[0].span.start : Infinity;
  for (const c of inner) if (c.start < first) lines.push(inIndent + c.text.trimEnd());
  for (let i = 0; i < parts.length; i++) {
    const { span, value, prefix } = parts[i];
    const next = i + 1 < parts.length ? parts[i + 1].span.start : Infinity;
    const own = inner.filter((c) => c.start > span.start && c.start < span.end);
    if (own.some((c) => !(c.start > value.start && c.start < value.end))) return null; // `lr = # c` ↵ `0.1`
    const item = own.length ? broken(inIndent + prefix, value, own, lineOf, inIndent) : [inIndent + prefix + expr(value)];
    if (!item) return null;
    if (i + 1 < parts.length) item[item.length - 1] += ',';
    const after = inner.filter((c) => c.start >= span.end && c.start < next);
    let rest = after;
    if (after.length && lineOf(after[0].start) === lineOf(span.end)) {
      item[item.length - 1] += '  ' + after[0].text.trimEnd();
      rest = after.slice(1);
    }
    lines.push(...item);
    for (const c of rest) lines.push(inIndent + c.text.trimEnd());
  }
  lines.push(indent + (e.kind === 'call' ? ')' : ']'));
  return lines;
}

function arg(a: { name: { name: string } | null; value: Expr }): string {
  return a.name ? `${a.name.name} = ${expr(a.value)}` : expr(a.value);
}

export function expr(e: Expr): string {
  switch (e.kind) {
    case 'ident':
      return e.name;
    case 'number':
      return e.text;
    case 'string':
      return '"' + e.value.replace(/[\\"\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : '\\' + c)) + '"';
    case 'bool':
      return String(e.value);
    case 'hole':
      return '?';
    case 'list':
      return `[${e.items.map(expr).join(', ')}]`;
    case 'call':
      return `${e.callee.name}(${e.args.map(arg).join(', ')})`;
    case 'select':
      return `${e.target.name}[${[e, ...e.more].map((it) => `${it.param ? it.param.name : ''} = ${it.value ? expr(it.value) : ''}`).join(', ')}]`;
    case 'missing':
      return '';
    case 'error':
      return e.text;
    case 'binary':
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case 'neg':
      return `-${expr(e.operand)}`;
    case 'paren':
      return `(${expr(e.inner)})`;
    case 'compare': {
      const tol = e.within ? ` within ${expr(e.within.value)}${e.within.percent ? '%' : ''}` : '';
      return `${expr(e.left)} ${e.op} ${expr(e.right)}${tol}`;
    }
  }
}

/** The tree without positions, for comparing a file with its formatted self. */
export function shape(tree: FileNode): unknown {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (k === 'start' || k === 'end' || k === 'open' || k === 'close' || k === 'eq' || k === 'commas' || k === 'keyword') continue;
        out[k] = strip(v);
      }
      return out;
    }
    return x;
  };
  return { statements: strip(tree.statements), comments: tree.comments.map((c) => c.text.trimEnd()) };
}
