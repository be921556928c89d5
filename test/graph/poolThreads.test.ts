// Worker threads started ahead of the pool (PoolOptions.threads; the CLI starts one before it
// loads the run stack): the pool runs its first job on the adopted thread instead of starting
// its own, drops one that has already exited, and terminates those beyond its size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { WorkerPool } from '../../src/core/graph/pool';
import { lowerProgram } from '../../src/core/lower';
import { buildWorker } from './buildWorker';
import { twoRuns } from './helpers';

let worker: Awaited<ReturnType<typeof buildWorker>>;
beforeAll(async () => {
  worker = await buildWorker();
});
afterAll(() => worker?.cleanup());

const spec = () => ({ ...lowerProgram(twoRuns({ stepsA: 200 })).runs.find((r) => r.id === 'gd')!.spec });
const slots = (p: WorkerPool) => (p as unknown as { slots: { worker: Worker }[] }).slots.map((s) => s.worker);

describe('a pool with threads started ahead', () => {
  it('runs its first job on the adopted thread and starts none of its own', async () => {
    const w = new Worker(worker.file);
    w.unref();
    const pool = new WorkerPool({ size: 2, workerScript: worker.file, threads: [w] });
    try {
      expect(slots(pool)).toEqual([w]);
      const r = await pool.submit({ spec: spec(), resume: null, initFrom: null, progressIntervalMs: 100 }).done;
      expect(r.status).toBe('done');
      expect(r.worker).toBe(0);
      expect(pool.stats.spawned).toBe(1);
      expect(slots(pool)).toEqual([w]);
    } finally {
      await pool.dispose();
    }
    // dispose ends the adopted thread too
    expect(w.threadId).toBe(-1);
  });

  it('drops a thread that has exited and terminates those beyond its size', async () => {
    const dead = new Worker('process.exit(0)', { eval: true });
    await once(dead, 'exit');
    const a = new Worker(worker.file);
    const b = new Worker(worker.file);
    const bExit = once(b, 'exit');
    const pool = new WorkerPool({ size: 1, workerScript: worker.file, threads: [dead, a, b] });
    try {
      expect(slots(pool)).toEqual([a]);
      await bExit;
      const r = await pool.submit({ spec: spec(), resume: null, initFrom: null, progressIntervalMs: 100 }).done;
      expect(r.status).toBe('done');
      expect(pool.stats.spawned).toBe(1);
    } finally {
      await pool.dispose();
    }
  });
});
