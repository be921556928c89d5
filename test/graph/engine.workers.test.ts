// The engine with the real stepping core (src/core/numeric/run.ts) in worker threads.
import { waitFor } from '../waitFor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/graph/engine';
import { hashRunValue } from '../../src/core/graph/hash';
import type { RunResult } from '../../src/core/results';
import { buildWorker, settledThreadCount, threadCount } from './buildWorker';
import { call, list, num, program, ref, twoRuns } from './helpers';
import { recordSteps } from '../../src/core/schedule';

let worker: Awaited<ReturnType<typeof buildWorker>>;
beforeAll(async () => {
  worker = await buildWorker();
});
afterAll(() => worker?.cleanup());

const URI = 'file:///w.sgdexp';
const vh = (r: RunResult) => hashRunValue({ ...r, theory: r.theory });

describe('engine with the real stepping core in worker threads', () => {
  it('steps N → 2N steps only N more and is bit-identical to a fresh 2N run', async () => {
    const e = new Engine({ workers: 2, workerScript: worker.file });
    try {
      const N = 3000;
      await e.run(URI, twoRuns({ stepsA: N }));
      e.clearLog();
      const doubled = await e.run(URI, twoRuns({ stepsA: 2 * N }));
      const ev = e.log.filter((x) => x.kind === 'run');
      expect(ev.map((x) => `${x.node}:${x.event}`).sort()).toEqual(['gd:executed', 'ln:reused']);
      // reported by the core from inside the worker: a worker that ignored the checkpoint would say fromStep undefined, steps 2N
      expect(ev.find((x) => x.node === 'gd')).toMatchObject({ fromStep: N, steps: N });
      const fresh = new Engine({ workers: 1, workerScript: worker.file });
      const f = await fresh.run('file:///fresh', twoRuns({ stepsA: 2 * N }));
      await fresh.dispose();
      expect(f.runs.gd.step).toEqual(doubled.runs.gd.step);
      expect(Object.keys(f.runs.gd.metrics).length).toBeGreaterThan(3);
      // hash of every recorded double's bit pattern
      expect(vh(doubled.runs.gd)).toBe(vh(f.runs.gd));
      // and back to N: cut from the 2N run when the schedule allows, else recomputed — equal either way
      e.clearLog();
      const back = await e.run(URI, twoRuns({ stepsA: N }));
      expect(e.log.filter((x) => x.node === 'gd').map((x) => x.event)).toEqual(['reused']);
      expect(back.runs.gd.step.at(-1)).toBe(N);
    } finally {
      await e.dispose();
    }
  });

  it('raising steps while the run is in flight resumes from where the cancelled run stopped, bit-identically', async () => {
    // a worker terminated for a late acknowledgement (possible on an overloaded machine) hands
    // back no state: give it time here, this test is about what happens when it does
    const e = new Engine({ workers: 2, workerScript: worker.file, killAfterMs: 2000 });
    try {
      const r1 = e.update(URI, twoRuns({ stepsA: 300_000 }));
      await new Promise<void>((res) => {
        const off = e.on('results', (m) => {
          if (m.revision === r1 && (m.doc.runs.gd?.progress?.step ?? 0) > 0) (off(), res());
        });
      });
      const r2 = e.update(URI, twoRuns({ stepsA: 300_500 }));
      const m = await e.whenFinal(URI, r2);
      const ev = e.log.find((x) => x.revision === r2 && x.node === 'gd' && x.event === 'executed')!;
      // the core resumed (fromStep and steps are its report) from the cancelled run's checkpoint,
      // which sits at a record of that run, not at the step it had reached
      expect(ev.fromStep).toBeGreaterThan(0);
      expect(recordSteps(300_000, 50)).toContain(ev.fromStep);
      expect(ev.steps).toBe(300_500 - ev.fromStep!);
      const fresh = new Engine({ workers: 1, workerScript: worker.file });
      const f = await fresh.run('file:///fresh', twoRuns({ stepsA: 300_500 }));
      await fresh.dispose();
      expect(m.doc.runs.gd.step).toEqual(f.runs.gd.step);
      expect(vh(m.doc.runs.gd)).toBe(vh(f.runs.gd));
    } finally {
      await e.dispose();
    }
  });

  it('a Cancel while this thread is busy still hands back the last record: the next run resumes from it', async () => {
    // Default kill timer. Right after the cancel this thread is kept busy (as on a loaded machine:
    // descheduled, or serialising results), so the worker's acknowledgement reaches it late. The
    // worker sees the cancel through its shared flag, stops at once and hands back the state of
    // its last record; a kill timer shorter than this thread's delay would throw that state away
    // and the next run would start over from an earlier point.
    const e = new Engine({ workers: 1, workerScript: worker.file });
    const STEPS = 2_000_000;
    try {
      const r1 = e.update(URI, twoRuns({ stepsA: STEPS }));
      let shown = 0;
      await new Promise<void>((res) => {
        const off = e.on('results', (m) => {
          const p = m.doc.runs.gd?.step ?? [];
          if (m.revision === r1 && m.doc.runs.gd?.status === 'running' && (m.doc.runs.gd.progress?.step ?? 0) > STEPS / 10) {
            shown = p.at(-1) ?? 0;
            off();
            res();
          }
        });
      });
      // in the check phase: the loop's next turn runs its due timers before it reads the
      // worker's messages, as a thread that was busy on a loaded machine does
      await new Promise<void>((res) =>
        setImmediate(() => {
          e.cancel(URI);
          const busyUntil = performance.now() + 300;
          while (performance.now() < busyUntil) {
            /* this thread is busy: the worker's answer waits in its queue */
          }
          res();
        }),
      );
      const m1 = await e.whenFinal(URI, r1);
      expect(m1.doc.runs.gd.status).toBe('cancelled');
      const reached = m1.doc.runs.gd.step.at(-1)!;
      // the state handed back is at least as far as what the page was shown before the cancel
      expect(reached).toBeGreaterThanOrEqual(shown);
      expect(reached).toBeLessThan(STEPS);
      const rel = e.log.find((x) => x.revision === r1 && x.node === 'gd' && x.event === 'cancelled')!;
      await waitFor(() => rel.releaseMs !== undefined, 'the cancelled worker to be released');
      expect(rel.terminated).toBeFalsy();
      // run it again: it resumes (the core's own report) from the last record the cancelled run computed
      const r2 = e.update(URI, twoRuns({ stepsA: STEPS }));
      const m2 = await e.whenFinal(URI, r2);
      expect(m2.doc.runs.gd.status).toBe('done');
      const ev = e.log.find((x) => x.revision === r2 && x.node === 'gd' && x.event === 'executed')!;
      expect(ev.fromStep).toBe(reached);
      expect(ev.steps).toBe(STEPS - reached);
      console.log(`cancelled at the record of step ${reached} (${((100 * reached) / STEPS).toFixed(0)} %, shown before: ${shown}); resumed from step ${ev.fromStep}; released after ${rel.releaseMs!.toFixed(0)} ms`);
    } finally {
      await e.dispose();
    }
  });

  it('a Cancel while this thread is busy longer than the engine waits for the stopped job: the final document has the records the job handed back', async () => {
    // The engine bounds its wait for a cancelled job's last records (stopWaitMs, 1.1 s by
    // default). Busy 1.5 s right after the cancel, this thread finds the bound's timer and the
    // worker's answer both due: Node runs due timers before it reads a worker's message, and the
    // answer, already there, must still win (src/core/graph/queuedIo.ts). Dense records and rare
    // progress posts: the job hands back records its last post did not carry.
    const e = new Engine({ workers: 1, workerScript: worker.file, progressIntervalMs: 1000 });
    const p = twoRuns({ stepsA: 2_000_000, recordA: 2000 });
    try {
      const r1 = e.update(URI, p);
      let shown = 0;
      await new Promise<void>((res) => {
        const off = e.on('results', (m) => {
          if (m.revision === r1 && m.doc.runs.gd?.status === 'running' && (m.doc.runs.gd.progress?.step ?? 0) > 0) {
            shown = m.doc.runs.gd.step.at(-1) ?? 0;
            off();
            res();
          }
        });
      });
      const busy = (ms: number) => {
        const until = performance.now() + ms;
        while (performance.now() < until) {
          /* this thread is busy; the worker steps on */
        }
      };
      await new Promise<void>((res) =>
        setImmediate(() => {
          // the worker makes records its last post did not carry (the next post is ~1 s away)
          busy(200);
          e.cancel(URI);
          // the worker's answer and the engine's timer both fall due meanwhile
          busy(1500);
          res();
        }),
      );
      const m1 = await e.whenFinal(URI, r1);
      expect(m1.doc.runs.gd.status).toBe('cancelled');
      const reached = m1.doc.runs.gd.step.at(-1)!;
      const rel = e.log.find((x) => x.revision === r1 && x.node === 'gd' && x.event === 'cancelled')!;
      await waitFor(() => rel.releaseMs !== undefined, 'the cancelled worker to be released');
      expect(rel.terminated).toBeFalsy();
      // the next run resumes from the job's checkpoint, at its last record: the one the final
      // document of the cancelled revision ends with
      const r2 = e.update(URI, p);
      await e.whenFinal(URI, r2);
      const ev = e.log.find((x) => x.revision === r2 && x.node === 'gd' && x.event === 'executed')!;
      expect(ev.fromStep, `last progress post at step ${shown}`).toBe(reached);
    } finally {
      await e.dispose();
    }
  });

  it('an edit during a long run cancels it cooperatively and leaks no worker thread', async () => {
    const before = await settledThreadCount();
    // The kill timer is set far out of reach: every release must then come from the worker's own
    // abort check (cooperative), whatever the machine's load. How fast that is, is measured by
    // `npm run bench:graph` (cancel latency), not asserted here.
    const e = new Engine({ workers: 2, workerScript: worker.file, killAfterMs: 10 * 60_000 });
    // Five edits, each during a long run.
    const releases: { ms: number; terminated: boolean }[] = [];
    const finals: number[] = [];
    e.on('results', (m) => m.final && finals.push(m.revision));
    try {
      e.warm();
      for (let i = 0; i < 5; i++) {
        const r1 = e.update(URI, twoRuns({ stepsA: 50_000_000 + i }));
        // wait until the long run reports progress
        await new Promise<void>((res) => {
          const off = e.on('results', (m) => {
            if (m.revision === r1 && m.doc.runs.gd?.status === 'running' && (m.doc.runs.gd.progress?.step ?? 0) > 0) {
              off();
              res();
            }
          });
        });
        const r2 = e.update(URI, twoRuns({ stepsA: 500 }));
        const fin = await e.whenFinal(URI, r2);
        expect(fin.doc.runs.gd.status).toBe('done');
        // the superseded revision never produced a final document
        expect(finals).not.toContain(r1);
        expect(finals).toContain(r2);
        const cancelled = e.log.find((x) => x.revision === r1 && x.node === 'gd' && x.event === 'cancelled')!;
        expect(cancelled).toBeDefined();
        await waitFor(() => cancelled.releaseMs !== undefined, 'the cancelled worker to be released');
        releases.push({ ms: cancelled.releaseMs!, terminated: !!cancelled.terminated });
        expect(e.pool.threads).toBeLessThanOrEqual(2);
      }
    } finally {
      await e.dispose();
    }
    const ms = releases.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`cancel → worker released: median ${ms[2].toFixed(1)} ms over 5 edits (informative; bench:graph measures it)`);
    expect(releases.filter((r) => r.terminated)).toEqual([]); // all five stopped by their own abort check
    expect(e.pool.threads).toBe(0);
    if (before !== null) {
      // terminated threads leave /proc asynchronously. A leaked worker is a thread more than
      // before (this waits for it to go, and fails only if it never does); fewer is a thread of
      // the runtime's own that ended meanwhile.
      await waitFor(() => threadCount()! <= before, `the thread count to return to ${before}`, { everyMs: 20, seen: threadCount });
    }
  });

  it('a family of 12 stepsizes runs on all workers and produces 12 members', async () => {
    const e = new Engine({ workers: 2, workerScript: worker.file });
    try {
      const lrs = Array.from({ length: 12 }, (_, i) => 0.02 * (i + 1));
      const p = program({
        defs: [
          ['data', 'data', call('sparse', { n: num(20), d: num(30), s: num(3) })],
          ['net', 'model', call('diagonal', { alpha: num(0.1) })],
          ['sweep', 'run', call('train', { model: ref('net'), data: ref('data'), optimizer: call('gd', { lr: list(...lrs) }), steps: num(1500) })],
        ],
        plots: [['final', [ref('sweep')], { metric: { kind: 'word', value: 'test_loss' } }]],
      });
      const doc = await e.run(URI, p);
      expect(Object.keys(doc.runs)).toHaveLength(12);
      expect(Object.values(doc.runs).every((r) => r.status === 'done' || r.status === 'diverged')).toBe(true);
      expect(e.pool.stats.workersUsed.size).toBe(2);
      expect(e.pool.stats.maxBusy).toBe(2);
      expect(e.log.filter((x) => x.kind === 'run' && x.event === 'executed')).toHaveLength(12);
    } finally {
      await e.dispose();
    }
  });

  it('the disk cache survives a restart, and a corrupted cache file is recovered from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgdexp-cache-'));
    try {
      const e1 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      const d1 = await e1.run(URI, twoRuns());
      await e1.dispose();
      const files = readdirSync(e1.disk!.dir).filter((f) => f.endsWith('.run'));
      expect(files).toHaveLength(2);

      const e2 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      expect(e2.getResults(URI)?.doc.runs.gd.status).toBe('done'); // last results before any compute
      const d2 = await e2.run(URI, twoRuns());
      expect(e2.log.filter((x) => x.kind === 'run').map((x) => `${x.node}:${x.event}:${x.source}`).sort()).toEqual(['gd:reused:disk', 'ln:reused:disk']);
      expect(vh(d2.runs.gd)).toBe(vh(d1.runs.gd));
      expect(vh(d2.runs.ln)).toBe(vh(d1.runs.ln));
      await e2.dispose();

      // corrupt one file (flip bytes in the middle), truncate the other
      const [fa, fb] = files.map((f) => join(e1.disk!.dir, f));
      const buf = readFileSync(fa);
      buf[buf.length >> 1] ^= 0xff;
      writeFileSync(fa, buf);
      writeFileSync(fb, readFileSync(fb).subarray(0, 40));
      const e3 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      const d3 = await e3.run(URI, twoRuns());
      expect(e3.log.filter((x) => x.kind === 'run').map((x) => x.event)).toEqual(['executed', 'executed']);
      expect(e3.disk!.stats.corrupt).toBe(2);
      expect(vh(d3.runs.gd)).toBe(vh(d1.runs.gd));
      await e3.dispose();
      // rewritten: a fourth start reuses both again
      const e4 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      await e4.run(URI, twoRuns());
      expect(e4.log.filter((x) => x.kind === 'run').map((x) => x.event)).toEqual(['reused', 'reused']);
      await e4.dispose();
      // a foreign file under a valid name is ignored too
      writeFileSync(fa, 'not a cache file');
      const e5 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      await e5.run(URI, twoRuns());
      expect(e5.disk!.stats.corrupt).toBe(1);
      await e5.dispose();
      // after a restart, raising steps resumes from the run cached on disk
      const e6 = new Engine({ workers: 1, workerScript: worker.file, cacheDir: dir });
      const d6 = await e6.run(URI, twoRuns({ stepsA: 400 }));
      expect(e6.log.filter((x) => x.kind === 'run').map((x) => `${x.node}:${x.event}:${x.fromStep ?? x.source}`).sort()).toEqual(['gd:executed:200', 'ln:reused:disk']);
      expect(d6.runs.gd.step.at(-1)).toBe(400);
      await e6.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
