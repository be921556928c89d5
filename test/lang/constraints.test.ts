// The constraints between the parts of a run are declared on the built-ins' rows (`models`,
// `data`, `outputs`) and enforced by one generic check (constraints.ts checkCompatibility): every
// declared constraint yields its `incompatible` diagnostic, and a constraint declared on a new row
// is enforced with no change to the checker.
import { afterEach, describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/core/lang';
import { BUILTINS, BUILTIN_BY_NAME, type Builtin, type ModelKind } from '../../src/core/lang/builtins';

/** The call a row's example defines: `net = linear2(width = 20)` → `linear2(width = 20)`. */
const call = (b: Builtin) => b.example.slice(b.example.indexOf(' = ') + 3);
const rows = (kind: Builtin['kind']) => BUILTINS.filter((b) => b.kind === kind);
const row = (name: string) => BUILTIN_BY_NAME.get(name)!;
const forModel = (b: Builtin, m: string) => !b.models || b.models.includes(m as ModelKind);
/** data sets made without a file (csv reads one) that a model accepts */
const dataFor = (m: Builtin) => rows('data').filter((d) => !d.params.some((p) => p.name === 'path') && forModel(d, m.name) && (!m.data || m.data.includes(d.name)));
/** a model's call with this initialisation */
const withInit = (m: Builtin, init: string) => (/init = \w+\([^)]*\)/.test(call(m)) ? call(m).replace(/init = \w+\([^)]*\)/, `init = ${init}`) : call(m).replace(/\)$/, `, init = ${init})`));

function file(model: string, data: string, opt = 'gd(lr = 0.01)'): string {
  return `net = ${model}\ndata = ${data}\nopt = ${opt}\nr = train(net, data, opt, steps = 10)\n`;
}
/** The `incompatible` errors, each with the text it covers. */
function incompatible(text: string): { at: string; message: string }[] {
  const lines = text.split('\n');
  return checkDocument(text)
    .program.diagnostics.filter((d) => d.code === 'incompatible')
    .map((d) => ({ at: lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character), message: d.message }));
}
const metricErrors = (text: string) => checkDocument(text).program.diagnostics.filter((d) => d.code === 'incompatible-metric').map((d) => d.message);
/** The error at `at` in the train(…) line or at a callee. */
const expectAt = (text: string, at: string, ...says: string[]) => {
  const found = incompatible(text).filter((d) => d.at === at);
  expect(found, `${text}→ ${JSON.stringify(incompatible(text))}`).toHaveLength(1);
  for (const s of says) expect(found[0]!.message).toContain(s);
};

describe('every constraint a row declares yields its diagnostic', () => {
  const cases: [string, () => void][] = [];
  for (const d of rows('data').filter((b) => b.models)) {
    for (const m of rows('model').filter((x) => !forModel(d, x.name))) {
      cases.push([`${d.name} data on ${m.name}`, () => expectAt(file(call(m), call(d)), 'data', `${d.name} data is for ${d.models!.join(', ')}`, m.name)]);
    }
  }
  for (const m of rows('model').filter((b) => b.data)) {
    for (const d of rows('data').filter((x) => !m.data!.includes(x.name) && forModel(x, m.name) && !x.params.some((p) => p.name === 'path'))) {
      cases.push([`${m.name} on ${d.name} data`, () => expectAt(file(call(m), call(d)), 'net', `${m.name} is trained on ${m.dataWhy}`, `${d.name} data`)]);
    }
  }
  for (const m of rows('model').filter((b) => b.outputs !== undefined)) {
    cases.push([`${m.name} with ${m.outputs! + 1} outputs`, () => expectAt(file(call(m), `teacher(n = 40, p = 10, k = ${m.outputs! + 1})`), 'data', `has k = ${m.outputs! + 1} outputs`, `use k = ${m.outputs}`)]);
  }
  for (const i of rows('init').filter((b) => b.models)) {
    for (const m of rows('model').filter((x) => x.params.some((p) => p.name === 'init') && !forModel(i, x.name))) {
      cases.push([`${i.name} in ${m.name}`, () => expectAt(file(withInit(m, call(i)), call(dataFor(m)[0]!)), i.name, `${i.name}(…) is for ${i.models!.join(', ')}, not ${m.name}`, ...(i.modelsWhy ? [i.modelsWhy] : []))]);
    }
  }
  for (const o of rows('optimizer').filter((b) => b.models)) {
    for (const m of rows('model').filter((x) => !forModel(o, x.name))) {
      cases.push([`${o.name} on ${m.name}`, () => expectAt(file(call(m), call(dataFor(m)[0]!), call(o)), 'opt', o.name, `trains a ${m.name} model`, ...(o.instead ? [`use ${o.instead}`] : []))]);
    }
  }

  for (const m of rows('model').filter((b) => b.matrices)) {
    for (const metric of rows('metric').filter((x) => forModel(x, m.name))) {
      const of = metric.params.find((p) => p.name === 'of');
      const words = of?.type.t === 'word' ? of.type.words.filter((w) => !m.matrices!.of.includes(w)) : [];
      for (const w of words) {
        cases.push([`${metric.name}(of = ${w}) of ${m.name}`, () => {
          const text = file(call(m), call(dataFor(m)[0]!)) + `plot ${metric.name}(r, of = ${w})\n`;
          expect(metricErrors(text)).toEqual([`${m.matrices!.why}: use of = ${m.matrices!.of[0]} (not ${w})`]);
        }]);
      }
    }
  }

  for (const metric of rows('metric').filter((b) => b.against)) {
    const m = rows('model').find((x) => forModel(metric, x.name) && (!x.data || x.data.includes('teacher')))!;
    const bad = metric.against!.data ? ['teacher(n = 40, p = 10)', 'sparse(n = 20, d = 30, s = 3)'] : [];
    for (const d of bad) {
      cases.push([`${metric.name} of a run on ${d}`, () => {
        expect(metricErrors(file(call(m), d) + `plot ${metric.name}(r)\n`)).toEqual([expect.stringContaining(`${metric.against!.why}: 'r' is trained on `)]);
      }]);
    }
  }

  it('covers every kind of declared constraint', () => {
    // completion on the models other than deep_linear, deep_linear on the others, diagonal and
    // relu2's single output, balanced in relu2, sgf on the nonlinear-flow models
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  it.each(cases)('%s', (_, run) => run());

  it('a data set names its samples in the batch-size error (samplesAre)', () => {
    for (const d of rows('data').filter((b) => b.samplesAre)) {
      const m = rows('model').find((x) => forModel(d, x.name) && (!x.data || x.data.includes(d.name)))!;
      const msgs = checkDocument(file(call(m), call(d), 'sgd(lr = 0.01, batch = 1000000)')).program.diagnostics.filter((x) => x.code === 'range').map((x) => x.message);
      expect(msgs).toEqual([expect.stringMatching(new RegExp(`^batch = 1000000 is larger than the number of ${d.samplesAre} \\(\\d+\\)$`))]);
    }
  });
  it('a compatible run has no incompatible error', () => {
    for (const m of rows('model')) for (const d of dataFor(m)) expect(incompatible(file(call(m), call(d)))).toEqual([]);
  });
});

describe('a constraint declared on a row is enforced without touching the checker', () => {
  const saved = new Map<Builtin, Partial<Builtin>>();
  const declare = (name: string, fields: Partial<Builtin>) => {
    const b = row(name);
    // the value before the test's first declaration of each field
    saved.set(b, { ...Object.fromEntries(Object.keys(fields).map((k) => [k, b[k as keyof Builtin]])), ...saved.get(b) });
    Object.assign(b, fields);
  };
  afterEach(() => {
    for (const [b, old] of saved) {
      for (const [k, v] of Object.entries(old)) {
        if (v === undefined) delete (b as unknown as Record<string, unknown>)[k];
        else Object.assign(b, { [k]: v });
      }
    }
    saved.clear();
  });

  it('an optimiser for some models only', () => {
    const text = file('linear2(width = 20)', 'teacher(n = 40, p = 10)', 'gd(lr = 0.01)');
    expect(incompatible(text)).toEqual([]);
    declare('gd', { models: ['diagonal'], modelsWhy: 'is a test’s optimiser for diagonal networks', instead: 'sgd' });
    expectAt(text, 'opt', 'gd is a test’s optimiser for diagonal networks; this run trains a linear2 model — use sgd');
  });
  it('a model with a fixed number of outputs, and one trained on some data only', () => {
    const text = file('linear2(width = 20)', 'teacher(n = 40, p = 10, k = 2)');
    expect(incompatible(text)).toEqual([]);
    declare('linear2', { outputs: 1 });
    expectAt(text, 'data', 'a linear2 network has one output, but the teacher has k = 2 outputs: use k = 1');
    declare('linear2', { outputs: undefined, data: ['sparse'], dataWhy: 'sparse regression data' });
    expectAt(text, 'net', 'linear2 is trained on sparse regression data, sparse(…); this run has teacher data');
  });
  it('a model recording some matrices only, a metric with its own reason', () => {
    const text = file('linear2(width = 20)', 'teacher(n = 40, p = 10)') + 'plot singular_values(r, of = W2)\nplot sv_ratio(r)\n';
    expect(metricErrors(text)).toEqual([]);
    declare('linear2', { matrices: { of: ['W1', 'product'], why: 'a test’s linear2 records no W2' } });
    declare('sv_ratio', { models: ['deep_linear'], modelsWhy: 's₂/s₁ is a test’s deep_linear metric' });
    expect(metricErrors(text)).toEqual(['a test’s linear2 records no W2: use of = W1 (not W2)', "s₂/s₁ is a test’s deep_linear metric; 'r' trains a linear2 model"]);
  });
  it('a metric measured against the teacher, and a data set made by none', () => {
    const text = file('linear2(width = 20)', 'teacher(n = 40, p = 10)') + 'plot logdet(r)\n';
    expect(metricErrors(text)).toEqual([]);
    declare('logdet', { against: { why: 'logdet is a test’s teacher metric', instead: 'loss' } });
    expect(metricErrors(text)).toEqual([]);
    declare('teacher', { teacherless: 'a test’s teacherless set' });
    expect(metricErrors(text)).toEqual(["logdet is a test’s teacher metric; 'r' is trained on a test’s teacherless set, which has none: use loss"]);
    declare('logdet', { against: { why: 'logdet needs sparse data', data: { name: 'sparse', args: {} }, instead: 'sparse(…)' } });
    expect(metricErrors(text)).toEqual(["logdet needs sparse data: 'r' is trained on teacher data; use sparse(…)"]);
  });
  it('GD’s stability check runs on the data sets declared gaussian', () => {
    const codes = (text: string) => checkDocument(text).program.diagnostics.map((d) => d.code);
    const text = file('diagonal(alpha = 0.1)', 'sparse(n = 20, d = 30, s = 3)', 'gd(lr = 5)');
    expect(codes(text)).toEqual(['unstable-lr']);
    declare('sparse', { gaussian: false });
    expect(codes(text)).toEqual([]);
  });
  it('… for the optimisers declared to take GD steps', () => {
    const codes = (text: string) => checkDocument(text).program.diagnostics.map((d) => d.code);
    const text = file('diagonal(alpha = 0.1)', 'sparse(n = 20, d = 30, s = 3)', 'label_noise(lr = 5, delta = 0)');
    expect(codes(text)).toEqual(['unstable-lr']);
    declare('label_noise', { gdSteps: false });
    expect(codes(text)).toEqual([]);
  });
  it('a data set and an initialisation for some models only', () => {
    const text = file('linear2(width = 20, init = orthogonal(0.5))', 'sparse(n = 20, d = 30, s = 3)');
    expect(incompatible(text)).toEqual([]);
    declare('orthogonal', { models: ['deep_linear'] });
    expectAt(text, 'orthogonal', 'orthogonal(…) is for deep_linear, not linear2');
    declare('sparse', { models: ['diagonal'] });
    expectAt(text, 'data', 'sparse data is for diagonal models; this run trains a linear2 model');
  });
});

describe('a problem of a shared definition is said once', () => {
  it('an initialisation a model does not take, the model used by three runs: one error, not three', () => {
    const text = 'data = teacher(n = 50, p = 3, activation = relu)\nn1 = relu2(width = 4, init = balanced(scale = 1))\n' +
      ['r', 's', 'q'].map((n, i) => `${n} = train(n1, data, gd(lr = 0.0${i + 1}), steps = 10)`).join('\n');
    const errs = checkDocument(text).program.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => [d.range.start.line, d.range.start.character, d.code])).toEqual([[1, 29, 'incompatible']]);
  });
});
