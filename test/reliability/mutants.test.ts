// Reliability (a): 10,000 grammar-aware mutants of every shipped file (examples/, templates/)
// through the checker and the formatter. The mutation vocabulary is the built-ins table's (every
// built-in and parameter name, the word values) plus the language's punctuation, numbers and
// strings. Promised: no exception, every range inside the document, and formatting (of the
// mutants that still parse) idempotent and lossless — test/lang/propertyHelpers.ts checkAll.
import { breathe } from '../breathe';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lex } from '../../src/core/lang';
import { VOCAB, checkAll, type CheckCounts } from '../lang/propertyHelpers';

const ROOT = join(__dirname, '../..');
const FILES = ['examples', 'templates'].flatMap((d) =>
  readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.sgdexp')).map((f) => ({ name: `${d}/${f}`, text: readFileSync(join(ROOT, d, f), 'utf8') })),
);
const MUTANTS = 10_000;

const PUNCT = ['=', '(', ')', '[', ']', ',', '?', '#', '"', "'", '\n', '\r\n', '\t', ' '];
const LITERALS = ['0', '1', '-1', '-1.5', '.5', '1e-3', '2e1', '1e', '1e400', '1e12', '999999999', 'true', 'false', '"a title"', "'x'", '"unterminated', 'plot', 'seed'];
const TOKENS = [...VOCAB.builtins, ...VOCAB.params, ...VOCAB.words, ...PUNCT, ...LITERALS];
const NAMES = new Set([...VOCAB.builtins]);
const PARAMS = new Set([...VOCAB.params]);

// Characters editors and lexers get wrong: lone surrogate halves next to a pair, a zero-width
// space, line/paragraph separators, a BOM, letters outside ASCII.
const AWKWARD = fc.constantFrom('\ud83d', '\ude00', '😀', 'é', 'θ', '\u200b', '\u2028', '\u2029', '\ufeff', '\u0000', '\r');

type Mutation =
  | { op: 'replace' | 'insert' | 'delete'; at: number; tok: string }
  | { op: 'swap'; at: number; pick: number }
  | { op: 'dupLine' | 'delLine'; at: number }
  | { op: 'unbalance'; at: number; tok: string; drop: boolean }
  | { op: 'unicode'; at: number; s: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const), at: fc.nat(), tok: fc.constantFrom(...TOKENS) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), pick: fc.nat() }),
  fc.record({ op: fc.constantFrom('dupLine' as const, 'delLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('unbalance' as const), at: fc.nat(), tok: fc.constantFrom('(', ')', '[', ']'), drop: fc.boolean() }),
  fc.record({ op: fc.constant('unicode' as const), at: fc.nat(), s: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.string({ unit: AWKWARD, minLength: 1, maxLength: 4 })) }),
);

/** One mutation, on the tokens of the current text (so edits land on token boundaries). */
function apply(text: string, m: Mutation): string {
  const toks = lex(text).filter((t) => t.kind !== 'eof');
  const pick = <T,>(xs: readonly T[], k: number) => xs[k % xs.length];
  const splice = (s: number, e: number, by: string) => text.slice(0, s) + by + text.slice(e);
  switch (m.op) {
    case 'replace':
    case 'delete':
    case 'insert': {
      if (!toks.length) return m.op === 'delete' ? text : m.tok + text;
      const t = pick(toks, m.at);
      if (m.op === 'replace') return splice(t.start, t.end, m.tok);
      if (m.op === 'delete') return splice(t.start, t.end, '');
      return splice(t.start, t.start, m.tok + ' ');
    }
    case 'swap': {
      // a built-in for another built-in, a parameter for another parameter
      const names = toks.filter((t) => t.kind === 'name' && (NAMES.has(t.text) || PARAMS.has(t.text)));
      if (!names.length) return text;
      const t = pick(names, m.at);
      const pool = NAMES.has(t.text) ? VOCAB.builtins : VOCAB.params;
      return splice(t.start, t.end, pick(pool, m.pick));
    }
    case 'dupLine':
    case 'delLine': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      if (m.op === 'dupLine') lines.splice(i, 0, lines[i]);
      else lines.splice(i, 1);
      return lines.join('\n');
    }
    case 'unbalance': {
      const brackets = toks.filter((t) => '()[]'.includes(t.kind));
      if (m.drop && brackets.length) {
        const t = pick(brackets, m.at);
        return splice(t.start, t.end, '');
      }
      const at = toks.length ? pick(toks, m.at).start : 0;
      return splice(at, at, m.tok);
    }
    case 'unicode': {
      const at = m.at % (text.length + 1);
      return splice(at, at, m.s);
    }
  }
}

const mutant = fc.tuple(fc.nat({ max: FILES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([f, ms]) => ({
  file: FILES[f].name,
  ops: ms.map((m) => m.op),
  text: ms.reduce(apply, FILES[f].text),
}));

describe('reliability (a): mutants of the shipped files', () => {
  it('every shipped file itself passes the checks and formats', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
    for (const f of FILES) checkAll(f.text);
  });

  it(`${MUTANTS} mutants: no exception, ranges inside, formatting idempotent and lossless`, async () => {
    const counts: CheckCounts = { files: 0, formatted: 0, diagnostics: 0 };
    const perOp = new Map<string, number>();
    let exceptions = 0;
    let changed = 0;
    const original = new Set(FILES.map((f) => f.text));
    await fc.assert(
      fc.asyncProperty(mutant, async ({ file, ops, text }) => {
        await breathe();
        if (!original.has(text)) changed++;
        for (const op of ops) perOp.set(op, (perOp.get(op) ?? 0) + 1);
        try {
          checkAll(text, counts);
        } catch (e) {
          exceptions++;
          throw new Error(`mutant of ${file}: ${(e as Error).message}`);
        }
      }),
      { numRuns: MUTANTS, seed: 424242 },
    );
    console.log(
      `reliability(a): ${counts.files} mutants of ${FILES.length} files, ${exceptions} exceptions, ${changed} differ from their file, ` +
        `${counts.formatted} formatted (idempotent, lossless), ${counts.diagnostics} diagnostics inside their documents; ` +
        `operators ${[...perOp].map(([k, v]) => `${k}:${v}`).join(' ')}`,
    );
    expect(counts.files).toBe(MUTANTS);
    expect([...perOp.keys()].sort()).toEqual(['delLine', 'delete', 'dupLine', 'insert', 'replace', 'swap', 'unbalance', 'unicode']);
    expect(changed).toBeGreaterThan(MUTANTS * 0.9);
    // both halves of the property are exercised: mutants that still format, and mutants refused
    expect(counts.formatted).toBeGreaterThan(MUTANTS * 0.05);
    expect(counts.formatted).toBeLessThan(MUTANTS);
  });
});
