import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang';
import { claimHints } from '../../src/core/claimHints';
import type { ClaimResult } from '../../src/core/wire/results';

const src = (extra = '') => `data = teacher(n = 10, p = 3, k = 1)
net = linear2(width = 4)
gd = train(net, data, gd(lr = 0.02), steps = 100)
${extra}expect final(loss, gd) < 1
expect final(loss, gd) > 1e9
`;

const result = (line: number, text: string, status: ClaimResult['status'], summary: string): ClaimResult => ({
  line, text, status, summary, values: {}, message: status === 'held' ? null : `the claim does not hold: ${summary}`,
  range: { start: { line: line - 1, character: 7 }, end: { line: line - 1, character: 7 + text.length } },
});

const ran = [
  result(4, 'final(loss, gd) < 1', 'held', 'final(loss, gd) = 0.01 < 1'),
  result(5, 'final(loss, gd) > 1e9', 'failed', 'final(loss, gd) = 0.01 > 1e9'),
];

describe('claim hints', () => {
  it('puts ✓ / ✗ and the measured values at the end of each expect statement', () => {
    const p = checkText(src());
    const hs = claimHints(p.claims, ran);
    expect(hs.map((h) => [h.position, h.label])).toEqual([
      [{ line: 3, character: 'expect final(loss, gd) < 1'.length }, '✓ final(loss, gd) = 0.01 < 1'],
      [{ line: 4, character: 'expect final(loss, gd) > 1e9'.length }, '✗ final(loss, gd) = 0.01 > 1e9'],
    ]);
  });

  it('follows a claim moved by an edit not yet run, and drops the verdict of an edited claim', () => {
    const p = checkText(src('# a new comment\n').replace('> 1e9', '> 1e8'));
    const hs = claimHints(p.claims, ran);
    expect(hs.map((h) => [h.position.line, h.label])).toEqual([[4, '✓ final(loss, gd) = 0.01 < 1']]);
  });

  it('shows nothing without results', () => {
    expect(claimHints(checkText(src()).claims, null)).toEqual([]);
  });
});
