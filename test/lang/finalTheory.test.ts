// `plot final(METRIC, families…, x = PARAM, theory = true)`: the theory's prediction of the final
// value, where the metric has one (logdet, Theorem 4.2); elsewhere a warning that it draws nothing.
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/core/lang';
import { lowerProgram } from '../../src/core/lower';
import { BUILTINS, type Builtin } from '../../src/core/lang/builtins';
import { runTraining } from '../../src/core/numeric/run';

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

describe('final(…, x = lr, theory = true): the stability rule a model declares (stabilityLimit)', () => {
  const models = BUILTINS.filter((b) => b.kind === 'model');
  /** a small full-batch GD family over lr of this model, on data it trains on */
  const fileFor = (m: Builtin) => {
    const data = m.data?.includes('completion') ? 'completion(observed = [[1, ?], [0.3, 1]])'
      : m.name === 'diagonal' ? 'sparse(n = 10, d = 20, s = 2)'
      : `teacher(n = 20, p = 3${m.outputs === 1 ? '' : ', k = 1'}${m.name === 'relu2' ? ', activation = relu' : ''})`;
    return `seed = 3\ndata = ${data}\nnet = ${m.example.slice(m.example.indexOf(' = ') + 3)}\ng = train(net, data, gd(lr = [0.01, 0.02]), steps = 3)\n`;
  };
  it('draws nothing (a warning) only when no model of the plotted runs declares a limit', () => {
    for (const m of models) {
      const codes = checkText(`${fileFor(m)}plot final(loss, g, x = lr, theory = true)\n`).diagnostics.map((d) => d.code);
      expect(codes, m.name).toEqual(m.stabilityLimit ? [] : ['no-theory']);
    }
    // linear2 and relu2 draw the linear model's limit on their data: no "draws nothing" warning
    expect(models.filter((m) => m.stabilityLimit === 'linear').map((m) => m.name)).toEqual(['linear2', 'relu2']);
  });
  it('the numeric core attaches the limit each model row declares, under its key', async () => {
    for (const m of models) {
      const run = lowerProgram(checkText(fileFor(m))).runs[0]!;
      const { theory } = await runTraining(run.spec);
      const keys = Object.keys(theory ?? {}).filter((k) => k.startsWith('lr_stability_limit'));
      expect(keys, m.name).toEqual(m.stabilityLimit === 'own' ? ['lr_stability_limit'] : m.stabilityLimit === 'linear' ? ['lr_stability_limit_linear'] : []);
    }
  });
});
