// Wang & Jacot: SGD with weight decay on a depth-3 linear network jumps from rank 2 to rank 1
// and never returns; GD at the same step size does not (docs/theory.md §6). 2×2 completion with
// observed (0,0) = 1, (1,0) = ε = 0.3, (1,1) = 1; the rank-1 completion has 1/ε at (0,1).
// The runs start where GD with a small step parks them: the rank-2 critical point (an offshoot
// of a GD run, lr 0.05, 3000 steps), since from the N(0, 1) init itself lr ≈ 0.7 often diverges.
// At lr 0.9 all of 10 noise seeds jumped within 4400 steps (0.8: 7 of 10 within 2·10⁴; 0.7: 1).
import { describe, expect, it } from 'vitest';
import { runTraining } from '../../../src/core/numeric/run';
import type { DataSpec, ModelSpec, RunSpec } from '../../../src/core/spec';
import { gd, sgd } from './helpers';

const data: DataSpec = { kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 };
const model: ModelSpec = { kind: 'deep_linear', depth: 3, width: 2, init: { kind: 'gaussian', scale: 1 }, seed: 0 };
const lambda = 0.015;
const parent: RunSpec = { rootSeed: 1, seed: 0, data, model, optimizer: gd(0.05, lambda), steps: 3000, record: 20 };

describe('Wang–Jacot: one-way rank jumps of SGD with weight decay (depth 3)', () => {
  it('SGD at lr 0.9 jumps from rank 2 to rank 1 and never returns; GD at the same lr stays at rank 2', async () => {
    const po = await runTraining(parent);
    expect(po.status).toBe('done');
    const r0 = (po.trajectory.metrics.sv_ratio as number[]).at(-1)!;
    expect(r0).toBeGreaterThan(0.1); // parked at rank 2 by GD
    const child = (opt: RunSpec['optimizer'], seed: number): RunSpec => ({ ...parent, from: parent, optimizer: opt, steps: 10000, record: 10001, seed });
    const jumps: number[] = [];
    for (const seed of [0, 1, 2]) {
      const o = await runTraining(child(sgd(0.9, 1, lambda), seed), { initFrom: po.checkpoint });
      expect(o.status).toBe('done');
      const r = o.trajectory.metrics.sv_ratio as number[];
      expect(r[0]).toBeGreaterThan(0.1);
      const j = r.findIndex((x) => x < 1e-3);
      expect(j).toBeGreaterThan(0); // jumped within 10⁴ steps
      expect(Math.max(...r.slice(j))).toBeLessThan(1e-2); // and never came back
      expect((o.trajectory.metrics.rank as number[]).at(-1)).toBe(1);
      jumps.push(j);
    }
    const g = await runTraining(child(gd(0.9, lambda), 0), { initFrom: po.checkpoint });
    expect(g.status).toBe('done');
    expect(Math.min(...(g.trajectory.metrics.sv_ratio as number[]))).toBeGreaterThan(0.1);
    expect((g.trajectory.metrics.rank as number[]).at(-1)).toBe(2);
  });

  it('lowering λ afterwards fills the missing entry (1/ε) only for the jumped run', async () => {
    const po = await runTraining(parent);
    const mid = (opt: RunSpec['optimizer']): RunSpec => ({ ...parent, from: parent, optimizer: opt, steps: 10000, record: 10 });
    const sgdRun = mid(sgd(0.9, 1, lambda)), gdRun = mid(gd(0.9, lambda));
    const late = (from: RunSpec): RunSpec => ({ ...parent, from, optimizer: gd(0.05, 1e-4), steps: 20000, record: 10 });
    const a = await runTraining(late(sgdRun), { initFrom: (await runTraining(sgdRun, { initFrom: po.checkpoint })).checkpoint });
    const b = await runTraining(late(gdRun), { initFrom: (await runTraining(gdRun, { initFrom: po.checkpoint })).checkpoint });
    const ea = (a.trajectory.metrics.missing_error as number[]).at(-1)!;
    const eb = (b.trajectory.metrics.missing_error as number[]).at(-1)!;
    expect(ea).toBeLessThan(0.5);
    expect(eb).toBeGreaterThan(1.5);
  });
});
