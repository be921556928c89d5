// Worker → main thread progress as deltas (pool.ts, trajectoryBuffer.ts): each post of a worker
// carries only the records added since its previous post, and the pool's listener sees the whole
// trajectory so far, equal to the prefix of the final one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { WorkerPool, type FromWorker } from '../../src/core/graph/pool';
import { TrajectoryBuffer, type StreamedProgress } from '../../src/core/graph/trajectoryBuffer';
import { lowerProgram } from '../../src/core/lower';
import { prefixJoin } from '../../src/core/graph/prefixJoin';
import { joinTrajectories } from '../../src/core/graph/runValue';
import { recordSteps } from '../../src/core/schedule';
import { buildWorker } from './buildWorker';
import { twoRuns } from './helpers';

let worker: Awaited<ReturnType<typeof buildWorker>>;
beforeAll(async () => {
  worker = await buildWorker();
});
afterAll(() => worker?.cleanup());

describe('worker progress posts', () => {
  it('carry only the records since the previous post; the listener sees every record once, in order', async () => {
    const pool = new WorkerPool({ size: 1, workerScript: worker.file });
    try {
      pool.warm(1);
      // what crosses the thread boundary, as the worker posted it
      const posted: number[] = [];
      const w = (pool as unknown as { slots: { worker: Worker }[] }).slots[0]!.worker;
      w.prependListener('message', (m: FromWorker) => m.type === 'progress' && posted.push(m.trajectory.step.length));
      const spec = { ...lowerProgram(twoRuns({ stepsA: 60_000 })).runs.find((r) => r.id === 'gd')!.spec, record: 4000 };
      const seen: { records: number; step: number[] }[] = [];
      const job = pool.submit({ spec, resume: null, initFrom: null, progressIntervalMs: 1 }, (p: StreamedProgress) => seen.push({ records: p.records, step: p.buffer?.step.slice(0, p.records) }));
      const r = await job.done;
      expect(r.status).toBe('done');
      const n = r.trajectory.step.length;
      expect(posted.length).toBeGreaterThan(2);
      // every record crosses once (the last post may carry none)
      expect(posted.reduce((a, b) => a + b, 0)).toBe(n);
      expect(pool.stats.progress).toMatchObject({ posts: posted.length, records: n, rejected: 0 });
      for (const s of seen) expect(s.step).toEqual(r.trajectory.step.slice(0, s.records));
      expect(seen.at(-1)!.records).toBe(n);
    } finally {
      await pool.dispose();
    }
  });

  it('a post that does not continue what the buffer holds is refused, as a results delta is', () => {
    const b = TrajectoryBuffer.of({ step: [0, 1, 2], time: [0, 0.1, 0.2], metrics: { loss: [3, 2, 1] } });
    expect(b.append({ step: [5], time: [0.5], metrics: { loss: [0] } }, 4)).toMatch(/holds 3 records/);
    expect(b.append({ step: [2], time: [0.2], metrics: { loss: [0] } }, 3)).toMatch(/do not increase/);
    expect(b.append({ step: [3], time: [0.3], metrics: { acc: [0] } }, 3)).toMatch(/metrics differ/);
    expect(b.append({ step: [3, 4], time: [0.3], metrics: { loss: [0, 0] } }, 3)).toMatch(/differ in length/);
    expect(b.append({ step: [3, 4], time: [0.3, 0.4], metrics: { loss: [0] } }, 3)).toMatch(/metric loss has 1 values/);
    expect(b.snapshot()).toEqual({ step: [0, 1, 2], time: [0, 0.1, 0.2], metrics: { loss: [3, 2, 1] } });
    expect(b.append({ step: [3, 4], time: [0.3, 0.4], metrics: { loss: [0.5, 0.25] } }, 3)).toBeNull();
    expect(b.snapshot(4)).toEqual({ step: [0, 1, 2, 3], time: [0, 0.1, 0.2, 0.3], metrics: { loss: [3, 2, 1, 0.5] } });
  });

  it('a resumed job: the cached records joined to the streamed ones grow as the plain join would be', () => {
    const traj = (steps: number[]) => ({ step: steps, time: steps.map((x) => x / 10), metrics: { loss: steps.map((x) => 1 / (1 + x)), sv: steps.map((x) => [x, 1]) } });
    const N = 2000, M = 8000, R = 300;
    const prefix = traj(recordSteps(N, R));
    const all = recordSteps(M, R);
    // the core resumed from step N (its records start after it) or refused the checkpoint (from 0)
    for (const own of [all.filter((x) => x > N), all]) {
      const join = prefixJoin(prefix, M, R);
      const buffer = new TrajectoryBuffer();
      for (const k of [0, 1, 5, 5, 40, own.length]) {
        expect(buffer.append(traj(own.slice(buffer.length, k)), buffer.length)).toBeNull();
        const p = join({ step: 0, steps: M, records: k, buffer });
        expect(p.buffer.snapshot(p.records)).toEqual(joinTrajectories(prefix, buffer.snapshot(k), M, R));
      }
    }
  });
});
