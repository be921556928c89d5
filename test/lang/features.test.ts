// Editor features at cursor positions marked `|` in fixture text.
import { describe, expect, it } from 'vitest';
import {
  checkDocument, codeActions, complete, definition, documentSymbols, foldingRanges, format, highlights, hover, inlayHints, prepareRename,
  parse, references, rename, semanticTokens, shape, signatureHelp,
} from '../../src/core/lang';
import { cursor } from './helpers';

const base = `seed = 1
data = teacher(n = 40, p = 10)
net  = linear2(width = 20)
lrs  = linspace(0.01, 0.1, 4)
gd   = train(net, data, gd(lr = lrs), steps = 1000)
ln   = train(net, data, label_noise(lr = 0.01, delta = 2), steps = 1000)
`;

function at(src: string) {
  const { text, offset } = cursor(src);
  return { a: checkDocument(text).analysis, offset, text };
}
const labels = (src: string) => {
  const { a, offset } = at(src);
  return complete(a, offset).map((c) => c.label);
};

describe('completion at cursor markers', () => {
  it('offers the parameters not yet given, and values for the next positional slot', () => {
    const got = labels(base + 'r = train(net, data, gd(lr = 0.1), |');
    expect(got).toEqual(expect.arrayContaining(['steps', 'record', 'seed']));
    expect(got).not.toContain('model');
    expect(got).not.toContain('data');
  });
  it('offers optimisers (and no models) for the optimiser slot', () => {
    const got = labels(base + 'r = train(net, data, |');
    expect(got).toEqual(expect.arrayContaining(['gd', 'sgd', 'label_noise', 'sgf']));
    expect(got).not.toContain('linear2');
    expect(got).not.toContain('net');
  });
  it('offers models and runs (offshoots) for the model slot, never the definition itself', () => {
    const { a, offset } = at(base + 'r = train(|');
    const values = complete(a, offset).filter((c) => c.kind !== 'parameter').map((c) => c.label);
    expect(values).toEqual(expect.arrayContaining(['net', 'gd', 'ln', 'linear2', 'diagonal']));
    expect(values).not.toContain('r');
    expect(values).not.toContain('data');
  });
  it('offers the allowed words of a parameter', () => {
    expect(labels(base + 'plot singular_values(gd, of = |')).toEqual(['W1', 'W2', 'product']);
    expect(labels(base + 'plot loss(gd, y = l|')).toEqual(['linear', 'log']);
  });
  it('offers metrics after plot', () => {
    const got = labels(base + 'plot |');
    expect(got).toEqual(expect.arrayContaining(['loss', 'logdet', 'singular_values', 'final', 'gain']));
    expect(got).not.toContain('teacher');
  });
  it('offers runs and family members inside a metric', () => {
    const got = labels(base + 'plot loss(|');
    expect(got).toEqual(expect.arrayContaining(['gd', 'ln', 'gd[lr = …]']));
    expect(got).not.toContain('net');
  });
  it('after named arguments only parameter names fit; runs already drawn are not offered again', () => {
    expect(labels(base + 'plot final(loss, gd, x = lr, |')).toEqual(['y', 'theory', 'title', 'xlim', 'ylim']);
    const got = labels(base + 'plot loss(gd, |');
    expect(got).toContain('ln');
    expect(got).not.toContain('gd');
  });
  it('offers the swept parameters inside a selection and as final(x = …)', () => {
    expect(labels(base + 'plot loss(gd[|')).toEqual(['lr']);
    expect(labels(base + 'plot final(loss, gd, x = |')).toEqual(['lr']);
  });
  it('never offers a qualified swept parameter (r.lr), which a selection or x cannot spell', () => {
    const fam = base + 's = train(gd, data, sgd(lr = [0.1, 0.2]), steps = 10, seed = [1, 2])\n';
    expect(labels(fam + 'plot loss(s[|')).toEqual(['seed']);
    expect(labels(fam + 'plot final(loss, s, x = |')).toEqual(['seed']);
    expect(labels(fam + 'plot loss(ln, |')).not.toContain('s[gd.lr = …]');
  });
  it('offers constructors after `name =`', () => {
    const got = labels(base + 'm = |');
    expect(got).toEqual(expect.arrayContaining(['teacher', 'linear2', 'train', 'linspace']));
    expect(got).not.toContain('loss');
  });
  it('offers `plot` at the start of a line, nothing inside comments or strings', () => {
    expect(labels(base + '|')).toContain('plot');
    expect(labels(base + '# a comm|ent')).toEqual([]);
    expect(labels(base + 'plot loss(gd, title = "ab|c")')).toEqual([]);
  });
  it('completes parameter names being typed, with snippets', () => {
    const { a, offset } = at('data = teacher(n = 40, ne|)');
    const items = complete(a, offset);
    const neurons = items.find((c) => c.label === 'neurons')!;
    expect(neurons.insertText).toBe('neurons = ${1:3}');
    expect(neurons.snippet).toBe(true);
    expect(items.map((c) => c.label)).not.toContain('n');
    expect(neurons.range).toEqual({ start: { line: 0, character: 23 }, end: { line: 0, character: 25 } });
  });
  it('whole-call snippets fill required parameters with examples', () => {
    const { a, offset } = at('d = |');
    const t = complete(a, offset).find((c) => c.label === 'teacher')!;
    expect(t.insertText).toBe('teacher(n = ${1:40}, p = ${2:10})');
  });
  it('works in a file with an error elsewhere', () => {
    expect(labels('x = = )\n' + base + 'plot singular_values(gd, of = |')).toEqual(['W1', 'W2', 'product']);
  });
});

describe('hover at cursor markers', () => {
  const h = (src: string) => {
    const { a, offset } = at(src);
    return hover(a, offset)?.contents ?? '';
  };
  it('shows the doc string and formula of a built-in', () => {
    const got = h(base + 'plot log|det(gd)');
    expect(got).toContain('logdet(runs…');
    expect(got).toContain('2η²δ·k·tr(XᵀX)');
  });
  it('shows a parameter with its type, unit and default', () => {
    expect(h(base + 'o = sgd(lr = 0.1, bat|ch = 2)')).toContain('`batch` (integer, ≥ 1, samples (b); default 1; a list sweeps it)');
  });
  it('shows a definition at a reference, with its family', () => {
    const got = h(base + 'plot loss(g|d)');
    expect(got).toContain('gd   = train(net, data, gd(lr = lrs), steps = 1000)');
    expect(got).toContain('Family over lr ∈ {0.01, 0.04, 0.07, 0.1}');
  });
  it('an offshoot of a family: the swept parameter is said to be the parent run\'s (its own may differ)', () => {
    const got = h(base + 'o2 = train(gd, data, gd(lr = 0.5), steps = 10)\nplot loss(o|2)');
    expect(got).toContain('Family over lr ∈ {0.01, 0.04, 0.07, 0.1} (swept in gd, which this run continues)');
    expect(h(base + 'plot loss(g|d)')).not.toContain('which this run continues');
  });
  it('explains a word', () => {
    expect(h(base + 'plot loss(gd, y = l|og)')).toContain('`y`');
  });
});

describe('signature help', () => {
  it('marks the active parameter, positional or named', () => {
    const { a, offset } = at(base + 'r = train(net, data, |');
    const s = signatureHelp(a, offset)!;
    expect(s.label).toBe('train(model, data, optimizer, steps, record = 1000, seed = 0)');
    expect(s.label.slice(...s.parameters[s.activeParameter!].label)).toBe('optimizer');
    const b = at(base + 'r = train(net, data, gd(lr = 0.1), steps = 10, se|');
    const s2 = signatureHelp(b.a, b.offset)!;
    expect(s2.activeParameter).toBe(5);
  });
  it('points at the runs of a metric', () => {
    const { a, offset } = at(base + 'plot loss(gd, |');
    const s = signatureHelp(a, offset)!;
    expect(s.label.slice(...s.parameters[s.activeParameter!].label)).toBe('runs…');
  });
});

describe('navigation and rename', () => {
  const text = base + 'plot loss(gd, ln)\nplot gain(gd[lr = 0.01])\n';
  const a = checkDocument(text).analysis;
  const offsetOf = (needle: string, k = 0) => {
    let i = -1;
    for (let j = 0; j <= k; j++) i = text.indexOf(needle, i + 1);
    return i;
  };
  it('goes to the definition', () => {
    expect(definition(a, offsetOf('gd, ln') + 1)).toEqual({ start: { line: 4, character: 0 }, end: { line: 4, character: 2 } });
  });
  it('finds references, with and without the declaration', () => {
    const withDecl = references(a, offsetOf('gd, ln'));
    expect(withDecl.map((r) => r.start.line)).toEqual([4, 6, 7]);
    expect(references(a, offsetOf('gd, ln'), false)).toHaveLength(2);
  });
  it('highlights every occurrence, the definition as written', () => {
    expect(highlights(a, offsetOf('gd, ln')).map((h) => [h.range.start.line, h.write])).toEqual([[4, true], [6, false], [7, false]]);
  });
  it('renames every site, and not the built-in gd(…) call of the same name', () => {
    const r = rename(a, offsetOf('gd, ln'), 'full');
    expect('edits' in r && r.edits.map((e) => `${e.range.start.line}:${e.range.start.character}`)).toEqual(['4:0', '6:10', '7:10']);
  });
  it('refuses to rename onto an existing or a built-in name', () => {
    expect(rename(a, offsetOf('gd, ln'), 'ln')).toEqual({ error: "'ln' is already defined" });
    expect(rename(a, offsetOf('gd, ln'), 'teacher')).toEqual({ error: "'teacher' is the name of a built-in" });
    expect(rename(a, offsetOf('gd, ln'), 'plot')).toEqual({ error: "'plot' is a reserved word" });
    expect(rename(a, offsetOf('gd, ln'), '2x')).toHaveProperty('error');
    expect(prepareRename(a, offsetOf('loss'))).toBeNull();
  });
});

describe('outline, folding, tokens', () => {
  const text = '# a\n# b\ndata = teacher(n = 4,\n  p = 2)\nplot loss(x)\n';
  const a = checkDocument(text).analysis;
  it('lists definitions and plots', () => {
    expect(documentSymbols(a).map((s) => [s.name, s.kind])).toEqual([['data', 'data'], ['plot loss(x)', 'plot']]);
  });
  it('folds multi-line statements and comment blocks', () => {
    expect(foldingRanges(a)).toEqual([{ startLine: 0, endLine: 1, kind: 'comment' }, { startLine: 2, endLine: 3 }]);
  });
  it('classifies tokens', () => {
    const t = semanticTokens(a).map((x) => `${x.line}:${x.character}:${x.type}`);
    expect(t).toEqual(expect.arrayContaining(['0:0:comment', '2:0:variable', '2:7:function', '2:15:parameter', '2:19:number', '4:0:keyword']));
  });
});

describe('inlay hints', () => {
  it('count the members of each family at the end of its definition, or after its name when the line is long', () => {
    const a = checkDocument(base + 'grid = train(net, data, sgd(lr = lrs, batch = [1, 2, 4]), steps = 10, seed = [1, 2])').analysis;
    const h = inlayHints(a);
    expect(h.map((x) => [x.position.line, x.label, x.tooltip])).toEqual([
      [4, ' 4 runs', 'lr: 4 values'],
      [6, '×24', '24 runs: lr: 4 values × batch: 3 values × seed: 2 values'],
    ]);
  });
});

describe('formatting', () => {
  it('lays out canonically and aligns `=` in blocks', () => {
    const src = 'seed=1\ndata=teacher( n=40,p =10 )  # the data\nnetwork = linear2(width=20)\n\n\n\nplot   loss( r ,y=log)\n';
    expect(format(src)).toBe('seed    = 1\ndata    = teacher(n = 40, p = 10)  # the data\nnetwork = linear2(width = 20)\n\nplot loss(r, y = log)\n');
  });
  it('breaks long calls one argument per line, keeping comments', () => {
    const src = 'r = train(net, data,  # first\n  gd(lr = 0.1), steps = 10)\n';
    const out = format(src)!;
    expect(out).toBe('r = train(\n  net,\n  data,  # first\n  gd(lr = 0.1),\n  steps = 10\n)\n');
    expect(format(out)).toBe(out);
  });
  it('keeps comments inside a list or a nested call in place, breaking what holds them', () => {
    const src = 'r = train(net, data, gd(lr = 0.1, # small\n    weight_decay = 0), steps = 10)  # end\nx = [1, [2, # c\n 3], 4]\ny = f( # first\n  a,\n  # own line\n  b, # after b\n  # before close\n)\n';
    const out = format(src)!;
    expect(out).toBe([
      'r = train(', '  net,', '  data,', '  gd(', '    lr = 0.1,  # small', '    weight_decay = 0', '  ),', '  steps = 10', ')  # end',
      'x = [', '  1,', '  [', '    2,  # c', '    3', '  ],', '  4', ']',
      'y = f(', '  # first', '  a,', '  # own line', '  b  # after b', '  # before close', ')', '',
    ].join('\n'));
    expect(format(out)).toBe(out);
    expect(shape(parse(out))).toEqual(shape(parse(src)));
  });
  it('leaves a comment it cannot place alone (inside a selection, between a name and its value)', () => {
    expect(format('plot loss(r[lr = # c\n 0.1])\n')).toBeNull();
    expect(format('o = gd(lr = # c\n 0.1)\n')).toBeNull();
  });
  it('leaves a file with syntax errors alone', () => {
    expect(format('x = f(')).toBeNull();
  });
});

describe('code actions', () => {
  it('fixes a misspelt name', () => {
    const text = base + 'r = train(nte, data, gd(lr = 0.1), steps = 10)';
    const a = checkDocument(text).analysis;
    const d = a.program.diagnostics.find((x) => x.code === 'unknown-name')!;
    const [fix] = codeActions(a, d.range);
    expect(fix.title).toBe("Change to 'net'");
    expect(fix.edits).toEqual([{ range: d.range, newText: 'net' }]);
  });
  it('adds a missing required argument', () => {
    const text = 'o = gd()\nd = teacher(n = 3)';
    const a = checkDocument(text).analysis;
    const fixes = a.program.diagnostics.flatMap((d) => codeActions(a, d.range));
    const apply = (t: string, f: (typeof fixes)[0]) => {
      const e = f.edits[0];
      const off = a.lines.offset(e.range.start);
      return t.slice(0, off) + e.newText + t.slice(a.lines.offset(e.range.end));
    };
    expect(fixes.map((f) => f.title)).toEqual(['Add lr', 'Add p']);
    expect(apply(text, fixes[0])).toBe('o = gd(lr = 0.01)\nd = teacher(n = 3)');
    expect(apply(text, fixes[1])).toBe('o = gd()\nd = teacher(n = 3, p = 10)');
  });
});

describe('completion after plot', () => {
  it('offers the metrics with a curve and final(…), not bias_gap (a final value only: an error as plot bias_gap(…))', () => {
    const got = labels('data = sparse(n = 20, d = 30, s = 3)\nr = train(diagonal(alpha = 0.1), data, gd(lr = 0.1), steps = 10)\nplot |');
    expect(got).toEqual(expect.arrayContaining(['gain', 'loss', 'final']));
    expect(got).not.toContain('bias_gap');
    expect(labels('data = sparse(n = 20, d = 30, s = 3)\nr = train(diagonal(alpha = 0.1), data, gd(lr = 0.1), steps = 10)\nplot final(|')).toContain('bias_gap');
  });
});
