// `plot final(METRIC, families…, x = PARAM, theory = true)`: the theory's prediction of the final
// value, where the metric has one (logdet, Theorem 4.2); elsewhere a warning that it draws nothing.
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';

const head = `seed = 2
data = teacher(n = 50, p = 3, k = 1)
net  = linear2(width = 6)
ln = train(net, data, label_noise(lr = 0.005, delta = [0.5, 1, 2]), steps = 100)
`;

describe('final(…, theory = true)', () => {
  it('is accepted for logdet and reaches the plot spec', () => {
    const p = checkText(`${head}plot final(logdet, ln, x = delta, theory = true)\n`);
    expect(p.diagnostics).toEqual([]);
    const plot = lowerProgram(p).plots[0]!.spec;
    expect([plot.kind, plot.metric, plot.x, plot.theory]).toEqual(['final', 'logdet', 'delta', true]);
  });

  it('warns, on the argument, when the metric has no theory line', () => {
    const text = `${head}plot final(loss, ln, x = delta, theory = true)\n`;
    const d = checkText(text).diagnostics;
    expect(d.map((x) => [x.severity, x.code, x.message])).toEqual([['warning', 'no-theory', 'loss has no theory line; theory = true draws nothing']]);
    // on `theory = true`, the last line's argument
    const line = text.split('\n').length - 2;
    const col = text.split('\n')[line]!.indexOf('theory = true');
    expect(d[0]!.range.start).toEqual({ line, character: col });
  });

  it('defaults to no theory line', () => {
    const plot = lowerProgram(checkText(`${head}plot final(logdet, ln, x = delta)\n`)).plots[0]!.spec;
    expect(plot.theory).toBe(false);
  });
});

describe('bias_gap (diagonal networks, end-of-run)', () => {
  const diag = `seed = 4
data = sparse(n = 20, d = 30, s = 3)
net  = diagonal(alpha = 0.1)
gd  = train(net, data, gd(lr = [0.1, 0.2]), steps = 100)
`;
  it('final(bias_gap(to = …), …, x = lr, theory = true) is accepted and reads the chosen prediction', () => {
    for (const [to, key] of [['', 'bias_gap_exact'], ['(to = effective)', 'bias_gap_effective'], ['(to = flow)', 'bias_gap_flow']]) {
      const p = checkText(`${diag}plot final(bias_gap${to}, gd, x = lr, y = log, theory = true)\n`);
      expect(p.diagnostics).toEqual([]);
      const spec = lowerProgram(p).plots[0]!.spec;
      expect([spec.kind, spec.metric, spec.x, spec.theory]).toEqual(['final', key, 'lr', true]);
    }
  });
  it('is an error as a curve along training: it exists only at the end of a run', () => {
    const d = checkText(`${diag}plot bias_gap(gd)\n`).diagnostics;
    expect(d.map((x) => [x.severity, x.code])).toEqual([['error', 'final-only']]);
  });
  it('is an error on a model other than diagonal, at the run', () => {
    const d = checkText(`${head}plot final(bias_gap, ln, x = delta)\n`).diagnostics;
    expect(d.map((x) => [x.severity, x.code, x.message])).toEqual([['error', 'incompatible-metric', "bias_gap is defined for diagonal; 'ln' trains a linear2 model"]]);
  });
  it('theory = true with x = lr on a diagonal family draws the stability limit: no "draws nothing" warning', () => {
    expect(checkText(`${diag}plot final(loss, gd, x = lr, theory = true)\n`).diagnostics).toEqual([]);
  });
});
