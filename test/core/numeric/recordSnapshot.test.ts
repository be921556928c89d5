// The run loop's record snapshot reuses its arrays (Stepper.copyStateInto: diagonal, linear2): the state it restores
// on divergence and hands out on cancellation must be the state of the last record, exactly as a
// fresh getState() there would give.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { Diagonal } from '../../../src/core/numeric/diagonal';
import { Linear2 } from '../../../src/core/numeric/linear2';
import { runTraining } from '../../../src/core/numeric/run';
import { bitwiseDiff, linear2, ln, sgd, spec, teacher } from './helpers';

const sparse = { kind: 'sparse', n: 20, d: 30, s: 3, noise: 0, test: 50, seed: 0 } as const;
const diagonal = { kind: 'diagonal', alpha: 0.1, seed: 0 } as const;

/** `f` with a model's snapshot reuse switched off (every record allocates a fresh getState()). */
async function withoutReuse<T>(model: { prototype: object }, f: () => Promise<T>): Promise<T> {
  const proto = model.prototype as { copyStateInto?: unknown };
  const saved = proto.copyStateInto;
  delete proto.copyStateInto;
  try {
    return await f();
  } finally {
    proto.copyStateInto = saved;
  }
}

describe('record snapshot reuse (diagonal)', () => {
  it('copyStateInto writes what getState returns, into the same arrays', () => {
    const { stepper } = buildRun(spec(sparse, diagonal, ln(0.05, 0.5, 4), 10));
    for (let i = 0; i < 7; i++) stepper.step();
    const s = stepper.getState();
    const u = s.arrays.u, perm = s.arrays.perm;
    for (let i = 0; i < 5; i++) stepper.step();
    expect(stepper.copyStateInto!(s)).toBe(true);
    expect(bitwiseDiff(s, stepper.getState())).toBeNull();
    expect(s.arrays.u).toBe(u);
    expect(s.arrays.perm).toBe(perm);
    // another shape (full batch: no permutation) does not fit
    const { stepper: full } = buildRun(spec(sparse, diagonal, ln(0.05, 0.5), 10));
    expect(full.copyStateInto!(s)).toBe(false);
  });

  it('a diverging run (sparse records, minibatch + label noise) is bit-identical with and without reuse', async () => {
    const s = spec(sparse, diagonal, ln(0.5, 0.01, 2), 100000, 50);
    const reused = await runTraining(s);
    expect(reused.status).toBe('diverged');
    // the replay starts from the snapshot of the last record, steps back from it
    expect(reused.trajectory.step.at(-2)!).toBeLessThan(reused.divergedAt! - 2);
    const fresh = await withoutReuse(Diagonal, () => runTraining(s));
    expect(bitwiseDiff(reused, fresh)).toBeNull();
  });

  it("a cancelled run's checkpoint is the state of its last record", async () => {
    const s = spec(sparse, diagonal, sgd(0.05, 3), 2_000_000, 200);
    const ac = new AbortController();
    // cancelled once it has recorded a few points past the first ones (an event of the run)
    const part = await runTraining(s, { signal: ac.signal, progressIntervalMs: 0, onProgress: (p) => p.trajectory.step.length >= 40 && ac.abort() });
    expect(part.status).toBe('cancelled');
    const ck = part.checkpoint!;
    expect(ck.step).toBe(part.trajectory.step.at(-1));
    // the same state by stepping a fresh model there
    const { stepper } = buildRun(s);
    for (let t = 0; t < ck.step; t++) stepper.step();
    const want = stepper.getState();
    expect(bitwiseDiff(ck.arrays, want.arrays)).toBeNull();
    expect(bitwiseDiff(ck.rng, want.rng)).toBeNull();
  });
});

describe('record snapshot reuse (linear2)', () => {
  const tch = teacher(40, 6, 2);
  it('copyStateInto writes what getState returns, into the same arrays; other shapes do not fit', () => {
    for (const [opt, simd] of [[ln(0.05, 0.5, 4), false], [ln(0.05, 0.5), true], [ln(0.05, 0.5, 7), true]] as const) {
      const { stepper } = buildRun(spec(tch, linear2(9, 0.5), opt, 10), { simd });
      for (let i = 0; i < 7; i++) stepper.step();
      const s = stepper.getState();
      const th = s.arrays.theta, perm = s.arrays.perm;
      for (let i = 0; i < 5; i++) stepper.step();
      expect(bitwiseDiff(s, stepper.getState())).not.toBeNull();
      expect(stepper.copyStateInto!(s)).toBe(true);
      expect(bitwiseDiff(s, stepper.getState())).toBeNull();
      expect(s.arrays.theta).toBe(th);
      expect(s.arrays.perm).toBe(perm);
    }
    const mb = buildRun(spec(tch, linear2(9, 0.5), ln(0.05, 0.5, 4), 10)).stepper.getState();
    const full = buildRun(spec(tch, linear2(9, 0.5), ln(0.05, 0.5), 10)).stepper;
    expect(full.copyStateInto!(mb)).toBe(false); // a permutation it has not
    expect(buildRun(spec(tch, linear2(9, 0.5), ln(0.05, 0.5, 4), 10)).stepper.copyStateInto!(full.getState())).toBe(false); // none to write
    expect(buildRun(spec(tch, linear2(8, 0.5), ln(0.05, 0.5), 10)).stepper.copyStateInto!(full.getState())).toBe(false); // width
  });

  it('diverging runs (sparse records; minibatch + label noise, full batch) are bit-identical with and without reuse', async () => {
    for (const opt of [ln(0.6, 0.5, 3), ln(0.9, 0.5)]) {
      const s = spec(tch, linear2(9, 1), opt, 100000, 50);
      const reused = await runTraining(s);
      expect(reused.status).toBe('diverged');
      expect(reused.trajectory.step.length).toBeGreaterThan(3);
      const fresh = await withoutReuse(Linear2, () => runTraining(s));
      expect(bitwiseDiff(reused, fresh)).toBeNull();
    }
  });

  it("a cancelled run's checkpoint is the state of its last record", async () => {
    const s = spec(tch, linear2(9, 0.5), ln(0.01, 0.5, 3), 2_000_000, 200);
    const ac = new AbortController();
    const part = await runTraining(s, { signal: ac.signal, progressIntervalMs: 0, onProgress: (p) => p.trajectory.step.length >= 40 && ac.abort() });
    expect(part.status).toBe('cancelled');
    const ck = part.checkpoint!;
    expect(ck.step).toBe(part.trajectory.step.at(-1));
    const { stepper } = buildRun(s);
    for (let t = 0; t < ck.step; t++) stepper.step();
    const want = stepper.getState();
    expect(bitwiseDiff(ck.arrays, want.arrays)).toBeNull();
    expect(bitwiseDiff(ck.rng, want.rng)).toBeNull();
  });
});
