// Messages are read by people and terminals: bounded figures, and no raw control or invisible
// characters copied from the user's text.
import { describe, expect, it } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument, printable } from '../../src/core/lang';
import { fmtBytes, fmtSeconds } from '../../src/core/lang/domain';

describe('figures in messages', () => {
  it('sizes and durations beyond any unit are bounded text, never NaN or Infinity', () => {
    expect([fmtBytes(1.6e293 * 2 ** 50), fmtBytes(Infinity), fmtBytes(1e18), fmtBytes(NaN)]).toEqual(['more than 1000 EB', 'more than 1000 EB', '1 EB', 'an unknown amount']);
    expect([fmtSeconds(Infinity), fmtSeconds(1e300), fmtSeconds(200 * 86400), fmtSeconds(5000 * 86400), fmtSeconds(NaN)]).toEqual(['more than a million years', 'more than a million years', '200 days', '14 years', 'an unknown time']);
  });

  it('sizes use the decimal units the --max-memory option reads (1GB = 10⁹ bytes): the default limit shows as 1 GB', () => {
    expect([fmtBytes(1e9), fmtBytes(2e9), fmtBytes(1.5e9), fmtBytes(999), fmtBytes(1000), fmtBytes(512e6)]).toEqual(['1 GB', '2 GB', '1.5 GB', '999 B', '1 KB', '512 MB']);
  });

  it('the refusal of an absurd experiment states bounds', () => {
    const { program } = checkDocument('data = teacher(n = 1e300, p = 1e300)\nnet = linear2(width = 1e300)\nr = train(net, data, gd(lr = 0.1), steps = 1e9)', numericHooks());
    const refusal = program.diagnostics.find((d) => d.code === 'too-expensive')!;
    expect(refusal.message).toBe('this experiment is too large to run: memory more than 1000 EB (limit 1 GB), time more than a million years (limit 30 min), more than 1e+300 flops per run');
    for (const d of program.diagnostics) expect(d.message).not.toMatch(/NaN|Infinity|e\+\d{3} [A-Z]B/);
  });
});

describe('the user\'s text quoted in messages', () => {
  it('printable escapes controls and names invisible characters', () => {
    expect(printable('a\u001b[31mb\0c\u200bd\ne\u202ef')).toBe('a\\u001b[31mb\\0c U+200Bd\\ne U+202Ef'.replace(/ /g, ''));
  });

  it('controls and invisible characters are escaped in diagnostics', () => {
    const { program } = checkDocument('x = 1 \u001b[31m\ny = \0\nz = 1 "\u200b\u001b"\nw = 1 \u200b');
    expect(program.diagnostics.map((d) => d.message)).toEqual([
      "unexpected character '\\u001b'",
      "unexpected '[': a statement ends at the end of its line",
      "unexpected character '\\0'",
      "unexpected '\"U+200B\\u001b\"': a statement ends at the end of its line",
      "unexpected character 'U+200B'",
    ]);
    for (const d of program.diagnostics) expect(d.message).not.toMatch(/[\u0000-\u001f\u007f\u200b]/);
  });

  it('a long token is quoted in part', () => {
    const { program } = checkDocument(`x = 1 "${'a'.repeat(10_000)}"`);
    expect(program.diagnostics[0].message).toBe(`unexpected '"${'a'.repeat(39)}…': a statement ends at the end of its line`);
  });
});
