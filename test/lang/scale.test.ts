// Files far larger than hand-written ones (generated, pasted, or hostile) must still check in
// time and memory linear in their size: one diagnostic per problem, capped related information.
import { describe, expect, it } from 'vitest';
import { checkDocument, complete, definition, format, hover, lex, MAX_SOURCE_BYTES, references } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

describe('duplicate definitions', () => {
  it('8,000 copies of one definition give one error with capped related information', () => {
    const { program } = checkDocument('x = 1\n'.repeat(8000));
    const dups = program.diagnostics.filter((d) => d.code === 'duplicate');
    expect(dups).toHaveLength(1);
    expect(dups[0].message).toBe("'x' is defined 8000 times (on lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … and 7989 more): only the first definition is used");
    // the first redefinition is the offending site
    expect(dups[0].range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
    expect(dups[0].related).toHaveLength(11);
    expect(dups[0].related![0]).toEqual({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: "'x' is first defined here (the definition used)" });
    expect(dups[0].related![10].message).toBe("'x' is defined 7989 more times from here on");
    expect(program.diagnostics).toHaveLength(1);
  });

  it('each group of duplicates gets its own error', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `a = ${i}\nb = ${i}\n`).join('');
    const { program } = checkDocument(text);
    expect(program.diagnostics.map((d) => [d.code, d.message.split(' (')[0]])).toEqual([
      ['duplicate', "'a' is defined 3000 times"],
      ['duplicate', "'b' is defined 3000 times"],
    ]);
    expect(program.diagnostics.every((d) => d.related!.length === 11)).toBe(true);
  });
});

describe('chains and cycles of definitions', () => {
  const chain = (n: number, cycle: boolean) => {
    const lines = [cycle ? `a0 = a${n - 1}` : 'a0 = 1'];
    for (let i = 1; i < n; i++) lines.push(`a${i} = a${i - 1}`);
    lines.push(`d = teacher(n = 10, p = 2, noise = a${n - 1})`, 'net = linear2(width = 4)', 'r = train(net, d, gd(lr = 0.01), steps = 10)');
    return lines.join('\n');
  };
  // positions in the chain: a definition's name, a reference near the end, the last line
  const probes = (text: string, n: number) => [text.indexOf(`a${n - 1} =`), text.indexOf(`= a${n - 2}`) + 2, text.indexOf(`noise = a${n - 1}`) + 9, text.indexOf('a0')];

  for (const [n, cycle] of [[2000, false], [20000, false], [2000, true]] as const) {
    it(`${cycle ? 'a cycle' : 'a chain'} of ${n} definitions gives diagnostics, and the language features answer in it`, () => {
      const text = chain(n, cycle);
      const { program, analysis } = checkDocument(text);
      const codes = new Set(program.diagnostics.map((d) => d.code));
      if (cycle) {
        expect(codes).toContain('cycle');
        const first = program.diagnostics.find((d) => d.code === 'cycle')!;
        expect(first.message).toBe(`cycle: a0 → a${n - 1} → a${n - 2} → a${n - 3} → … → a2 → a1 → a0`);
        expect(first.related!.length).toBeLessThanOrEqual(10);
        expect(first.related![9].message).toBe(`'a${n - 1 - 9}' is part of the cycle (and ${n - 11} more definitions)`);
      } else {
        const deep = program.diagnostics.filter((d) => d.code === 'chain-too-deep');
        expect(deep).toHaveLength(1);
        expect(deep[0].message).toBe("definition chain deeper than 256: 'a256' refers through 256 definitions (a256 → a255 → a254 → a253 → … → a2 → a1 → a0); shorten the chain");
        expect(deep[0].range.start.line).toBe(256);
      }
      expect(program.ok).toBe(false);
      for (const off of probes(text, n)) {
        expect(() => hover(analysis, off)).not.toThrow();
        expect(Array.isArray(complete(analysis, off))).toBe(true);
        expect(definition(analysis, off)).not.toBeNull();
        expect(references(analysis, off).length).toBeGreaterThan(0);
      }
      expect(() => lowerProgram(program)).not.toThrow();
    });
  }

  it('a chain of 256 definitions (a0 … a253, d, r) is followed to its end, and lowers to its run', () => {
    const { program } = checkDocument(chain(254, false));
    expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const lowered = lowerProgram(program);
    expect(lowered.diagnostics).toEqual([]);
    expect(lowered.runs.map((r) => r.spec.data)).toMatchObject([{ kind: 'teacher', noise: 1 }]);
  });
});

describe('junk and oversized documents', () => {
  it('a run of unexpected characters is one token and one diagnostic', () => {
    expect(lex('x = 1 @@\0\0\u200b').filter((t) => t.kind === 'error').map((t) => [t.text.length, t.problem])).toEqual([[5, "5 unexpected characters '@@\\0\\0U+200B'"]]);
    const { program } = checkDocument('\0'.repeat(1 << 20));
    expect(program.diagnostics.map((d) => d.message)).toEqual(["1048576 unexpected characters '\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0…'"]);
  });

  it('a document over the size limit (the CLI\'s) is one diagnostic at its start, and the features still answer', () => {
    for (const text of ['x = 1\n'.repeat(MAX_SOURCE_BYTES / 6) + 'y = 12', 'é'.repeat(MAX_SOURCE_BYTES / 2 + 1), '\0'.repeat(15_000_000)]) {
      const { program, analysis } = checkDocument(text);
      const bytes = Buffer.byteLength(text);
      expect(program.diagnostics).toEqual([{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'file-too-large',
        message: `file is ${bytes.toLocaleString('en-US')} bytes (${(bytes / 2 ** 20).toFixed(1)} MB); experiment files are limited to 1 MB (1,048,576 bytes)`,
      }]);
      expect(program.ok).toBe(false);
      expect(program.definitions).toEqual([]);
      expect(hover(analysis, 3)).toBeNull();
      expect(format(analysis.text, analysis.tree) ?? '').toBe('');
    }
    // exactly at the limit: checked
    expect(checkDocument(' '.repeat(MAX_SOURCE_BYTES)).program.diagnostics).toEqual([]);
  });
});
