// The run loop: determinism, streams, resume = fresh (bit for bit), divergence with its step,
// cancellation latency, progress, checkpoints, offshoots, errors, resource estimate.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../src/core/numeric/build';
import { makeData } from '../../../src/core/numeric/data';
import { estimateCost, LIMITS } from '../../../src/core/numeric/estimate';
import { deserializeCheckpoint, runTraining, serializeCheckpoint, specKey, type Checkpoint } from '../../../src/core/numeric/run';
import { recordSteps } from '../../../src/core/schedule';
import type { RunSpec } from '../../../src/core/spec';
import { bitwiseDiff, gd, linear2, ln, sgd, spec, teacher } from './helpers';

const specs: Record<string, RunSpec> = {
  'linear2 label noise (Cholesky draws)': spec(teacher(300, 5, 2), linear2(10), ln(0.02, 1), 3000, 60),
  'linear2 minibatch SGD + weight decay': spec(teacher(100, 4, 2), linear2(8), sgd(0.05, 10, 0.01), 3000, 60),
  'diagonal SGD batch 1': spec({ kind: 'sparse', n: 20, d: 30, s: 3, noise: 0, test: 50, seed: 0 }, { kind: 'diagonal', alpha: 0.1, seed: 0 }, sgd(0.05, 1), 3000, 60),
  'relu2 label noise batch 8': spec(teacher(40, 3, 1, { activation: 'relu', neurons: 2 }), { kind: 'relu2', width: 6, init: { kind: 'gaussian', scale: 0.5 }, seed: 0 }, ln(0.05, 0.5, 8), 3000, 60),
  'deep_linear SGD + weight decay': spec({ kind: 'completion', observed: null, rows: 5, cols: 4, rank: 1, fraction: 0.7, seed: 0 }, { kind: 'deep_linear', depth: 3, width: 3, init: { kind: 'gaussian', scale: 0.7 }, seed: 0 }, sgd(0.05, 1, 0.001), 3000, 60),
  'linear2 sgf': spec(teacher(100, 3, 1), linear2(6), { kind: 'sgf', dt: 0.005, lr: 0.02, delta: 1, weight_decay: 0 }, 3000, 60),
};

describe('determinism and resume', () => {
  for (const [name, s] of Object.entries(specs)) {
    it(`${name}: same seed same bits; resume N → M equals a fresh M-step run`, async () => {
      const fresh = await runTraining(s);
      expect(fresh.status).toBe('done');
      expect(fresh.trajectory.step).toEqual(recordSteps(s.steps, s.record));
      const again = await runTraining(s);
      expect(bitwiseDiff(again.trajectory, fresh.trajectory)).toBeNull();
      expect(bitwiseDiff(again.checkpoint, fresh.checkpoint)).toBeNull();
      // N = 1234 steps, through the disk format, then extended to M
      const short = await runTraining({ ...s, steps: 1234 });
      const ck = deserializeCheckpoint(serializeCheckpoint(short.checkpoint!))!;
      expect(ck).not.toBeNull();
      expect(bitwiseDiff(ck, short.checkpoint)).toBeNull();
      const resumed = await runTraining(s, { resume: ck });
      expect(resumed.status).toBe('done');
      expect(bitwiseDiff(resumed.trajectory, fresh.trajectory)).toBeNull();
      expect(bitwiseDiff(resumed.checkpoint!.arrays, fresh.checkpoint!.arrays)).toBeNull();
      expect(bitwiseDiff(resumed.checkpoint!.rng, fresh.checkpoint!.rng)).toBeNull();
    });
  }

  it('a checkpoint of another spec is ignored (fresh run, same result)', async () => {
    const s = specs['linear2 label noise (Cholesky draws)'];
    const other = await runTraining({ ...s, seed: 5, steps: 500 });
    const fresh = await runTraining(s);
    const r = await runTraining(s, { resume: other.checkpoint });
    expect(bitwiseDiff(r.trajectory, fresh.trajectory)).toBeNull();
  });

  it('resume from a cancelled run equals fresh', async () => {
    const s = spec(teacher(300, 30, 3), linear2(60), ln(0.005, 1), 10000, 100);
    const ac = new AbortController();
    // cancelled once it has recorded a few points (an event of the run, not a time)
    const part = await runTraining(s, { signal: ac.signal, progressIntervalMs: 0, onProgress: (p) => p.trajectory.step.length >= 3 && ac.abort() });
    expect(part.status).toBe('cancelled');
    expect(part.stepsDone).toBeLessThan(10000);
    expect(part.checkpoint!.step).toBeLessThanOrEqual(part.stepsDone);
    expect(part.checkpoint!.step).toBe(part.trajectory.step.at(-1));
    const resumed = await runTraining(s, { resume: part.checkpoint });
    const fresh = await runTraining(s);
    expect(bitwiseDiff(resumed.trajectory, fresh.trajectory)).toBeNull();
  });
});

describe('streams: shared data and initialisation', () => {
  it('runs differing only in the optimiser see the same data and the same init', async () => {
    const a = spec(teacher(50, 4, 2), linear2(8), gd(0.01), 10, 11);
    const b = { ...a, optimizer: ln(0.05, 1) };
    const ra = await runTraining(a), rb = await runTraining(b);
    expect(bitwiseDiff(rb.checkpoint!.trajectory.metrics.sv_W1[0], ra.checkpoint!.trajectory.metrics.sv_W1[0])).toBeNull();
    expect(bitwiseDiff(makeData(a.data, 1), makeData(b.data, 1))).toBeNull();
    // another model seed: another init, same data
    const c = await runTraining({ ...a, model: linear2(8, 1, 7) });
    expect((c.trajectory.metrics.loss as number[])[0]).not.toBe((ra.trajectory.metrics.loss as number[])[0]);
    // changing n keeps the teacher (the data stream is split by role)
    const d50 = makeData(teacher(50, 4, 2), 1), d80 = makeData(teacher(80, 4, 2), 1);
    expect(bitwiseDiff(d50.kind === 'regression' && d50.U, d80.kind === 'regression' && d80.U)).toBeNull();
  });
  it('the root seed changes everything', () => {
    const d1 = makeData(teacher(20, 3, 1), 1), d2 = makeData(teacher(20, 3, 1), 2);
    expect(bitwiseDiff(d1, d2)).not.toBeNull();
  });
});

describe('divergence', () => {
  it('stops at the first non-finite loss and keeps every record up to the last finite step', async () => {
    const s = spec(teacher(100, 5, 2), linear2(10), gd(3), 1000, 1001);
    const o = await runTraining(s);
    expect(o.status).toBe('diverged');
    const j = o.divergedAt!;
    expect(o.message).toBe(`diverged at step ${j} (loss = ${o.message!.match(/loss = (.*)\)/)![1]})`);
    // brute force: the first step with a non-finite loss, stepping one by one
    const { stepper } = buildRun(s);
    let first = -1;
    for (let t = 0; t <= 1000; t++) {
      if (!Number.isFinite(stepper.loss())) { first = t; break; }
      stepper.step();
    }
    expect(j).toBe(first);
    expect(o.lastFiniteStep).toBe(j - 1);
    expect(o.trajectory.step.at(-1)).toBe(j - 1);
    expect(o.trajectory.step).toEqual(Array.from({ length: j }, (_, i) => i));
    expect((o.trajectory.metrics.loss as number[]).every(Number.isFinite)).toBe(true);
    expect(o.checkpoint!.step).toBe(j - 1);
  });
  it('with a sparse record schedule the last finite step is still recorded', async () => {
    const s = spec({ kind: 'sparse', n: 20, d: 30, s: 3, noise: 0, test: 50, seed: 0 }, { kind: 'diagonal', alpha: 0.1, seed: 0 }, sgd(0.5, 1), 100000, 50);
    const o = await runTraining(s);
    expect(o.status).toBe('diverged');
    expect(o.trajectory.step.at(-1)).toBe(o.divergedAt! - 1);
    expect(o.trajectory.step.slice(0, -1).every((t) => recordSteps(100000, 50).includes(t))).toBe(true);
    // resuming the diverged run's checkpoint diverges at the same step
    const again = await runTraining(s, { resume: o.checkpoint });
    expect(again.divergedAt).toBe(o.divergedAt);
  });
});

describe('cancellation and progress', () => {
  it('stops at its next yield point after abort(), keeping what it computed', async () => {
    // few records: a record (an SVD of W1) is atomic; the test is about the loop's own yield
    // points. The abort comes from the run's own progress (an event), so a loaded machine only
    // makes this slower; the latency itself is a benchmark figure (bench:core), printed here.
    const s = spec(teacher(1000, 50, 5), linear2(100), ln(0.001, 1), 10_000_000, 10);
    const latencies: number[] = [];
    for (let r = 0; r < 3; r++) {
      const ac = new AbortController();
      let abortedAt = 0;
      let stepAtAbort = 0;
      const o = await runTraining(s, {
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (abortedAt || p.trajectory.step.length < 2) return;
          abortedAt = performance.now();
          stepAtAbort = p.step;
          ac.abort();
        },
      });
      latencies.push(performance.now() - abortedAt);
      expect(o.status).toBe('cancelled');
      expect(o.trajectory.step.length).toBeGreaterThan(1);
      expect(o.stepsDone).toBeGreaterThanOrEqual(stepAtAbort);
      expect(o.stepsDone).toBeLessThan(10_000_000);
    }
    console.log(`abort → run returned: ${latencies.map((x) => x.toFixed(1)).join(', ')} ms (informative)`);
  });
  it('stops on its shared cancel flag alone (another thread writes it; no signal, no message)', async () => {
    const s = spec(teacher(200, 10, 2), linear2(20), ln(0.01, 1), 10_000_000, 50);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let stepAtCancel = -1;
    const o = await runTraining(s, {
      cancelFlag: flag,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (stepAtCancel >= 0 || p.trajectory.step.length < 3) return;
        stepAtCancel = p.step;
        Atomics.store(flag, 0, 1);
      },
    });
    expect(o.status).toBe('cancelled');
    // checked before the next chunk: not a step further
    expect(o.stepsDone).toBe(stepAtCancel);
    expect(o.checkpoint!.step).toBe(o.trajectory.step.at(-1));
  });
  it('reports progress with the partial trajectory, at most every progressIntervalMs', async () => {
    // The run is cancelled after its 6th report (an event of the run): how many reports a run of
    // fixed length makes depends on the machine's speed (a 40 000-step run took 160 ms on a busy
    // machine, i.e. 7 reports at 20 ms; a machine 4× faster makes 2 and the check had none to
    // compare), so the run here lasts as long as the reports the test compares need.
    const s = spec(teacher(200, 10, 2), linear2(20), ln(0.01, 1), 10_000_000, 100);
    const ac = new AbortController();
    const seen: { step: number; n: number; at: number }[] = [];
    // `at` is the run's own clock when it decided to report (the throttle's clock): a callback's
    // wall-clock time would also count how long copying the trajectory took on a busy machine
    const o = await runTraining(s, {
      signal: ac.signal,
      progressIntervalMs: 20,
      onProgress: (p) => seen.push({ step: p.step, n: p.trajectory.step.length, at: p.at ?? NaN }) >= 6 && ac.abort(),
    });
    expect(o.status).toBe('cancelled');
    expect(seen.length).toBe(6);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].step).toBeGreaterThan(seen[i - 1].step);
      expect(seen[i].n).toBeGreaterThanOrEqual(seen[i - 1].n);
      expect(seen[i].at - seen[i - 1].at).toBeGreaterThanOrEqual(20);
    }
    expect(o.trajectory.step.length).toBeGreaterThanOrEqual(seen.at(-1)!.n);
  });
  it('a run that finishes reports its last step, whatever it reported before', async () => {
    const s = spec(teacher(200, 10, 2), linear2(20), ln(0.01, 1), 4000, 100);
    const seen: number[] = [];
    const o = await runTraining(s, { progressIntervalMs: 20, onProgress: (p) => seen.push(p.step) });
    expect(o.status).toBe('done');
    expect(seen.at(-1)).toBe(4000);
  });
});

describe('checkpoints', () => {
  it('are structured-clonable and survive the binary format bit for bit', async () => {
    const o = await runTraining(specs['diagonal SGD batch 1']);
    const c = o.checkpoint!;
    expect(bitwiseDiff(structuredClone(c), c)).toBeNull();
    const b = serializeCheckpoint(c);
    expect(bitwiseDiff(deserializeCheckpoint(b), c)).toBeNull();
  });
  it('corrupt or foreign bytes give null, never throw', async () => {
    const o = await runTraining(specs['linear2 sgf']);
    const b = serializeCheckpoint(o.checkpoint!);
    expect(deserializeCheckpoint(new Uint8Array(0))).toBeNull();
    expect(deserializeCheckpoint(new TextEncoder().encode('{"version":1}'))).toBeNull();
    expect(deserializeCheckpoint(b.subarray(0, b.length - 8))).toBeNull();
    for (const pos of [5, 20, Math.floor(b.length / 2), b.length - 1]) {
      const x = b.slice();
      x[pos] ^= 0x41;
      expect(deserializeCheckpoint(x)).toBeNull();
    }
    expect(deserializeCheckpoint(undefined as unknown as Uint8Array)).toBeNull();
  });
  it('non-finite metric values (log det = −∞) survive', async () => {
    const c: Checkpoint = { version: 1, specKey: 'k', step: 1, record: 2, arrays: { x: new Float64Array([1, NaN, -0]) }, rng: [1, 2, 3, 4, 0, 0], trajectory: { step: [0, 1], time: [0, 0.1], metrics: { logdet: [-Infinity, NaN], sv_W1: [[1, 2], []] } } };
    expect(bitwiseDiff(deserializeCheckpoint(serializeCheckpoint(c)), c)).toBeNull();
  });
});

describe('spec keys and offshoots', () => {
  it('specKey ignores steps and record, not anything else', () => {
    const s = specs['linear2 label noise (Cholesky draws)'];
    expect(specKey({ ...s, steps: 5, record: 3 })).toBe(specKey(s));
    expect(specKey({ ...s, seed: 1 })).not.toBe(specKey(s));
    expect(specKey({ ...s, optimizer: ln(0.02, 1.0000001) })).not.toBe(specKey(s));
    expect(specKey({ ...s, from: s })).not.toBe(specKey(s));
    expect(specKey({ ...s, from: s })).not.toBe(specKey({ ...s, from: { ...s, steps: 7 } }));
  });
  it('an offshoot continues from its parent (given or computed), with fresh noise', async () => {
    const parent = spec(teacher(100, 4, 2), linear2(8), gd(0.05), 500, 10);
    const child: RunSpec = { ...parent, from: parent, optimizer: ln(0.02, 1), steps: 300, record: 10 };
    const po = await runTraining(parent);
    const a = await runTraining(child, { initFrom: po.checkpoint });
    const b = await runTraining(child); // runs the parent itself
    expect(a.status).toBe('done');
    expect(bitwiseDiff(a.trajectory, b.trajectory)).toBeNull();
    expect((a.trajectory.metrics.loss as number[])[0]).toBe((po.trajectory.metrics.loss as number[]).at(-1));
  });
});

describe('bad input', () => {
  it('returns status error with a precise message, never throws', async () => {
    const cases: [RunSpec, RegExp][] = [
      [spec(teacher(10, 3, 1), linear2(0), gd(0.1), 10), /width must be a positive integer/],
      [spec(teacher(10, 3, 1), linear2(4), gd(-1), 10), /lr must be a positive number/],
      [spec(teacher(10, 3, 2), { kind: 'diagonal', alpha: 0.1, seed: 0 }, gd(0.1), 10), /k = 1/],
      [spec(teacher(10, 3, 1), { kind: 'deep_linear', depth: 2, width: 2, init: { kind: 'gaussian', scale: 1 }, seed: 0 }, gd(0.1), 10), /completion data/],
      [spec(teacher(10, 3, 1), linear2(4), sgd(0.1, 0), 10), /batch must be a positive integer/],
      [spec(teacher(10, 3, 2, { activation: 'relu', neurons: 2 }), linear2(4), gd(0.1), 10), /k must be 1/],
      [spec(teacher(10, 3, 1), linear2(4), gd(0.1), 1.5), /steps must be a non-negative integer/],
    ];
    for (const [s, re] of cases) {
      const o = await runTraining(s);
      expect(o.status).toBe('error');
      expect(o.message).toMatch(re);
    }
  });
  it('zero steps records the initial state', async () => {
    const o = await runTraining(spec(teacher(10, 3, 1), linear2(4), gd(0.1), 0, 10));
    expect(o.status).toBe('done');
    expect(o.trajectory.step).toEqual([0]);
  });
});

describe('resource estimate', () => {
  it('grows with the run and refuses the absurd', () => {
    const s = spec(teacher(1000, 5, 2), linear2(10), ln(0.01, 1), 10000, 1000);
    const e = estimateCost(s);
    expect(e.bytes).toBeGreaterThan(8 * 1000 * 7);
    expect(e.flops).toBeGreaterThan(10000 * 6 * 5 * 10 * 2);
    expect(e.seconds).toBeGreaterThan(0);
    expect(estimateCost({ ...s, steps: 20000 }).flops).toBeGreaterThan(e.flops);
    expect(e.bytes).toBeLessThan(LIMITS.bytes);
    expect(e.seconds).toBeLessThan(LIMITS.seconds);
    const huge = estimateCost({ ...s, data: teacher(1e9, 5, 2) });
    expect(huge.bytes).toBeGreaterThan(LIMITS.bytes);
    const long = estimateCost(spec(teacher(1000, 100, 10), linear2(200), ln(0.01, 1), 1e9, 1000));
    expect(long.seconds).toBeGreaterThan(LIMITS.seconds);
  });
});

describe('data', () => {
  it('teacher data are rescaled: tr(XᵀX) ≈ p, loss = raw mean-squared error', async () => {
    const { dataLambdaMax } = await import('../../../src/core/numeric/data');
    const d = makeData(teacher(4000, 6, 2), 3);
    if (d.kind !== 'regression') throw new Error('kind');
    // tr(XᵀX) = Σ x²/n over n·p N(0,1) entries: mean p, s.d. √(2p/n) ≈ 0.055
    expect(Math.abs(d.trXtX - 6)).toBeLessThan(5 * 0.055);
    // λ_max close to the Marchenko–Pastur edge (1 + √(p/n))² ≈ 1.08, and the estimate for huge n
    expect(Math.abs(dataLambdaMax(teacher(4000, 6, 2), 3) - 1.08)).toBeLessThan(0.1);
    expect(dataLambdaMax(teacher(1e9, 6, 2), 3)).toBeCloseTo((1 + Math.sqrt(6e-9)) ** 2, 12);
    expect(Number.isNaN(dataLambdaMax({ kind: 'completion', observed: [[1]], rows: 1, cols: 1, rank: 1, fraction: 1, seed: 0 }, 1))).toBe(true);
  });
  it('sparse β* has s non-zeros; completion draws exactly round(fraction·rows·cols) entries', () => {
    const s = makeData({ kind: 'sparse', n: 10, d: 30, s: 4, noise: 0, test: 5, seed: 2 }, 1);
    if (s.kind !== 'regression') throw new Error('kind');
    expect(Array.from(s.U!).filter((x) => x !== 0).length).toBe(4);
    const c = makeData({ kind: 'completion', observed: null, rows: 6, cols: 5, rank: 2, fraction: 0.4, seed: 1 }, 1);
    if (c.kind !== 'completion') throw new Error('kind');
    expect(c.observed.length).toBe(12);
    expect(c.observed.length + c.missing.length).toBe(30);
    // the given 2×2 example: rank-1 completion puts 1/ε at (0, 1)
    const w = makeData({ kind: 'completion', observed: [[1, null], [0.3, 1]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, 1);
    if (w.kind !== 'completion') throw new Error('kind');
    expect(w.truth![1]).toBeCloseTo(1 / 0.3, 12);
    // no rank-1 completion when a row has no observed entry
    const z = makeData({ kind: 'completion', observed: [[1, 2], [null, null]], rows: 2, cols: 2, rank: 1, fraction: 1, seed: 0 }, 1);
    expect(z.kind === 'completion' && z.truth).toBeNull();
  });
});
