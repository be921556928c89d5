// Property tests (fast-check): for 10,000+ generated and mutated files the parser and checker
// never throw, every range lies inside the document, and formatting is a fixed point that
// re-parses to the same tree and the same tokens (comments kept).
import { breathe } from '../breathe';
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { checkDocument, complete, format, hover, parse, signatureHelp } from '../../src/core/lang';
import { VOCAB, assert, checkAll, rangeInside, splitsPair } from './propertyHelpers';

// The vocabulary comes from the built-ins table (every built-in, parameter and word value), plus
// a few names of definitions and one unknown name of each sort.
const NAMES = ['data', 'net', 'gd', 'sgd', 'ln', 'lrs', 'x', 'run2'];
const FUNCS = [...VOCAB.builtins, 'nope'];
const PARAMS = [...VOCAB.params, 'bogus'];
const WORDS = [...VOCAB.words, 'lr'];

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

// A fixed seed: a failure reproduces on every machine (change it to explore other files).
fc.configureGlobal({ seed: 20241 });

describe('properties', () => {
  it('files with comments inside calls and lists are formatted (not refused), idempotently, keeping the tree (2,000 files)', async () => {
    await fc.assert(
      fc.asyncProperty(commented, async (t) => {
        await breathe();
        checkAll(t);
        if (parse(t).errors.length === 0) assert(format(t) !== null, 'a valid file with comments inside was not formatted', t);
      }),
      { numRuns: 2000 },
    );
  });
  it('generated files: no throw, ranges inside, format is an idempotent, tree-preserving fixed point (5,000 files)', async () => {
    await fc.assert(fc.asyncProperty(file, async (t) => (await breathe(), checkAll(t))), { numRuns: 5000 });
  });
  it('mutated files: no throw, ranges inside, format (when it formats) idempotent (5,000 files)', async () => {
    // the example: a lone high surrogate before a pair (its error token once took half the pair)
    await fc.assert(fc.asyncProperty(mutated, async (t) => (await breathe(), checkAll(t))), { numRuns: 5000, examples: [['\ud83d😀\ude00']] });
  });
  it('editor features at any offset of a mutated file never throw and stay inside it (1,500 files)', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, fc.nat(), async (t, o) => {
        await breathe();
        const { analysis } = checkDocument(t);
        let off = t.length ? o % (t.length + 1) : 0;
        if (splitsPair(t, off)) off--; // a caret sits before or after a character, never inside one
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
