// Golden values: the claim "same seed, same bits on any machine" (rng.ts) pinned to constants, so
// that any change in the generator, the seeding, the Gaussian transform or a model's step shows up
// here (and not only as a run that differs from itself). Numbers are compared through toString(),
// the shortest decimal that round-trips: equal strings mean equal float64 bits.
// The trajectories also go through Math.log/exp/sqrt and the SVDs of the metrics; V8 implements
// these with its own platform-independent code (fdlibm ports; √ is IEEE-exact), so the hashes hold
// on every OS/CPU for a given engine. If a Node/V8 upgrade changes a libm result in the last bit,
// this test fails first: re-derive the constants deliberately, never silently.
//
// The trajectory fingerprints are kept per version of the numbers (golden-by-version.json, keyed
// by VALUE_VERSION of src/core/keys.ts, which every cache key and disk entry carries): numbers
// that change under an unchanged version would be served from stale caches, so the test then
// asks for a version bump; a bumped version without its entry asks for the entry.
import { describe, expect, it } from 'vitest';
import { canonicalJson, VALUE_VERSION } from '../../../src/core/keys';
import table from './golden-by-version.json';
import { Rng } from '../../../src/core/numeric/rng';
import { runTraining } from '../../../src/core/numeric/run';
import type { RunOptions } from '../../../src/core/numeric/run';
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
    const golden = ['-0.8405820699326705', '0.8620501781124243', '-0.6507846990561194', '1.298076748484987', '1.405207070113571', '-0.11506178728462405'];
    expect(z.map(String)).toEqual(golden);
    for (let i = 0; i < z.length; i++) expect(Object.is(z[i], Number(golden[i]))).toBe(true);
  });

  // 40 steps, 9 records each: trajectory (steps, times, every metric), final parameters and stream state
  const runs: Record<string, [RunSpec, string]> = {
    'linear2, label noise (Cholesky draws)': [spec(teacher(50, 4, 2), linear2(6), ln(0.05, 1), 40, 8), '1.4067334610662208'],
    // from p = 16: the triangular noise kernels (SIMD and scalar)
    'linear2, label noise (Cholesky, p = 20)': [spec(teacher(60, 20, 3), linear2(25, 0.3), ln(0.02, 1), 40, 8), '1.829160591595432'],
    'diagonal, SGD batch 2': [spec({ kind: 'sparse', n: 20, d: 10, s: 2, noise: 0, test: 20, seed: 0 }, { kind: 'diagonal', alpha: 0.1, seed: 0 }, sgd(0.2, 2), 40, 8), '0.0194898332433771'],
    'deep_linear, SGD batch 1 + weight decay': [
      spec({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 2, init: { kind: 'gaussian', scale: 1 }, seed: 1 }, sgd(0.3, 1, 0.015), 40, 8),
      '0.013737871552874108',
    ],
    'relu2, minibatch label noise': [spec(teacher(30, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 5, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, ln(0.05, 1, 5), 40, 8), '0.12101673930877843'],
  };
  const fingerprints = async (opts: RunOptions = {}): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const [name, [s]] of Object.entries(runs)) {
      const o = await runTraining(s, opts);
      expect(o.status).toBe('done');
      const arrays = Object.fromEntries(Object.entries(o.checkpoint!.arrays).map(([k, v]) => [k, Array.from(v)]));
      out[name] = goldenFingerprint(canonicalJson({ trajectory: o.trajectory, arrays, rng: o.checkpoint!.rng }));
    }
    return out;
  };

  for (const [name, [s, lastLoss]] of Object.entries(runs)) {
    it(`last loss: ${name}`, async () => {
      const o = await runTraining(s);
      expect((o.trajectory.metrics.loss as number[]).at(-1)!.toString()).toBe(lastLoss);
    });
  }

  it('trajectory fingerprints equal the table entry of the current VALUE_VERSION', async () => {
    expect(goldenVerdict(await fingerprints(), VALUE_VERSION, table.versions)).toBe('ok');
  });

  // the WebAssembly SIMD kernels (src/core/numeric/wasm) sum in the scalar kernels' order
  it('the same fingerprints with the SIMD kernels forced on and off', async () => {
    expect(goldenVerdict(await fingerprints({ linear2: { simd: true } }), VALUE_VERSION, table.versions)).toBe('ok');
    expect(goldenVerdict(await fingerprints({ linear2: { simd: false } }), VALUE_VERSION, table.versions)).toBe('ok');
  });
});

/** 'ok', or what to do: the numbers changed under an unchanged version, or a version has no entry. */
export function goldenVerdict(got: Record<string, string>, version: number, versions: Record<string, Record<string, string>>): string {
  const want = versions[String(version)];
  if (!want) return `VALUE_VERSION ${version} has no entry in golden-by-version.json: add ${JSON.stringify(got)}`;
  const changed = Object.keys({ ...want, ...got }).filter((k) => want[k] !== got[k]);
  if (changed.length === 0) return 'ok';
  return `golden trajectories changed (${changed.join('; ')}) under VALUE_VERSION ${version}: bump the version (src/core/keys.ts) and add an entry for it`;
}

describe('the version table', () => {
  const v = { a: '1', b: '2' };
  it('asks for a bump when the numbers change under the same version, and for an entry after a bump', () => {
    expect(goldenVerdict(v, 4, { 4: v })).toBe('ok');
    expect(goldenVerdict({ ...v, b: '3' }, 4, { 4: v })).toMatch(/changed \(b\) under VALUE_VERSION 4: bump the version/);
    expect(goldenVerdict({ ...v, b: '3' }, 5, { 4: v })).toMatch(/VALUE_VERSION 5 has no entry/);
  });
});

/**
 * The fingerprint the golden constants were taken with: two 32-bit FNV-1a lanes of the UTF-8
 * bytes, each through murmur3's finaliser (64 bits in all). A test-only fixed function: the
 * constants must not move when the project's key hash (src/core/keys.ts) changes.
 */
function goldenFingerprint(s: string): string {
  const b = new TextEncoder().encode(s);
  const lane = (seed: number) => {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h ^= b.length;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  return lane(0x3c6ef372) + lane(0x5be0cd19);
}
