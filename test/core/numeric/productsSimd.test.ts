// deep_linear and relu2 route their step's dense products through the WebAssembly SIMD gemm
// (src/core/numeric/products.ts): the same bits as the scalar loops, SIMD on or off, and the same
// bits as the scalar step before the routing (fingerprints taken from that code, retaken from the
// scalar path at VALUE_VERSION 9 for the ziggurat's draws; the SGD b = 1 case's lr 0.1 → 0.3 then,
// as it no longer diverged), at odd shapes, with minibatches, label noise, weight decay, and
// through divergence.
import { afterEach, describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { DeepLinear } from '../../../src/core/numeric/deep_linear';
import { matmul, matmulTN } from '../../../src/core/numeric/linalg';
import { ProductArrays } from '../../../src/core/numeric/products';
import { Relu2 } from '../../../src/core/numeric/relu2';
import { runTraining, type RunOutput } from '../../../src/core/numeric/run';
import { setSimdEnabled } from '../../../src/core/numeric/wasm/simd';
import type { OptimizerSpec, RunSpec } from '../../../src/core/spec';
import { bitwiseDiff, gd, ln, sgd } from './helpers';

const dl = (rows: number, cols: number, depth: number, width: number, optimizer: OptimizerSpec, steps = 60): RunSpec => ({
  rootSeed: 0, seed: 0, steps, record: 10,
  data: { kind: 'completion', observed: null, rows, cols, rank: 2, fraction: 0.6, seed: 0 },
  model: { kind: 'deep_linear', depth, width, init: { kind: 'gaussian', scale: 0.5 }, seed: 0 },
  optimizer,
});
const rl = (n: number, p: number, width: number, optimizer: OptimizerSpec, steps = 60, k = 1): RunSpec => ({
  rootSeed: 0, seed: 0, steps, record: 10,
  data: { kind: 'teacher', n, p, k, noise: 0.1, test: 7, activation: k === 1 ? 'relu' : 'linear', neurons: 3, seed: 0 },
  model: { kind: 'relu2', width, init: { kind: 'gaussian', scale: 0.7 }, seed: 0 },
  optimizer,
});
const wd = (o: OptimizerSpec, weight_decay: number): OptimizerSpec => ({ ...o, weight_decay }) as OptimizerSpec;

// name → [spec, status, fingerprint of the run by the scalar step before the routing]
const cases: Record<string, [RunSpec, RunOutput['status'], string]> = {
  'deep_linear 7×9, depth 4, width 5, GD + wd': [dl(7, 9, 4, 5, gd(0.05, 0.01)), 'done', '24ba6c58'],
  'deep_linear 7×9, depth 4, width 5, SGD b = 1 (diverges)': [dl(7, 9, 4, 5, sgd(0.3, 1, 0.001)), 'diverged', '684559fd'],
  'deep_linear 7×9, depth 1, GD': [dl(7, 9, 1, 5, gd(0.05, 0.01)), 'done', '7d06f064'],
  'deep_linear 7×9, depth 2, width 3, label noise': [dl(7, 9, 2, 3, ln(0.05, 0.5)), 'done', '63e3cc23'],
  'deep_linear 11×37, depth 3, width 13, label noise b = 5': [dl(11, 37, 3, 13, ln(0.02, 0.5, 5)), 'done', '31d6c116'],
  'deep_linear 40×3, depth 3, width 6, SGD b = 2': [dl(40, 3, 3, 6, sgd(0.05, 2, 0.001)), 'done', '201c0254'],
  'deep_linear 30×30, depth 3, width 30, GD lr 50 (diverges)': [dl(30, 30, 3, 30, gd(50, 0.01), 200), 'diverged', '4f9efede'],
  'relu2 n 37, p 7, width 13, GD + wd': [rl(37, 7, 13, gd(0.05, 0.01)), 'done', '8fb71651'],
  'relu2 n 37, p 7, width 13, label noise': [rl(37, 7, 13, ln(0.05, 0.5)), 'done', '8f095b33'],
  'relu2 n 37, p 7, width 13, label noise b = 5': [rl(37, 7, 13, ln(0.05, 0.5, 5)), 'done', 'bb5b5884'],
  'relu2 n 41, p 6, width 11, k 3, label noise b = 7': [rl(41, 6, 11, ln(0.05, 0.5, 7), 60, 3), 'done', '47b0a1bc'],
  'relu2 n 41, p 6, width 11, k 2, GD + wd': [rl(41, 6, 11, gd(0.05, 0.01), 60, 2), 'done', 'b25edf6b'],
  // the recorded loss in chunks of 256 samples (two, the last partial)
  'relu2 n 300, p 4, width 7, label noise b = 5': [rl(300, 4, 7, ln(0.05, 0.5, 5)), 'done', '792bb8c'],
  'relu2 n 100, p 9, width 20, GD lr 30 (diverges)': [rl(100, 9, 20, wd(gd(30), 0.01), 200), 'diverged', '209baeda'],
};

/** FNV-1a of the run's JSON with every number as its shortest round-trip decimal (equal strings:
 *  equal bits), trajectory, status, divergence step, final arrays and stream */
function fingerprint(o: RunOutput): string {
  const arrays = o.checkpoint ? Object.fromEntries(Object.entries(o.checkpoint.arrays).map(([k, v]) => [k, Array.from(v).map(String)])) : null;
  const j = JSON.stringify({ t: o.trajectory, st: o.status, d: o.divergedAt, arrays, rng: o.checkpoint?.rng }, (_k, v) => (typeof v === 'number' ? String(v) : v));
  let h = 0x811c9dc5;
  for (let i = 0; i < j.length; i++) h = Math.imul(h ^ j.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

const kernelsOf = (s: RunSpec) => (buildRun(s).stepper as DeepLinear | Relu2).kernels;

afterEach(() => {
  setSimdEnabled(true);
});

describe('deep_linear and relu2: SIMD products on and off, the same bits as before', () => {
  for (const [name, [s, status, before]] of Object.entries(cases)) {
    it(name, async () => {
      setSimdEnabled(true);
      expect(kernelsOf(s)).toBe('simd');
      const on = await runTraining(s);
      setSimdEnabled(false);
      expect(kernelsOf(s)).toBe('scalar');
      const off = await runTraining(s);
      expect(on.status).toBe(status);
      expect(bitwiseDiff(on, off)).toBeNull();
      expect(fingerprint(on)).toBe(before);
    });
  }

  it('below the crossover the models stay scalar (no Arena)', () => {
    expect(kernelsOf(dl(2, 2, 3, 2, sgd(0.3, 1)))).toBe('scalar');
    expect(kernelsOf(rl(53, 3, 3, sgd(0.05, 4)))).toBe('scalar');
  });
});

describe('ProductArrays: linalg.ts matmul / matmulTN bits', () => {
  const fill = (a: Float64Array, seed: number) => {
    for (let i = 0; i < a.length; i++) a[i] = i % 5 === 2 ? 0 : Math.sin(seed + i * 1.37) * 10 ** ((i % 7) - 3);
    return a;
  };
  it('exact zeros in the left factor (skipped by the scalar loop), odd sizes', () => {
    for (const [m, n, q] of [[5, 7, 3], [9, 4, 11], [1, 13, 2], [17, 17, 17]]) {
      const pa = new ProductArrays([m * n, n * q, m * q, m * q, n * q], true);
      expect(pa.arena).not.toBeNull();
      const [A, B, C, B2, D] = pa.arrays;
      fill(A, 1);
      fill(B, 2);
      fill(B2, 3);
      expect(bitwiseDiff(pa.mm(A, B, m, n, q, C), matmul(A, B, m, n, q))).toBeNull();
      // Aᵀ·B2 with A (m×n), B2 (m×q)
      expect(bitwiseDiff(pa.mmTN(A, B2, m, n, q, D), matmulTN(A, B2, m, n, q))).toBeNull();
    }
  });
  it('a non-finite right factor takes the scalar loop (0·∞ skipped there, NaN in a gemm)', () => {
    const [m, n, q] = [6, 5, 4];
    const pa = new ProductArrays([m * n, n * q, m * q], true);
    const [A, B, C] = pa.arrays;
    fill(A, 1);
    fill(B, 2);
    A[0] = 0;
    B[1] = Infinity;
    const want = matmul(A, B, m, n, q);
    expect(Number.isFinite(want[1])).toBe(true);
    expect(bitwiseDiff(pa.mm(A, B, m, n, q, C), want)).toBeNull();
  });
});
