// The optimisers' domain checks: heavy-ball momentum moves GD's stability limit to 2(1 + μ)/λ_max;
// a stepsize schedule is checked at its largest stepsize.
import { describe, expect, it, vi } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const run = (opt: string) => `data = teacher(n = 1000, p = 5, test = 1000)\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = train(net, data, ${opt}, steps = 100)\n`;
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

describe('stepsize schedules', () => {
  const lowered = (text: string) => {
    const { program } = checkDocument(text, numericHooks());
    return { diagnostics: program.diagnostics, runs: program.diagnostics.some((d) => d.severity === 'error') ? [] : lowerProgram(program).runs };
  };
  const file = (opt: string, extra = '') => `${extra}data = teacher(n = 100, p = 5)\nnet = linear2(width = 8, init = gaussian(scale = 0.1))\nr = train(net, data, ${opt}, steps = 300)\nplot loss(r)\n`;

  it('a schedule is accepted as lr, inline or by name; cosine spans the run (its horizon is the run’s steps)', () => {
    const a = lowered(file('gd(lr = cosine(0.1, 0.001))'));
    expect(a.diagnostics).toEqual([]);
    expect(a.runs[0]!.spec.optimizer.lr).toEqual({ kind: 'cosine', from: 0.1, to: 0.001, horizon: 300 });
    const b = lowered(file('sgd(lr = s, batch = 4, momentum = 0.5)', 's = step_decay(0.1, 0.5, every = 100)\n'));
    expect(b.diagnostics).toEqual([]);
    expect(b.runs[0]!.spec.optimizer).toEqual({ kind: 'sgd', lr: { kind: 'step_decay', from: 0.1, factor: 0.5, every: 100 }, batch: 4, momentum: 0.5, weight_decay: 0 });
    const c = lowered(file('label_noise(lr = warmup(0.05, steps = [10, 20]), delta = 1)'));
    expect(c.diagnostics).toEqual([]);
    expect(c.runs.map((r) => r.spec.optimizer.lr)).toEqual([{ kind: 'warmup', to: 0.05, steps: 10 }, { kind: 'warmup', to: 0.05, steps: 20 }]);
  });

  it('a schedule is refused where the number is not a stepsize (sgf’s lr is the noise scale)', () => {
    const d = lowered(file('sgf(dt = 0.01, lr = cosine(0.1, 0.01), delta = 1)')).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['type']);
  });

  it('the stability warning uses the schedule’s largest stepsize', () => {
    expect(check('gd(lr = warmup(0.5, 10))').map((d) => d.code)).toEqual([]);
    const w = check('gd(lr = warmup(1.5, 10))');
    expect(w.map((d) => d.code)).toEqual(['unstable-lr']);
    expect(w[0].message).toContain('the largest stepsize of warmup(…) = 1.5');
    expect(check('gd(lr = cosine(1.5, 0.01))').map((d) => d.code)).toEqual(['unstable-lr']);
    expect(check('gd(lr = cosine(0.5, 0.01))').map((d) => d.code)).toEqual([]);
  });
});
