// Property tests (fast-check): for 10,000+ generated and mutated files the parser and checker
// never throw, every range lies inside the document, and formatting is a fixed point that
// re-parses to the same tree.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { checkDocument, complete, format, hover, parse, shape, signatureHelp, LineIndex } from '../../src/core/lang';
import type { Expr, FileNode } from '../../src/core/lang/ast';
import type { Range } from '../../src/core/program';

const NAMES = ['data', 'net', 'gd', 'sgd', 'ln', 'lrs', 'x', 'run2'];
const FUNCS = ['teacher', 'sparse', 'completion', 'linear2', 'diagonal', 'deep_linear', 'relu2', 'gaussian', 'gd', 'sgd', 'label_noise', 'sgf', 'train', 'linspace', 'logspace', 'loss', 'logdet', 'final', 'gain', 'nope'];
const PARAMS = ['n', 'p', 'k', 'd', 's', 'width', 'depth', 'alpha', 'lr', 'delta', 'batch', 'steps', 'of', 'top', 'y', 'x', 'seed', 'init', 'observed', 'title', 'theory', 'bogus'];
const WORDS = ['W1', 'W2', 'product', 'log', 'linear', 'step', 'time', 'relu', 'lr'];

const num = fc.oneof(
  fc.integer({ min: -3, max: 60 }).map(String),
  fc.constantFrom('0.01', '0.5', '1e-3', '2e1', '0.1', '-1', '.5'),
);
const ident = fc.constantFrom(...NAMES, ...WORDS);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    num,
    ident,
    fc.constantFrom('true', 'false', '"a title"', '?'),
    fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(fc.constantFrom(...FUNCS), fc.array(fc.tuple(fc.option(fc.constantFrom(...PARAMS), { nil: null }), tie('e')), { maxLength: 4 }))
      .map(([f, args]) => `${f}(${args.map(([p, v]) => (p ? `${p} = ${v}` : v)).join(', ')})`),
    fc.tuple(ident, fc.constantFrom(...PARAMS), num).map(([t, p, v]) => `${t}[${p} = ${v}]`),
  ),
})).e;
const statement = fc.oneof(
  fc.tuple(fc.constantFrom(...NAMES, 'seed'), expr).map(([n, e]) => `${n} = ${e}`),
  expr.map((e) => `plot ${e}`),
  fc.constantFrom('# a comment', '', '   '),
);
const file = fc.array(fc.tuple(statement, fc.constantFrom('', '  # trailing')), { maxLength: 8 }).map((ss) => ss.map(([s, c]) => (s.trim() && !s.startsWith('#') ? s + c : s)).join('\n'));

const mutation = fc.tuple(fc.nat(), fc.oneof(fc.constant(''), fc.constantFrom('(', ')', '[', ']', '=', ',', '?', '"', '#', '\n', '\r\n', ' ', '-', '.', 'e', 'x', 'é', '😀', 'plot ', 'train(', '\t')), fc.integer({ min: 0, max: 3 }));
const mutated = fc.tuple(file, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => {
  let t = text;
  for (const [pos, ins, del] of ms) {
    const at = t.length ? pos % (t.length + 1) : 0;
    t = t.slice(0, at) + ins + t.slice(at + del);
  }
  return t;
});

function spans(tree: FileNode): { start: number; end: number }[] {
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

function rangeInside(li: LineIndex, text: string, r: Range): boolean {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < li.lineCount && p.character >= 0 && li.lineStarts[p.line] + p.character <= li.lineEnd(p.line);
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && before && text.length >= 0;
}

// Plain checks (no `expect` in the hot loop: vitest assertions cost more than the parser).
function assert(cond: boolean, what: string, text: string): void {
  if (!cond) throw new Error(`${what} in ${JSON.stringify(text)}`);
}

function checkAll(text: string): void {
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
  if (f !== null) {
    const again = parse(f);
    assert(again.errors.length === 0, `formatted output does not parse: ${JSON.stringify(f)}`, text);
    assert(JSON.stringify(shape(again)) === JSON.stringify(shape(tree)), `formatting changed the tree: ${JSON.stringify(f)}`, text);
    assert(format(f) === f, `format is not idempotent: ${JSON.stringify(f)} → ${JSON.stringify(format(f))}`, text);
  }
}

// Comments inside calls and lists: after a ',' or '(' (never inside a selection, whose '[' takes
// no comma), each followed by an indented continuation line.
const commented = fc.tuple(file, fc.array(fc.nat(), { minLength: 1, maxLength: 4 })).map(([text, picks]) => {
  const spots = [...text.matchAll(/[,(]/g)].map((m) => m.index! + 1);
  if (!spots.length) return text;
  const at = [...new Set(picks.map((k) => spots[k % spots.length]))].sort((a, b) => b - a);
  let t = text;
  for (const o of at) t = t.slice(0, o) + ' # note\n    ' + t.slice(o);
  return t;
});

describe('properties', () => {
  it('files with comments inside calls and lists are formatted (not refused), idempotently, keeping the tree (2,000 files)', () => {
    fc.assert(
      fc.property(commented, (t) => {
        checkAll(t);
        if (parse(t).errors.length === 0) assert(format(t) !== null, 'a valid file with comments inside was not formatted', t);
      }),
      { numRuns: 2000 },
    );
  });
  it('generated files: no throw, ranges inside, format is an idempotent, tree-preserving fixed point (5,000 files)', () => {
    fc.assert(fc.property(file, (t) => checkAll(t)), { numRuns: 5000 });
  });
  it('mutated files: no throw, ranges inside, format (when it formats) idempotent (5,000 files)', () => {
    fc.assert(fc.property(mutated, (t) => checkAll(t)), { numRuns: 5000 });
  });
  it('editor features at any offset of a mutated file never throw and stay inside it (1,500 files)', () => {
    fc.assert(
      fc.property(mutated, fc.nat(), (t, o) => {
        const { analysis } = checkDocument(t);
        const off = t.length ? o % (t.length + 1) : 0;
        const li = analysis.lines;
        for (const c of complete(analysis, off)) assert(rangeInside(li, t, c.range), `completion range at ${off}`, t);
        const h = hover(analysis, off);
        if (h) assert(rangeInside(li, t, h.range), `hover range at ${off}`, t);
        signatureHelp(analysis, off);
      }),
      { numRuns: 1500 },
    );
  });
});
