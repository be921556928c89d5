import { describe, expect, it } from 'vitest';
import { lowerProgram, memberId, offshootKeys } from '../../src/core/lower';
import { checkpointStateHash, stateHashOfBytes } from '../../src/core/graph/state';
import { serializeCheckpoint, type Checkpoint } from '../../src/core/numeric/run';
import { checkText } from '../../src/core/lang/index';
import { call, list, num, program, ref, select, twoRuns, word } from './helpers';

describe('lowering a checked program', () => {
  it('builds RunSpecs by parameter name, with defaults and the root seed', () => {
    const l = lowerProgram(twoRuns());
    expect(l.runs.map((r) => r.id)).toEqual(['gd', 'ln']);
    const gd = l.runs[0].spec;
    expect(gd).toEqual({
      rootSeed: 1, seed: 0, steps: 200, record: 50, from: null,
      data: { kind: 'teacher', n: 20, p: 5, k: 1, noise: 0, test: 1000, activation: 'linear', neurons: 3, seed: 0 },
      model: { kind: 'linear2', width: 8, init: { kind: 'gaussian', scale: 0.5 }, seed: 0 },
      optimizer: { kind: 'gd', lr: 0.05, weight_decay: 0 },
    });
    expect(l.runs[1].spec.optimizer).toEqual({ kind: 'label_noise', lr: 0.05, delta: 0.5, batch: null, weight_decay: 0 });
    expect(l.plots.map((p) => p.spec)).toEqual([
      { title: 'log det(θᵀθ)', kind: 'series', metric: 'logdet', runs: ['gd', 'ln'], x: 'step', y: 'linear', theory: true },
      { title: 'training loss', kind: 'series', metric: 'loss', runs: ['gd'], x: 'step', y: 'log', theory: false },
      { title: 'training loss', kind: 'series', metric: 'loss', runs: ['ln'], x: 'step', y: 'linear', theory: false },
    ]);
  });

  it('keys are content hashes: renaming keeps every key, an edit changes exactly the edited run', () => {
    const a = lowerProgram(twoRuns());
    const renamed = lowerProgram(twoRuns({ nameA: 'plain_gd' }));
    expect(renamed.runs.map((r) => r.key)).toEqual(a.runs.map((r) => r.key));
    expect(renamed.plots.map((p) => p.defKey)).toEqual(a.plots.map((p) => p.defKey));
    const edited = lowerProgram(twoRuns({ lrA: 0.06 }));
    expect(edited.runs[0].key).not.toBe(a.runs[0].key);
    expect(edited.runs[1].key).toBe(a.runs[1].key);
    // same spec at other steps: same prefix key, different key
    const longer = lowerProgram(twoRuns({ stepsA: 400 }));
    expect(longer.runs[0].prefixKey).toBe(a.runs[0].prefixKey);
    expect(longer.runs[0].key).not.toBe(a.runs[0].key);
    // the root seed is part of every key
    const reseeded = lowerProgram({ ...twoRuns(), seed: 2 });
    expect(reseeded.runs[1].key).not.toBe(a.runs[1].key);
    // a plot option changes the plot's key, no run key
    const titled = lowerProgram(twoRuns({ title: 'mine' }));
    expect(titled.plots[1].defKey).not.toBe(a.plots[1].defKey);
    expect(titled.runs.map((r) => r.key)).toEqual(a.runs.map((r) => r.key));
  });

  it('expands families: a list (inline or by reference) makes members, two lists a grid', () => {
    const p = program({
      defs: [
        ['data', 'data', call('sparse', { n: num(10), d: num(20), s: num(2) })],
        ['net', 'model', call('diagonal', { alpha: num(0.1) })],
        ['lrs', 'value', list(0.1, 0.2, 0.30000000000000004)],
        ['gd', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: ref('lrs') }), steps: num(100) })],
        ['grid', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('sgd', { lr: list(0.1, 0.2), batch: list(1, 5) }), steps: num(100) })],
      ],
      plots: [
        ['final', [ref('gd')], { metric: word('test_loss') }],
        ['gain', [select('gd', 'lr', 0.2)], {}],
      ],
    });
    const l = lowerProgram(p);
    expect(l.runs.filter((r) => r.def === 'gd').map((r) => r.id)).toEqual(['gd[lr=0.1]', 'gd[lr=0.2]', 'gd[lr=0.3]']);
    expect(l.runs.find((r) => r.id === 'gd[lr=0.3]')!.member).toEqual({ lr: 0.30000000000000004 });
    expect(l.runs.filter((r) => r.def === 'grid').map((r) => r.id)).toEqual([
      'grid[lr=0.1,batch=1]', 'grid[lr=0.1,batch=5]', 'grid[lr=0.2,batch=1]', 'grid[lr=0.2,batch=5]',
    ]);
    expect(new Set(l.runs.map((r) => r.key)).size).toBe(7);
    expect(l.plots[0].spec).toMatchObject({ kind: 'final', metric: 'test_loss', x: 'lr', runs: ['gd[lr=0.1]', 'gd[lr=0.2]', 'gd[lr=0.3]'] });
    expect(l.plots[1].spec).toMatchObject({ kind: 'gain', metric: 'gain', runs: ['gd[lr=0.2]'] });
    expect(memberId('a', { lr: 0.1, batch: 2 })).toBe('a[lr=0.1,batch=2]');
  });

  it('an offshoot continues from its parent run (from = parent spec), per member', () => {
    const p = program({
      defs: [
        ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
        ['net', 'model', call('deep_linear', { depth: num(3), width: num(4) })],
        ['warm', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: list(0.1, 0.2), weight_decay: num(0.01) }), steps: num(50) })],
        ['cool', 'run', call('train', { model: ref('warm'), data: ref('data'), optimizer: call('gd', { lr: num(0.01) }), steps: num(50) })],
      ],
      plots: [['rank', [ref('cool')]]],
    });
    const l = lowerProgram(p);
    const cool = l.runs.filter((r) => r.def === 'cool');
    expect(cool.map((r) => [r.id, r.parent])).toEqual([['cool[lr=0.1]', 'warm[lr=0.1]'], ['cool[lr=0.2]', 'warm[lr=0.2]']]);
    expect(cool[0].spec.from).toEqual(l.runs.find((r) => r.id === 'warm[lr=0.1]')!.spec);
    expect(cool[0].spec.model).toEqual({ kind: 'deep_linear', depth: 3, width: 4, init: { kind: 'gaussian', scale: 1 }, seed: 0 });
  });

  it("an offshoot's own key leaves out its parent's spec, keeps its chain depth; the parent enters as its final state", () => {
    const mk = (o: { warmSeed?: number; warmRecord?: number; warmLr?: number; coolLr?: number } = {}) =>
      lowerProgram(
        program({
          defs: [
            ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
            ['net', 'model', call('linear2', { width: num(4) })],
            ['warm', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(o.warmLr ?? 0.1) }), steps: num(50), seed: num(o.warmSeed ?? 0), record: num(o.warmRecord ?? 20) })],
            ['cool', 'run', call('train', { model: ref('warm'), data: ref('data'), optimizer: call('gd', { lr: num(o.coolLr ?? 0.01) }), steps: num(50) })],
            ['cold', 'run', call('train', { model: ref('cool'), data: ref('data'), optimizer: call('gd', { lr: num(o.coolLr ?? 0.01) }), steps: num(50) })],
          ],
          plots: [['loss', [ref('cold')]]],
        }),
      );
    const run = (l: ReturnType<typeof mk>, id: string) => l.runs.find((r) => r.id === id)!;
    const a = mk();
    expect(run(a, 'warm').own).toBeNull();
    const own = run(a, 'cool').own!;
    expect(run(mk({ warmSeed: 3, warmRecord: 40, warmLr: 0.2 }), 'cool').own).toEqual(own); // any parent edit
    expect(run(mk({ warmSeed: 3 }), 'cool').key).not.toBe(run(a, 'cool').key); // the spec key holds the parent
    expect(run(mk({ coolLr: 0.02 }), 'cool').own!.key).not.toBe(own.key);
    // the same own spec one generation further (another noise stream): another own key
    expect(run(a, 'cold').spec.optimizer).toEqual(run(a, 'cool').spec.optimizer);
    expect(run(a, 'cold').own!.key).not.toBe(own.key);
    const k = offshootKeys(own, 'state-1');
    expect(offshootKeys(own, 'state-1')).toEqual(k);
    expect(offshootKeys(own, 'state-2').key).not.toBe(k.key);
    expect(k.key).not.toBe(k.prefixKey);
  });

  it("the parent-state hash covers the parameters an offshoot reads: not the noise stream, the permutation, the trajectory or the spec key", () => {
    const ck = (o: Partial<Checkpoint> = {}): Checkpoint => ({
      version: 1, specKey: 'a', step: 50, record: 20, rng: [1, 2, 3, 4, 5, 6],
      arrays: { theta: Float64Array.from([0.5, -0, 1e-300]), perm: Float64Array.from([2, 0, 1]) },
      trajectory: { step: [0, 50], time: [0, 5], metrics: { loss: [1, 0.5] } }, ...o,
    });
    const h = checkpointStateHash(ck());
    expect(checkpointStateHash(ck({ specKey: 'b', rng: [9, 9, 9, 9, 9, 9], record: 400, trajectory: { step: [50], time: [5], metrics: {} } }))).toBe(h);
    expect(checkpointStateHash(ck({ arrays: { theta: Float64Array.from([0.5, -0, 1e-300]), perm: Float64Array.from([0, 1, 2]) } }))).toBe(h);
    expect(checkpointStateHash(ck({ arrays: { theta: Float64Array.from([0.5, 0, 1e-300]) } }))).not.toBe(h); // -0 ≠ 0, bit for bit
    expect(checkpointStateHash(ck({ arrays: { theta: Float64Array.from([0.5, -0, 1e-300]), gain: Float64Array.from([0]) } }))).not.toBe(h);
    // what the engine computes from a serialised checkpoint equals what the worker reports
    expect(stateHashOfBytes(serializeCheckpoint(ck()))).toBe(h);
    // a checkpoint of another format (a test runner's) is hashed as bytes
    const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
    expect(stateHashOfBytes(enc({ t: 1, w: 2 }))).toBe(stateHashOfBytes(enc({ t: 1, w: 2 })));
    expect(stateHashOfBytes(enc({ t: 1, w: 2 }))).not.toBe(stateHashOfBytes(enc({ t: 1, w: 3 })));
  });

  it('an error stays local: the erroneous definition fails, its dependents are blocked, the rest lowers', () => {
    const p = program({
      defs: [
        ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
        ['bad', 'model', call('linear2', { width: num(2.5) })],
        ['net', 'model', call('linear2', { width: num(4) })],
        ['a', 'run', call('train', { model: ref('bad'), data: ref('data'), optimizer: call('gd', { lr: num(0.1) }), steps: num(10) })],
        ['b', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: num(0.1) }), steps: num(10) })],
      ],
      plots: [['loss', [ref('a'), ref('b')]]],
    });
    // a checker error inside `bad`'s range
    p.diagnostics.push({ range: p.definitions[1].range, severity: 'error', message: 'width must be a whole number', code: 'type' });
    p.ok = false;
    const l = lowerProgram(p);
    expect(l.runs.map((r) => r.id)).toEqual(['b']);
    const defs = Object.fromEntries(l.defs.map((d) => [d.name, d]));
    expect(defs.bad.error).toBe('width must be a whole number');
    expect(defs.a.blockedBy).toBe('bad');
    expect(defs.b.error).toBeNull();
    expect(l.plots[0].runIds).toEqual(['b']);
  });

  it('lowers checked .sgdexp text: seed grids get distinct member ids, errors block only their dependents', () => {
    const p = checkText(`data = sparse(n = 20, d = 30, s = 3)
net  = diagonal(alpha = 0.1)
lrs  = linspace(0.01, 0.6, 3)
gd   = train(net, data, gd(lr = lrs), steps = 200)
best = gd[lr = 0.305]
more = train(best, data, gd(lr = 0.01), steps = 100)
seeds = train(net, sparse(n = 20, d = 30, s = 3, seed = [1, 2]), gd(lr = 0.1), steps = 100, seed = [3, 4])
plot loss(best, more, seeds)
plot final(test_loss, gd)
`);
    expect(p.ok).toBe(false); // \`best = gd[…]\` is an error of the checker
    const l = lowerProgram(p);
    expect(l.runs.map((r) => r.id)).toEqual([
      'gd[lr=0.01]', 'gd[lr=0.305]', 'gd[lr=0.6]',
      'seeds[sparse.seed=1,seed=3]', 'seeds[sparse.seed=1,seed=4]', 'seeds[sparse.seed=2,seed=3]', 'seeds[sparse.seed=2,seed=4]',
    ]);
    const seeds = l.runs.filter((r) => r.def === 'seeds');
    expect(seeds.map((r) => [r.spec.data.seed, r.spec.seed])).toEqual([[1, 3], [1, 4], [2, 3], [2, 4]]);
    expect(l.defs.find((d) => d.name === 'more')!.blockedBy).toBe('best');
    expect(l.plots.map((x) => x.runIds.length)).toEqual([4, 3]);
    expect(l.diagnostics).toEqual([]);
  });
});
