// What the editor shows about a run before it runs (its estimated cost, an inlay hint) and about a
// stepsize (GD's stability limit 2/λ_max, on hover): the checker meets both through the numeric
// hooks, so only a check with the hooks knows them.
import { describe, expect, it } from 'vitest';
import { checkDocument, hover, inlayHints } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';

const text = [
  'data = teacher(n = 40, p = 3, k = 1)',
  // a small init: the linear model's limit binds (docs/theory.md §7b)
  'net = linear2(width = 6, init = gaussian(scale = 0.1))',
  'small = train(net, data, gd(lr = 0.02), steps = 400, record = 50)',
  'opt = gd(lr = [0.1, 3])',
  'big = train(net, data, opt, steps = 2000000)',
  '',
].join('\n');

describe('cost inlay hints', () => {
  it('give each run definition its estimated time, a family its members summed', () => {
    const a = checkDocument(text, numericHooks()).analysis;
    const cost = inlayHints(a).filter((h) => h.cost);
    expect(cost.map((h) => [h.cost, h.position.line])).toEqual([['small', 2], ['big', 4]]);
    expect(cost[0]!.label).toBe(' < 0.1 s');
    expect(cost[1]!.label).toMatch(/^ ≈ \d+(\.\d+)? s$/);
    expect(cost[1]!.tooltip).toContain('2 runs in all');
  });
  it('are absent without the hooks (no estimate)', () => {
    expect(inlayHints(checkDocument(text).analysis).some((h) => h.cost)).toBe(false);
  });
});

describe('hover on a stepsize', () => {
  it("tells GD's stability limit and the stepsize's ratio to it", () => {
    const a = checkDocument(text, numericHooks()).analysis;
    const h = hover(a, text.indexOf('0.02') + 1)!;
    expect(h.contents).toMatch(/stability limit 2\/λ_max\(XᵀX\) ≈ [\d.]+, λ_max\(XᵀX\) ≈ [\d.]+ \(/);
    expect(h.contents).toMatch(/lr is [\d.e-]+× the limit/);
    const list = hover(a, text.indexOf('0.1,') + 1)!;
    expect(list.contents).toContain('1 of 2 values above it');
  });
});

describe('hover on a stepsize of a wide linear2 at its default init', () => {
  it('tells the limit at initialisation, the binding one (docs/theory.md §7b)', () => {
    const t = 'data = teacher(n = 200, p = 5)\nnet = linear2(width = 100)\nr = train(net, data, gd(lr = 0.001), steps = 100)\nplot loss(r)\n';
    const a = checkDocument(t, numericHooks()).analysis;
    const h = hover(a, t.indexOf('0.001') + 1)!;
    expect(h.contents).toMatch(/stability limit 2\/\(2·width·scale²·λ_max\(XᵀX\)\), the limit at initialisation ≈ [\d.e-]+/);
  });
});
