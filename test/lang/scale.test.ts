// Files far larger than hand-written ones (generated, pasted, or hostile) must still check in
// time and memory linear in their size: one diagnostic per problem, capped related information.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/core/lang';

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
