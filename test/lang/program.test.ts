// The checker's output contract (src/core/program.ts): canonical, resolved arguments.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocument, checkText } from '../../src/core/lang';
import { numericHooks } from '../../src/core/checkHooks';
import { lowerProgram } from '../../src/core/lower';

const src = `seed = 7
data = teacher(40, 10)
net  = linear2(width = 20, init = gaussian(0.5))
lrs  = linspace(0.1, 0.3, 3)
obs  = [[1, ?], [0.3, 1]]
gd   = train(net, data, gd(lr = lrs), steps = 100)
ln   = train(net, data, label_noise(lr = 0.01, delta = [1, 2]), 50)
off  = train(gd[lr = 0.2], data, gd(lr = 0.01), steps = 10)
plot logdet(gd, ln[delta = 2], theory = true, title = "t")
plot final(test_loss, gd, x = lr, y = log)
plot singular_values(ln, of = W2, top = 3)
`;

describe('CheckedProgram', () => {
  const { program } = checkDocument(src);
  const def = (n: string) => program.definitions.find((d) => d.name === n)!;

  it('is ok, with the root seed and the definitions in source order', () => {
    expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(program.ok).toBe(true);
    expect(program.seed).toBe(7);
    expect(program.definitions.map((d) => [d.name, d.category])).toEqual([
      ['data', 'data'], ['net', 'model'], ['lrs', 'value'], ['obs', 'value'], ['gd', 'run'], ['ln', 'run'], ['off', 'run'],
    ]);
  });

  it('names positional arguments and fills every default', () => {
    expect(def('data').value).toEqual({
      kind: 'call', builtin: 'teacher',
      args: {
        n: { kind: 'number', value: 40 }, p: { kind: 'number', value: 10 }, k: { kind: 'number', value: 1 },
        noise: { kind: 'number', value: 0 }, test: { kind: 'number', value: 1000 }, activation: { kind: 'word', value: 'linear' },
        neurons: { kind: 'number', value: 3 }, seed: { kind: 'number', value: 0 },
      },
    });
    expect(def('net').value).toEqual({
      kind: 'call', builtin: 'linear2',
      args: {
        width: { kind: 'number', value: 20 },
        init: { kind: 'call', builtin: 'gaussian', args: { scale: { kind: 'number', value: 0.5 } } },
        seed: { kind: 'number', value: 0 },
      },
    });
    const ln = def('ln').value as Extract<typeof program.definitions[0]['value'], { kind: 'call' }>;
    expect(ln.args.steps).toEqual({ kind: 'number', value: 50 });
    expect(ln.args.optimizer).toEqual({
      kind: 'call', builtin: 'label_noise',
      args: { lr: { kind: 'number', value: 0.01 }, delta: { kind: 'list', items: [{ kind: 'number', value: 1 }, { kind: 'number', value: 2 }] }, momentum: { kind: 'number', value: 0 }, batch: { kind: 'null' }, weight_decay: { kind: 'number', value: 0 } },
    });
  });

  it('evaluates linspace, keeps references as refs and records deps', () => {
    expect(def('lrs').value).toEqual({ kind: 'list', items: [0.1, 0.2, 0.3].map((value) => ({ kind: 'number', value })) });
    const gd = def('gd');
    expect(gd.deps).toEqual(['net', 'data', 'lrs']);
    expect((gd.value as { args: Record<string, unknown> }).args.model).toEqual({ kind: 'ref', name: 'net' });
    expect(gd.family).toEqual([{ param: 'lr', values: [0.1, 0.2, 0.3] }]);
    expect(def('obs').value).toEqual({ kind: 'matrix', rows: [[1, null], [0.3, 1]] });
  });

  it('resolves selections and offshoots', () => {
    const off = def('off');
    expect((off.value as { args: Record<string, unknown> }).args.model).toEqual({ kind: 'select', name: 'gd', where: [{ param: 'lr', value: 0.2 }] });
    expect(off.deps).toEqual(['gd', 'data']);
    expect(off.family).toBeUndefined();
  });

  it('resolves plots with their options', () => {
    expect(program.plots).toHaveLength(3);
    const [a, b, c] = program.plots;
    expect(a.builtin).toBe('logdet');
    expect(a.runs).toEqual([{ kind: 'ref', name: 'gd' }, { kind: 'select', name: 'ln', where: [{ param: 'delta', value: 2 }] }]);
    expect(a.options).toEqual({ x: { kind: 'word', value: 'step' }, y: { kind: 'word', value: 'linear' }, theory: { kind: 'bool', value: true }, title: { kind: 'string', value: 't' }, xlim: { kind: 'null' }, ylim: { kind: 'null' } });
    expect(a.deps).toEqual(['gd', 'ln']);
    expect(b.builtin).toBe('final');
    expect(b.options.metric).toEqual({ kind: 'word', value: 'test_loss' });
    expect(b.options.x).toEqual({ kind: 'word', value: 'lr' });
    expect(c.options.of).toEqual({ kind: 'word', value: 'W2' });
    expect(c.options.top).toEqual({ kind: 'number', value: 3 });
    expect(b.range.start.line).toBe(9);
  });

  it('is plain data (JSON round trip)', () => {
    expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  });

  it('logspace is geometric between its endpoints', () => {
    const p = checkText('x = logspace(0.001, 0.1, 3)');
    expect(p.definitions[0].value).toEqual({ kind: 'list', items: [0.001, 0.01, 0.1].map((value) => ({ kind: 'number', value })) });
  });
});

describe('the graph lowers what the checker produces', () => {
  it('lowers the program above to runs with the right members', () => {
    const lowered = lowerProgram(checkText(src));
    expect(lowered.diagnostics).toEqual([]);
    const ids = lowered.runs.map((r) => r.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['gd[lr=0.1]', 'gd[lr=0.2]', 'gd[lr=0.3]', 'ln[delta=1]', 'ln[delta=2]']));
    const ln = lowered.runs.find((r) => r.id === 'ln[delta=2]')!;
    expect(ln.spec.optimizer).toEqual({ kind: 'label_noise', lr: 0.01, delta: 2, batch: null, weight_decay: 0 });
    expect(ln.spec.data).toMatchObject({ kind: 'teacher', n: 40, p: 10, k: 1 });
    expect(ln.spec.rootSeed).toBe(7);
  });
  const examples = join(__dirname, '../../examples');
  for (const f of readdirSync(examples).filter((x) => x.endsWith('.sgdexp'))) {
    it(`${f} lowers without errors`, () => {
      // data files (csv) are read next to the example
      const lowered = lowerProgram(checkText(readFileSync(join(examples, f), 'utf8'), numericHooks({ file: join(examples, f), roots: [examples] })));
      expect(lowered.diagnostics).toEqual([]);
      expect(lowered.runs.length).toBeGreaterThan(0);
    });
  }
});

// The checker's families must be the lowering's members: same coordinate labels, and the
// product of the axis sizes is the number of runs (MAX_MEMBERS and the cost estimate use it).
describe('families agree with the lowered members', () => {
  const head = 'data = teacher(n = 40, p = 10)\nnet = linear2(width = 20)\n';
  const sources: Record<string, string> = {
    'lr of a parent run and of the optimiser': head + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10)\ns = train(r, data, gd(lr = [0.01, 0.02, 0.03]), steps = 10)',
    'seed of the data and of the run': head.replace('p = 10', 'p = 10, seed = [1, 2]') + 'r = train(net, data, gd(lr = 0.01), steps = 10, seed = [1, 2, 3])',
    'seed of the data and of the model': head.replace('p = 10', 'p = 10, seed = [1, 2]').replace('width = 20', 'width = 20, seed = [3, 4]') + 'r = train(net, data, gd(lr = 0.01), steps = 10)',
    'a list definition used twice is one axis': 'bs = [1, 2]\n' + head + 'r = train(net, data, sgd(lr = 0.1, batch = bs), steps = 10, seed = bs)',
    'a list definition inside a data definition keeps its parameter name': 'ns = [20, 40]\ndata = teacher(n = ns, p = 10)\nnet = linear2(width = 20)\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot loss(r[n = 20])',
    'a list definition inside an optimiser definition keeps its parameter name': 'lrs = [0.1, 0.2]\n' + head + 'opt = gd(lr = lrs)\nr = train(net, data, opt, steps = 10)\nplot loss(r[lr = 0.1])',
    'a selection drops its axis': head + 'r = train(net, data, gd(lr = [0.1, 0.2]), steps = 10, seed = [1, 2])\ns = train(r[lr = 0.1], data, gd(lr = 0.01), steps = 10)',
  };
  for (const [name, src] of Object.entries(sources)) {
    it(name, () => {
      const program = checkText(src);
      expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const lowered = lowerProgram(program);
      expect(lowered.diagnostics).toEqual([]);
      for (const d of program.definitions.filter((x) => x.category === 'run')) {
        const runs = lowered.runs.filter((r) => r.def === d.name);
        const labels = (d.family ?? []).map((f) => f.param);
        expect(runs.length).toBe((d.family ?? []).reduce((n, f) => n * f.values.length, 1));
        for (const r of runs) expect(Object.keys(r.member ?? {})).toEqual(labels);
      }
    });
  }
});
