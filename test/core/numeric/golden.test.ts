// Golden values: the claim "same seed, same bits on any machine" (rng.ts) pinned to constants, so
// that any change in the generator, the seeding, the Gaussian transform or a model's step shows up
// here (and not only as a run that differs from itself). Numbers are compared through toString(),
// the shortest decimal that round-trips: equal strings mean equal float64 bits.
// The trajectories also go through Math.log/exp/sqrt and the SVDs of the metrics; V8 implements
// these with its own platform-independent code (fdlibm ports; √ is IEEE-exact), so the hashes hold
// on every OS/CPU for a given engine. If a Node/V8 upgrade changes a libm result in the last bit,
// this test fails first: re-derive the constants deliberately, never silently.
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashString } from '../../../src/core/numeric/hash';
import { Rng } from '../../../src/core/numeric/rng';
import { runTraining } from '../../../src/core/numeric/run';
import type { RunSpec } from '../../../src/core/spec';
import { linear2, ln, sgd, spec, teacher } from './helpers';

describe('golden values', () => {
  it('the stream (rootSeed 1, seed 0, noise): first 32-bit outputs, uniforms and Gaussians, bit for bit', () => {
    const a = Rng.stream(1, 0, 'noise');
    expect(Array.from({ length: 4 }, () => a.nextU32())).toEqual([4293751967, 207295554, 1715661718, 2143393707]);
    const b = Rng.stream(1, 0, 'noise');
    expect(Array.from({ length: 2 }, () => b.uniform().toString())).toEqual(['0.9997170273085293', '0.3994586206901649']);
    const c = Rng.stream(1, 0, 'noise');
    const z = Array.from({ length: 6 }, () => c.gauss());
    const golden = ['-0.4108383769044991', '0.5625646129062997', '0.46765073301248244', '-0.06809023295601624', '-0.6471421218734054', '-0.30476582123314666'];
    expect(z.map(String)).toEqual(golden);
    for (let i = 0; i < z.length; i++) expect(Object.is(z[i], Number(golden[i]))).toBe(true);
  });

  // 40 steps, 9 records each: trajectory (steps, times, every metric), final parameters and stream state
  const runs: Record<string, [RunSpec, string, string]> = {
    'linear2, label noise (Cholesky draws)': [spec(teacher(50, 4, 2), linear2(6), ln(0.05, 1), 40, 8), '130c5e180e721ebc', '0.1838878159619921'],
    'diagonal, SGD batch 2': [spec({ kind: 'sparse', n: 20, d: 10, s: 2, noise: 0, test: 20, seed: 0 }, { kind: 'diagonal', alpha: 0.1, seed: 0 }, sgd(0.2, 2), 40, 8), '2a96881c2fd17648', '0.058153348031610964'],
    'deep_linear, SGD batch 1 + weight decay': [
      spec({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 2, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, sgd(0.3, 1, 0.015), 40, 8),
      'd74bb237955f78cc',
      '0.0021102670885135397',
    ],
    'relu2, minibatch label noise': [spec(teacher(30, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 5, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, ln(0.05, 1, 5), 40, 8), '24ce899d766214c6', '0.3381965336771983'],
  };
  for (const [name, [s, hash, lastLoss]] of Object.entries(runs)) {
    it(`trajectory hash: ${name}`, async () => {
      const o = await runTraining(s);
      expect(o.status).toBe('done');
      const arrays = Object.fromEntries(Object.entries(o.checkpoint!.arrays).map(([k, v]) => [k, Array.from(v)]));
      expect((o.trajectory.metrics.loss as number[]).at(-1)!.toString()).toBe(lastLoss);
      expect(hashString(canonicalJson({ trajectory: o.trajectory, arrays, rng: o.checkpoint!.rng }))).toBe(hash);
    });
  }
});
