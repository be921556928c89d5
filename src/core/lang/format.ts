// The canonical layout: one statement per line, `name = f(a, b = c)`, `=` aligned within a block
// of consecutive one-line definitions (as gofmt aligns), at most one blank line, comments kept.
// A statement longer than 100 columns, or with comments inside, puts one argument per line.
// Idempotent: the layout depends only on the tree and the comments, which it preserves.
// A file with syntax errors is not formatted (null): text that did not parse would be lost.
import type { Comment, Expr, FileNode, Statement } from './ast';
import { parse } from './parser';
import { LineIndex } from './text';

const MAX_WIDTH = 100;
const INDENT = '  ';

export function format(text: string, tree: FileNode = parse(text)): string | null {
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
    const head = s.kind === 'def' ? `${s.name.name} = ` : s.kind === 'plot' ? 'plot ' : '';
    const flat = head + expr(s.value);
    const trailing = it.trailing ? `  ${it.trailing.text.trimEnd()}` : '';
    let lines: string[] | null;
    if (flat.length <= MAX_WIDTH && it.inner.length === 0) lines = [flat + trailing];
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

/** One argument per line; comments between arguments kept (trailing or on their own line). */
function broken(head: string, e: Expr, inner: Comment[], lineOf: (o: number) => number): string[] | null {
  if (e.kind !== 'call' || e.args.length === 0) return inner.length ? null : [head + expr(e)];
  const lines = [`${head}${e.callee.name}(`];
  const before = inner.filter((c) => c.start < e.args[0].start);
  for (const c of before) lines.push(INDENT + c.text.trimEnd());
  for (let i = 0; i < e.args.length; i++) {
    const a = e.args[i];
    const next = i + 1 < e.args.length ? e.args[i + 1].start : Infinity;
    if (inner.some((c) => c.start > a.start && c.start < a.end)) return null; // a comment inside a nested expression
    const after = inner.filter((c) => c.start >= a.end && c.start < next);
    let line = INDENT + arg(a) + (i + 1 < e.args.length ? ',' : '');
    let rest = after;
    if (after.length && lineOf(after[0].start) === lineOf(a.end)) {
      line += '  ' + after[0].text.trimEnd();
      rest = after.slice(1);
    }
    lines.push(line);
    for (const c of rest) lines.push(INDENT + c.text.trimEnd());
  }
  lines.push(')');
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
      return `${e.target.name}[${e.param ? e.param.name : ''} = ${e.value ? expr(e.value) : ''}]`;
    case 'missing':
      return '';
    case 'error':
      return e.text;
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
