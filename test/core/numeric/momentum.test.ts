// Heavy-ball momentum: μ = 0 is the plain method bit for bit (its key too); μ > 0 follows the
// two-step recursion θ_{t+1} = θ_t − η∇L(θ_t) + μ(θ_t − θ_{t−1}); resume and the binary
// checkpoint keep the velocity, so a resumed run equals a fresh one bit for bit.
import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, runTraining, serializeCheckpoint, specKey } from '../../../src/core/numeric/run';
import type { OptimizerSpec, RunSpec } from '../../../src/core/spec';
import { resolveCall } from '../../../src/core/resolve/spec';
import { bitwiseDiff, gd, linear2, ln, sgd, spec, teacher } from './helpers';

const withMu = (o: OptimizerSpec, momentum: number): OptimizerSpec => ({ ...o, momentum }) as OptimizerSpec;
const relu = (o: OptimizerSpec): RunSpec =>
  spec(teacher(30, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 5, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, o, 60, 10);
const deep = (o: OptimizerSpec): RunSpec =>
  spec({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 2, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, o, 60, 10);
const lin = (o: OptimizerSpec): RunSpec => spec(teacher(50, 4, 2), linear2(6), o, 60, 10);
const diag = (o: OptimizerSpec): RunSpec => spec({ kind: 'sparse', n: 20, d: 10, s: 2, noise: 0, test: 20, seed: 0 }, { kind: 'diagonal', alpha: 0.1, seed: 0 }, o, 60, 10);

describe('momentum', () => {
  it('momentum = 0 is omitted from the resolved spec, so its key is the key of the run without it', () => {
    const without = resolveCall({ call: 'gd', args: { lr: 0.1 } }, ['optimizer']);
    const zero = resolveCall({ call: 'gd', args: { lr: 0.1, momentum: 0 } }, ['optimizer']);
    expect(zero).toEqual({ kind: 'gd', lr: 0.1, weight_decay: 0 });
    expect(specKey(lin(zero as OptimizerSpec))).toBe(specKey(lin(without as OptimizerSpec)));
    const some = resolveCall({ call: 'label_noise', args: { lr: 0.1, delta: 1, momentum: 0.9 } }, ['optimizer']);
    expect(some.momentum).toBe(0.9);
    expect(specKey(lin(some as OptimizerSpec))).not.toBe(specKey(lin(ln(0.1, 1))));
  });

  for (const [name, make, o] of [
    ['linear2 label noise', lin, ln(0.05, 1)],
    ['relu2 sgd', relu, sgd(0.05, 5)],
    ['deep_linear gd + weight decay', deep, gd(0.2, 0.01)],
    ['diagonal sgd', diag, sgd(0.2, 2)],
  ] as const) {
    it(`${name}: an explicit momentum = 0 runs bit-identically to the plain optimiser`, async () => {
      const a = await runTraining(make(o));
      const b = await runTraining(make(withMu(o, 0)));
      expect(a.status).toBe('done');
      expect(bitwiseDiff(b.trajectory, a.trajectory)).toBeNull();
      expect(bitwiseDiff(b.checkpoint!.arrays, a.checkpoint!.arrays)).toBeNull();
    });

    it(`${name}: with μ = 0.5, resume N → M equals a fresh M-step run bit for bit (the velocity is in the checkpoint)`, async () => {
      const s = make(withMu(o, 0.5));
      const fresh = await runTraining(s);
      expect(fresh.status).toBe('done');
      expect(Object.keys(fresh.checkpoint!.arrays).some((k) => k.startsWith('velocity'))).toBe(true);
      const half = await runTraining({ ...s, steps: 25 });
      const ck = deserializeCheckpoint(serializeCheckpoint(half.checkpoint!))!;
      const resumed = await runTraining(s, { resume: ck });
      expect(resumed.startStep).toBe(25);
      expect(bitwiseDiff(resumed.trajectory, fresh.trajectory)).toBeNull();
      expect(bitwiseDiff(resumed.checkpoint!.arrays, fresh.checkpoint!.arrays)).toBeNull();
      // and it differs from the plain run
      const plain = await runTraining(make(o));
      expect(bitwiseDiff(fresh.trajectory.metrics.loss, plain.trajectory.metrics.loss)).not.toBeNull();
    });
  }

  it('gd with momentum follows θ_{t+1} = θ_t − η∇L(θ_t) + μ(θ_t − θ_{t−1}) (checked against plain GD steps)', async () => {
    // θ_{t+1} − θ_t = (plain step from θ_t) − θ_t + μ(θ_t − θ_{t−1}): run one plain step from each momentum iterate
    const mu = 0.7, eta = 0.02;
    const m = lin(withMu(gd(eta), mu));
    const at = async (steps: number) => (await runTraining({ ...m, steps })).checkpoint!.arrays.theta;
    const t1 = await at(3), t2 = await at(4), t0 = await at(2);
    // plain one step from t1: an offshoot of the 3-step momentum run with plain gd
    const parent = { ...m, steps: 3 };
    const child = await runTraining({ ...lin(gd(eta)), steps: 1, from: parent });
    const plain = child.checkpoint!.arrays.theta;
    let err = 0, scale = 0;
    for (let i = 0; i < t2.length; i++) {
      err = Math.max(err, Math.abs(t2[i] - (plain[i] + mu * (t1[i] - t0[i]))));
      scale = Math.max(scale, Math.abs(t2[i]));
    }
    expect(err).toBeLessThan(1e-13 * scale);
  });

  it('an offshoot does not inherit its parent’s velocity', async () => {
    const parent = { ...lin(withMu(gd(0.02), 0.9)), steps: 10 };
    const a = await runTraining({ ...lin(withMu(gd(0.02), 0.9)), steps: 5, from: parent });
    expect(a.status).toBe('done');
    // the first step of the child is a plain step (v₀ = 0): same as the plain child
    const b1 = await runTraining({ ...lin(gd(0.02)), steps: 1, from: parent });
    const a1 = await runTraining({ ...lin(withMu(gd(0.02), 0.9)), steps: 1, from: parent });
    expect(bitwiseDiff(a1.checkpoint!.arrays.theta, b1.checkpoint!.arrays.theta)).toBeNull();
  });
});
