// The optimisers' domain checks: heavy-ball momentum moves GD's stability limit to 2(1 + μ)/λ_max;
// a stepsize schedule is checked at its largest stepsize.
import { describe, expect, it, vi } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';

const run = (opt: string) => `data = teacher(n = 1000, p = 5, test = 1000)\nnet = linear2(width = 20)\nr = train(net, data, ${opt}, steps = 100)\n`;
const check = (opt: string) => {
  const lambdaMax = vi.fn(() => 2); // GD's limit: 2/λ = 1
  return checkDocument(run(opt), { ...numericHooks(), lambdaMax }).program.diagnostics;
};

describe('stability with momentum', () => {
  it('gd(lr = 1.5) is over 2/λ_max; with momentum 0.9 the limit is 2(1 + μ)/λ_max = 1.9', () => {
    expect(check('gd(lr = 1.5)').map((d) => d.code)).toEqual(['unstable-lr']);
    expect(check('gd(lr = 1.5, momentum = 0.9)').map((d) => d.code)).toEqual([]);
    const over = check('gd(lr = 3, momentum = 0.9)');
    expect(over.map((d) => d.code)).toEqual(['unstable-lr']);
    expect(over[0].message).toContain('2(1 + μ)/λ_max(XᵀX) with μ = 0.9');
  });

  it('momentum must be in [0, 1)', () => {
    expect(check('gd(lr = 0.1, momentum = 1)').map((d) => d.code)).toEqual(['range']);
  });
});
