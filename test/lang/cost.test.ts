// The cost checks come before anything that generates data, count every size parameter, and
// print their figures as bounded text.
import { describe, expect, it, vi } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';
import { dataLambdaMax } from '../../src/core/numeric/data';
import { estimateCost } from '../../src/core/numeric/estimate';
import type { DataSpec, RunSpec } from '../../src/core/spec';

const run = (data: string, opt = 'gd(lr = 3)') => `data = ${data}\nnet = linear2(width = 20, init = gaussian(scale = 0.1))\nr = train(net, data, ${opt}, steps = 100)\n`;

describe('λ_max and the cost check', () => {
  it('an experiment over the limits is refused with its estimate, and λ_max is never asked for', () => {
    const lambdaMax = vi.fn(() => 1);
    const { program } = checkDocument(run('teacher(n = 1000, p = 5, test = 100000000)'), { ...numericHooks(), lambdaMax });
    expect(lambdaMax).not.toHaveBeenCalled();
    const refusal = program.diagnostics.filter((d) => d.code === 'too-expensive');
    expect(refusal).toHaveLength(1);
    expect(refusal[0].message).toMatch(/^this experiment is too large to run: memory ≈ 4\.\d\d? GB \(limit 1 GB\)/);
    expect(refusal[0].related?.[0].message).toMatch(/^test = 100000000 dominates the memory estimate/);
    expect(program.diagnostics.some((d) => d.code === 'unstable-lr')).toBe(false);
  });

  it('an affordable experiment still gets its λ_max and the stability warning', () => {
    const lambdaMax = vi.fn(() => 2);
    const { program } = checkDocument(run('teacher(n = 1000, p = 5, test = 1000)'), { ...numericHooks(), lambdaMax });
    expect(lambdaMax).toHaveBeenCalledTimes(1);
    expect(program.diagnostics.map((d) => d.code)).toEqual(['unstable-lr']);
  });

  it('λ_max of a data set generates only its inputs: a test set or teacher too large to allocate is not drawn', () => {
    const spec = (test: number, neurons: number): DataSpec => ({ kind: 'teacher', n: 50, p: 5, k: 1, noise: 0, test, activation: 'relu', neurons, seed: 0 });
    // 2⁵³ + 1 rows cannot be allocated (Invalid typed array length) if they were generated
    expect(dataLambdaMax(spec(2 ** 53 + 1, 2 ** 53 + 1), 0)).toBe(dataLambdaMax(spec(10, 3), 0));
    expect(Number.isFinite(dataLambdaMax(spec(10, 3), 0))).toBe(true);
  });
});

describe('the estimate counts the teacher and the test set', () => {
  const spec = (data: DataSpec): RunSpec => ({
    rootSeed: 0, seed: 0, data, model: { kind: 'relu2', width: 10, init: { kind: 'gaussian', scale: 1 }, seed: 0 },
    optimizer: { kind: 'gd', lr: 0.01, weight_decay: 0 }, steps: 10, record: 10, from: null,
  });
  const relu = (neurons: number, test = 1000): DataSpec => ({ kind: 'teacher', n: 40, p: 10, k: 1, noise: 0, test, activation: 'relu', neurons, seed: 0 });

  it('a ReLU teacher of many neurons costs time and memory in proportion', () => {
    const small = estimateCost(spec(relu(3)));
    const big = estimateCost(spec(relu(100_000)));
    // every neuron is evaluated on the 40 training and 1000 test inputs: 2·1040·10⁵·10 flops
    expect(big.flops - small.flops).toBeGreaterThan(2 * 1040 * (100_000 - 3) * 10);
    expect(big.bytes - small.bytes).toBeGreaterThanOrEqual(8 * (100_000 - 3) * 10);
    expect(big.seconds).toBeGreaterThan(4);
  });

  it('neurons has a maximum in the table: 2⁵³ + 1 neurons is a range error, not a crash', () => {
    const { program } = checkDocument(run('teacher(n = 40, p = 10, activation = relu, neurons = 9007199254740993)', 'gd(lr = 0.1)').replace('linear2', 'relu2'), numericHooks());
    // the range error, and (the size still reaching the cost check) the refusal with its estimate
    expect(program.diagnostics.map((d) => [d.code, d.message])[0]).toEqual(['range', "'neurons' of teacher(…) must be ≥ 1, ≤ 100000 (got 9007199254740992)"]);
    expect(program.diagnostics.slice(1).map((d) => d.code)).toEqual(['too-expensive']);
    expect(program.diagnostics[1]!.message).toMatch(/≈/);
  });
});

describe('the budget of a whole file', () => {
  const families = (count: number, members: number) => {
    const lines = ['data = teacher(n = 10, p = 2)', 'net = linear2(width = 4)'];
    for (let i = 0; i < count; i++) lines.push(`r${i} = train(net, data, gd(lr = linspace(0.001, 0.01, ${members})), steps = 10)`);
    return lines.join('\n');
  };

  it('100 families of 10⁴ tiny members are refused once, with the totals and the limits exceeded', () => {
    const { program } = checkDocument(families(100, 10_000), numericHooks());
    expect(program.diagnostics.map((d) => d.code)).toEqual(['file-too-expensive']);
    const [d] = program.diagnostics;
    expect(d.message).toMatch(/^this file is too large to run: 100 run families of 1000000 runs in all, time ≈ \d+ min, memory ≈ \d+\.\d GB \(the results of every run, and the largest run\); this exceeds the limit of 100000 runs and the memory limit of 2 GB/);
    // on the first (largest) family; the next ten are related, the rest counted
    expect(d.range.start.line).toBe(2);
    expect(d.related).toHaveLength(10);
    expect(d.related![9].message).toMatch(/^'r10': 10000 runs, .* \(and 89 more families\)$/);
    expect(program.ok).toBe(false);
  });

  it('a file within the limits has no file-level error', () => {
    expect(checkDocument(families(5, 10_000), numericHooks()).program.diagnostics).toEqual([]);
  });

  it('each run carries a fixed overhead in the estimate', () => {
    const tiny: RunSpec = {
      rootSeed: 0, seed: 0, data: { kind: 'teacher', n: 1, p: 1, k: 1, noise: 0, test: 0, activation: 'linear', neurons: 3, seed: 0 },
      model: { kind: 'linear2', width: 1, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, optimizer: { kind: 'gd', lr: 0.01, weight_decay: 0 }, steps: 0, record: 1, from: null,
    };
    const e = estimateCost(tiny);
    expect(e.seconds).toBeGreaterThanOrEqual(1e-3);
    expect(e.kept).toBeGreaterThanOrEqual(16_384);
  });
});

describe('sizes over their maximum', () => {
  it('steps = 1e12 is a range error and a refusal that states what it would cost', () => {
    const text = 'data = teacher(n = 100, p = 5, k = 1)\nnet = linear2(width = 8)\ngd = train(net, data, gd(lr = 0.01), steps = 1e12)\nplot loss(gd)\n';
    const { program } = checkDocument(text, numericHooks());
    const codes = program.diagnostics.map((d) => d.code);
    expect(codes).toContain('range');
    const refusal = program.diagnostics.find((d) => d.code === 'too-expensive');
    expect(refusal?.message).toMatch(/≈/);
    expect(refusal?.message).toMatch(/time/);
  });
});
