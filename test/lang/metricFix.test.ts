// A metric not defined for a run's model gets quick fixes to the metrics that are.
import { describe, expect, it } from 'vitest';
import { checkDocument, codeActions } from '../../src/core/lang';

const base = `data = teacher(n = 40, p = 3, k = 1)
net  = linear2(width = 6)
gd   = train(net, data, gd(lr = [0.01, 0.02]), steps = 400)
`;

function fixesOf(src: string) {
  const a = checkDocument(src).analysis;
  const d = a.program.diagnostics.find((x) => x.code === 'incompatible-metric');
  expect(d, 'an incompatible-metric error').toBeDefined();
  return { a, d: d!, fixes: codeActions(a, d!.range) };
}

/** The text after applying a fix's edits (one line's edits here). */
function applied(a: ReturnType<typeof checkDocument>['analysis'], edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  let text = a.text;
  for (const e of [...edits].reverse()) {
    const s = a.lines.offset(e.range.start);
    const t = a.lines.offset(e.range.end);
    text = text.slice(0, s) + e.newText + text.slice(t);
  }
  return text;
}

describe('quick fix for an incompatible metric', () => {
  it('plot gain(gd) on a linear2 run: change to loss (preferred) or another metric of linear2', () => {
    const { a, fixes } = fixesOf(base + 'plot gain(gd)\n');
    expect(fixes[0]).toMatchObject({ title: "Change to 'loss' (defined for linear2)", preferred: true });
    const offered = fixes.map((f) => f.edits[0]!.newText);
    expect(offered).toEqual(expect.arrayContaining(['loss', 'test_loss', 'logdet', 'singular_values']));
    expect(offered).not.toContain('gain');
    expect(offered).not.toContain('alignment');
    expect(fixes.filter((f) => f.preferred)).toHaveLength(1);
    const fixed = applied(a, fixes[0]!.edits);
    expect(fixed.endsWith('plot loss(gd)\n')).toBe(true);
    expect(checkDocument(fixed).program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('final(gain, gd, x = lr): the fix replaces the metric argument', () => {
    const { a, fixes } = fixesOf(base + 'plot final(gain, gd, x = lr)\n');
    const fixed = applied(a, fixes[0]!.edits);
    expect(fixed.endsWith('plot final(loss, gd, x = lr)\n')).toBe(true);
    expect(checkDocument(fixed).program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('a curve plot is not offered a metric computed only at the end of a run', () => {
    const src = 'data = teacher(n = 40, p = 3, k = 1)\nd = diagonal(alpha = 0.1)\nr = train(d, data, gd(lr = 0.01), steps = 100)\nplot logdet(r)\n';
    const { fixes } = fixesOf(src);
    const offered = fixes.map((f) => f.edits[0]!.newText);
    expect(offered[0]).toBe('loss');
    expect(offered).toContain('gain');
    expect(offered).not.toContain('bias_gap');
  });
});
