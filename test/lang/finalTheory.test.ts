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
