// Parser recovery: one mistake leaves the rest of the file understood.
import { describe, expect, it } from 'vitest';
import { checkDocument, parse, lex } from '../../src/core/lang';
import type { Statement } from '../../src/core/lang/ast';

const kinds = (ss: Statement[]) => ss.map((s) => (s.kind === 'def' ? `def:${s.name.name}` : s.kind));

describe('lexer', () => {
  it('reads numbers in every spelling, names, strings, comments', () => {
    const t = lex('x = [20, 0.01, 1e-3, 2E4, -1, .5] # c\ny = "a\\"b"');
    expect(t.filter((x) => x.kind === 'number').map((x) => x.value)).toEqual([20, 0.01, 1e-3, 2e4, -1, 0.5]);
    expect(t.find((x) => x.kind === 'comment')?.text).toBe('# c');
    expect(t.find((x) => x.kind === 'string')?.value).toBe('a"b');
  });
  it('flags malformed numbers and strange characters without throwing', () => {
    const t = lex('x = 1e+ @ é 😀');
    expect(t.filter((x) => x.problem).map((x) => x.problem)).toEqual([
      'malformed number: the exponent has no digits', "unexpected character '@'", "names are ASCII letters, digits and _: 'é' has 'é'", "unexpected character '😀'",
    ]);
  });
  it('a name with a non-ASCII letter (dätä, η) is one name token and one error, not a cascade', () => {
    const t = lex('dätä = η');
    expect(t.filter((x) => x.kind === 'name').map((x) => [x.text, x.problem])).toEqual([
      ['dätä', "names are ASCII letters, digits and _: 'dätä' has 'ä'"],
      ['η', "names are ASCII letters, digits and _: 'η' has 'η'"],
    ]);
    const { program } = checkDocument('dätä = teacher(n = 100, p = 5)\nnet = linear2(width = 8)\nr = train(net, dätä, gd(lr = 0.01), steps = 100)');
    expect(program.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message])).toEqual([
      [0, 0, 4, "names are ASCII letters, digits and _: 'dätä' has 'ä'"],
      [2, 15, 19, "names are ASCII letters, digits and _: 'dätä' has 'ä'"],
    ]);
  });
  it('treats \\r\\n and \\r as line breaks', () => {
    expect(lex('a\r\nb\rc').filter((x) => x.kind === 'newline').length).toBe(2);
  });
});

describe('parser recovery', () => {
  it('parses calls across lines inside brackets', () => {
    const f = parse('r = train(net,\n  data,\n  gd(lr = 0.1),\n  steps = 10)\nplot loss(r)');
    expect(f.errors).toEqual([]);
    expect(kinds(f.statements)).toEqual(['def:r', 'plot']);
  });
  it('an unclosed call ends at the next statement in column 0', () => {
    const f = parse('a = teacher(n = 1,\n  p = 2\nb = linear2(width = 3)\nplot loss(b)');
    expect(kinds(f.statements)).toEqual(['def:a', 'def:b', 'plot']);
    expect(f.errors.map((e) => e.message)).toEqual(["'(' of teacher(…) is never closed: expected ')'"]);
    const a = f.statements[0];
    expect(a.kind === 'def' && a.value.kind === 'call' && a.value.args.map((x) => x.name?.name)).toEqual(['n', 'p']);
  });
  it('a half-typed call keeps its arguments', () => {
    const f = parse('x = train(net, data, gd(lr = ');
    const x = f.statements[0];
    expect(x.kind === 'def' && x.value.kind === 'call' && x.value.args.length).toBe(3);
    expect(f.errors.length).toBeGreaterThan(0);
  });
  it('missing commas are reported and the arguments kept', () => {
    const f = parse('x = f(a b = 2)');
    expect(f.errors.map((e) => e.message)).toEqual(["expected ',' between arguments"]);
    const x = f.statements[0];
    expect(x.kind === 'def' && x.value.kind === 'call' && x.value.args.map((a) => a.name?.name ?? null)).toEqual([null, 'b']);
  });
  it('stray closing brackets are skipped', () => {
    const f = parse('x = f(1))\ny = 2');
    expect(kinds(f.statements)).toEqual(['def:x', 'def:y']);
    expect(f.errors).toHaveLength(1);
  });
  it('a mismatched bracket closes the right one', () => {
    const f = parse('x = f([1, 2)\ny = 3');
    expect(f.errors.map((e) => e.message)).toEqual(["'[' is never closed: expected ']'"]);
    const x = f.statements[0];
    expect(x.kind === 'def' && x.value.kind === 'call' && x.value.close !== null).toBe(true);
  });
  it('bare expressions are errors but stay in the tree', () => {
    const f = parse('teacher(n = 3)');
    expect(kinds(f.statements)).toEqual(['expr']);
    expect(f.errors[0].code).toBe('bare-expression');
  });
  it('selections parse, with recovery when half typed', () => {
    expect(parse('x = loss(gd[lr = 0.3])').errors).toEqual([]);
    const f = parse('plot loss(gd[lr');
    expect(f.errors.map((e) => e.message)).toContain("expected '=' after 'lr': a selection is gd[param = value, …]");
  });
  it('a selection by two parameters parses, its pairs inside its own bracket', () => {
    const f = parse('plot loss(r[lr = 0.1, x = 1], y = log)');
    expect(f.errors).toEqual([]);
    const p = f.statements[0];
    const sel = p.kind === 'plot' && p.value.kind === 'call' ? p.value.args[0]!.value : null;
    expect(sel?.kind === 'select' && [sel.param?.name, ...sel.more.map((m) => m.param?.name)]).toEqual(['lr', 'x']);
    expect(p.kind === 'plot' && p.value.kind === 'call' && p.value.args.map((a) => a.name?.name ?? a.value.kind)).toEqual(['select', 'y']);
    expect(p.kind === 'plot' && p.value.kind === 'call' && p.value.close).toBe(37);
  });
  it('a malformed pair of a selection recovers at the selection’s own bracket', () => {
    const f = parse('plot loss(r[lr = 0.1, x 1 2], y = log)');
    expect(f.errors.map((e) => e.message)).toEqual(["expected '=' after 'x': a selection is r[param = value, …]"]);
    const p = f.statements[0];
    expect(p.kind === 'plot' && p.value.kind === 'call' && p.value.args.map((a) => a.name?.name ?? a.value.kind)).toEqual(['select', 'y']);
  });
  it('never loops on junk', () => {
    const f = parse(')))]]]===,,,???\n@@@ (((');
    expect(f.statements.length).toBeGreaterThanOrEqual(0);
    expect(f.errors.length).toBeGreaterThan(0);
  });
});

describe('limits', () => {
  it('deep nesting is refused with a diagnostic, not a stack overflow', async () => {
    const { checkDocument, format } = await import('../../src/core/lang');
    for (const src of ['x = ' + '['.repeat(20000), 'x = ' + 'f('.repeat(20000) + ')'.repeat(20000), 'x = ' + '['.repeat(100) + ']'.repeat(100) + '\ny = 2']) {
      const { program, tree } = checkDocument(src);
      expect(program.diagnostics.some((d) => d.code === 'too-deep')).toBe(true);
      expect(() => format(src, tree)).not.toThrow();
    }
    const ok = checkDocument('x = ' + '['.repeat(100) + ']'.repeat(100) + '\ny = 2');
    expect(ok.program.definitions.map((d) => d.name)).toEqual(['x', 'y']);
  });
  it('a long file of junk parses in linear time', async () => {
    const { parse } = await import('../../src/core/lang');
    const junk = ')(,=]['.repeat(20000);
    expect(parse(junk).errors.length).toBeGreaterThan(0);
    const { checkDocument } = await import('../../src/core/lang');
    const { program } = checkDocument(')\n'.repeat(2000));
    expect(program.diagnostics).toHaveLength(501);
    expect(program.diagnostics[500].message).toMatch(/^\d+ more problems are not shown$/);
    expect(program.ok).toBe(false);
  });
});
