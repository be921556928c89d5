// A routed relu2 record (relu2Record.ts: the loss's sum over units as a gemm on relu(Hᵀ), σ(W)
// by kernels.wat gkValues) records the bits of the scalar code: whole runs with SIMD on and off
// (the scalar model is the code the record replaced), and metrics() at hand-made states (zero,
// non-finite a and W, units exactly at 0).
import { afterEach, describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import type { Relu2 } from '../../../src/core/numeric/relu2';
import { runTraining } from '../../../src/core/numeric/run';
import type { OptimizerSpec, RunSpec } from '../../../src/core/numeric/spec';
import { setSimdEnabled } from '../../../src/core/numeric/wasm/simd';
import { bitwiseDiff, gd, ln } from './helpers';

const rl = (n: number, p: number, width: number, optimizer: OptimizerSpec, k = 1, steps = 40): RunSpec => ({
  rootSeed: 0, seed: 0, steps, record: 8,
  data: { kind: 'teacher', n, p, k, noise: 0.1, test: 0, activation: k === 1 ? 'relu' : 'linear', neurons: 3, seed: 0 },
  model: { kind: 'relu2', width, init: { kind: 'gaussian', scale: 0.4 }, seed: 0 },
  optimizer,
});

// σ(W) by Golub–Kahan needs min(width, p) > 16: tall W (width > p), wide W (width < p), square
const cases: Record<string, RunSpec> = {
  'n 61, p 19, width 23 (tall W), full batch, label noise': rl(61, 19, 23, ln(0.05, 0.5)),
  'n 300, p 17, width 33, b = 7 (chunks 256 + 44), label noise': rl(300, 17, 33, ln(0.02, 0.5, 7)),
  'n 45, p 29, width 18 (wide W), k 3, GD': rl(45, 29, 18, gd(0.05), 3),
  'n 270, p 21, width 21, k 2, b = 5, label noise': rl(270, 21, 21, ln(0.01, 0.5, 5), 2),
  'n 30, p 5, width 9 (Jacobi), full batch': rl(30, 5, 9, ln(0.05, 0.5)),
  'n 50, p 18, width 20, GD lr 1.5 (diverges), every step recorded': { ...rl(50, 18, 20, gd(1.5), 1, 400), record: 401 },
};

afterEach(() => {
  setSimdEnabled(true);
});

const model = (s: RunSpec) => buildRun(s).stepper as Relu2;

describe('relu2 record on the arena: the scalar code\'s bits', () => {
  for (const [name, s] of Object.entries(cases))
    it(name, async () => {
      setSimdEnabled(true);
      expect(model(s).kernels).toBe('simd');
      const on = await runTraining(s);
      setSimdEnabled(false);
      expect(model(s).kernels).toBe('scalar');
      const off = await runTraining(s);
      expect(on.status).toBe(name.includes('diverges') ? 'diverged' : 'done');
      expect(on.trajectory.step.length).toBeGreaterThan(5);
      expect(bitwiseDiff(on, off)).toBeNull();
    });

  it('metrics() at hand-made states: zero weights, units at exactly 0, non-finite a and W', () => {
    for (const s of [cases['n 61, p 19, width 23 (tall W), full batch, label noise'], cases['n 300, p 17, width 33, b = 7 (chunks 256 + 44), label noise']]) {
      setSimdEnabled(true);
      const on = model(s);
      setSimdEnabled(false);
      const off = model(s);
      const states: ((m: Relu2) => void)[] = [
        (m) => m.W.fill(0), // every unit at h = 0 (skipped), f = +0
        (m) => m.W.subarray(0, m.W.length >> 1).fill(0), // half the units off, a·0 terms in the gemm
        (m) => m.a.fill(-0),
        (m) => (m.a[0] = Infinity), // a not finite: the scalar loop (a·0 would be NaN in the gemm)
        (m) => (m.a[1] = NaN),
        (m) => (m.W[5] = NaN), // h NaN for every sample: skipped as h ≤ 0; σ(W) by the JS
        (m) => (m.W[0] = 1e300), // h overflows to ±∞
      ];
      for (const set of states) {
        for (const m of [on, off]) {
          m.setState(model(s).getState());
          for (let i = 0; i < 3; i++) m.step();
          set(m);
        }
        expect(bitwiseDiff(on.metrics(), off.metrics())).toBeNull();
      }
    }
  });
});
