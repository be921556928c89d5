// Selection by several parameters, `r[lr = 0.1, delta = 2]`: the members matching every pair, in
// plots and as the parent of an offshoot; one pair keeps the definition keys it always had.
import { describe, expect, it } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const base = 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 6)\nr = train(net, data, label_noise(lr = [0.05, 0.1], delta = [1, 2]), steps = 20, seed = [0, 1])\n';
const lower = (text: string) => {
  const { program } = checkDocument(text, numericHooks());
  expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return lowerProgram(program);
};

describe('selection by several parameters', () => {
  it('a plot of r[lr = 0.1, delta = 2] draws the members with both (here: its two seeds), r[lr = 0.1] all four', () => {
    const l = lower(base + 'plot loss(r[lr = 0.1, delta = 2])\nplot loss(r[lr = 0.1])\nplot loss(r[seed = 1, delta = 1, lr = 0.05])\n');
    expect(l.plots[0]!.runIds).toEqual(['r[lr=0.1,delta=2,seed=0]', 'r[lr=0.1,delta=2,seed=1]']);
    expect(l.plots[1]!.runIds).toHaveLength(4);
    expect(l.plots[2]!.runIds).toEqual(['r[lr=0.05,delta=1,seed=1]']);
  });

  it('an offshoot of r[lr = 0.1, delta = 2, seed = 0] continues exactly that member', () => {
    const l = lower(base + 'o = train(r[lr = 0.1, delta = 2, seed = 0], data, gd(lr = 0.01), steps = 5)\nplot loss(o)\n');
    const o = l.runs.filter((x) => x.def === 'o');
    expect(o).toHaveLength(1);
    const parent = o[0]!.spec.from!;
    expect(parent.optimizer).toMatchObject({ lr: 0.1, delta: 2 });
    expect(parent.seed).toBe(0);
  });

  it('final(…) over a selection keeps the axes it does not fix', () => {
    const l = lower(base + 'plot final(loss, r[delta = 2, seed = 0], x = lr)\n');
    expect(l.plots[0]!.runIds).toEqual(['r[lr=0.05,delta=2,seed=0]', 'r[lr=0.1,delta=2,seed=0]']);
    const { program } = checkDocument(base + 'plot final(loss, r[delta = 2, lr = 0.1], x = «lr»)\n'.replace(/[«»]/g, ''), numericHooks());
    expect(program.diagnostics.map((d) => d.code)).toEqual(['unknown-axis']);
  });

  it('one pair keeps its definition key layout; two pairs key differently from one', () => {
    const one = lower(base + 'o = train(r[lr = 0.1], data, gd(lr = 0.01), steps = 5)\nplot loss(o)\n');
    const two = lower(base + 'o = train(r[lr = 0.1, delta = 2], data, gd(lr = 0.01), steps = 5)\nplot loss(o)\n');
    const key = (l: ReturnType<typeof lower>) => l.defs.find((d) => d.name === 'o')!.key;
    expect(key(one)).not.toBe(key(two));
  });
});

describe('a selection over an axis whose list is broken', () => {
  it('is no exception (found by the mutant suite: an unclosed list behind a swept lr)', () => {
    const text = 'data = sparse(n = 20, d = 30, s = 3)\nnet = diagonal(alpha = 0.1)\nlrs = [linspace(0.02, 0.5, 6)\ngd = train(net, data, gd(lr = lrs), steps = 50)\nplot gain(gd[lr = 0.02])\n';
    expect(() => checkDocument(text)).not.toThrow();
    expect(checkDocument(text).program.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('a selection by a name two axes share', () => {
  it('no member with the value on the axis it names: the message points at the other axis that has it', () => {
    const text = 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 6, seed = [1, 2])\nr = train(net, data, gd(lr = 0.01), steps = 20, seed = [5, 6])\nplot loss(r[seed = 1])\n';
    const errs = checkDocument(text).program.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => d.message)).toEqual([
      "'r' has no member with seed = 1; its values: 5, 6 (net.seed, another axis of r, has 1, but a selection cannot name it: sweep seed in one place to select by it)",
    ]);
  });
});
