// Where orthogonal(…) and balanced(…) make sense: the checker refuses balanced for relu2 (a ReLU
// network conserves only each neuron's ‖wⱼ‖² − ‖aⱼ‖²), at the initialisation's call.
import { describe, expect, it } from 'vitest';
import { numericHooks } from '../../src/core/checkHooks';
import { checkDocument } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const file = (net: string, data = 'teacher(n = 30, p = 3, k = 1, activation = relu)') => `data = ${data}\nnet = ${net}\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot loss(r)\n`;
const diags = (text: string) => checkDocument(text, numericHooks()).program.diagnostics;

describe('initialisations in the checker', () => {
  it('orthogonal is accepted by linear2, deep_linear and relu2; balanced by the linear ones', () => {
    expect(diags(file('relu2(width = 5, init = orthogonal(scale = 0.5))'))).toEqual([]);
    expect(diags(file('linear2(width = 5, init = balanced(0.5))'))).toEqual([]);
    expect(diags(file('deep_linear(depth = 3, width = 2, init = balanced())', 'completion(observed = [[1, ?], [0.3, 1]])'))).toEqual([]);
    expect(diags(file('deep_linear(depth = 3, width = 2, init = orthogonal())', 'completion(observed = [[1, ?], [0.3, 1]])'))).toEqual([]);
  });

  it('balanced in relu2 is an error at the call, saying why', () => {
    const text = file('relu2(width = 5, init = balanced(scale = 0.5))');
    const d = diags(text);
    expect(d.map((x) => x.code)).toEqual(['incompatible']);
    expect(d[0].message).toContain('balanced(…) is for linear2, deep_linear, not relu2');
    expect(text.split('\n')[d[0].range.start.line].slice(d[0].range.start.character, d[0].range.end.character)).toBe('balanced');
  });

  it('the spec carries the initialisation (gaussian runs keep their spec)', () => {
    const { program } = checkDocument(file('linear2(width = 5, init = orthogonal(scale = [0.5, 1]))'), numericHooks());
    expect(lowerProgram(program).runs.map((r) => r.spec.model)).toEqual([
      { kind: 'linear2', width: 5, init: { kind: 'orthogonal', scale: 0.5 }, seed: 0 },
      { kind: 'linear2', width: 5, init: { kind: 'orthogonal', scale: 1 }, seed: 0 },
    ]);
    const g = checkDocument(file('linear2(width = 5)'), numericHooks()).program;
    expect(lowerProgram(g).runs[0]!.spec.model).toEqual({ kind: 'linear2', width: 5, init: { kind: 'gaussian', scale: 1 }, seed: 0 });
  });
});
