// The RunSpecs of scripts/bench.mjs's configurations, shared by the bench's bodies: steps/s
// (bench/numeric.ts) and the record's share (bench/recordShare.ts) time the same runs.
import type { RunSpec } from '../src/core/spec';

export interface BenchConfig {
  model: string;
  n: number;
  p: number;
  l: number;
  k: number;
  d: number;
  lr: number;
  delta: number;
  scale: number;
  seconds: number;
  reps: number;
  rows: number;
  cols: number;
  depth: number;
  width: number;
  batch: number | null;
}

/** the bench's record setting: 1000 records per 10⁵ steps */
export const benchRecord = (steps: number): number => steps / 100;

export function specFor(cfg: BenchConfig, steps: number, record: number): RunSpec {
  // deep_linear / relu2 at sizes a user might try (their step's products go through the SIMD gemm)
  if (cfg.model === 'deep_linear')
    return {
      rootSeed: 0, seed: 0, steps, record,
      data: { kind: 'completion', observed: null, rows: cfg.rows, cols: cfg.cols, rank: 2, fraction: 0.5, seed: 0 },
      model: { kind: 'deep_linear', depth: cfg.depth, width: cfg.width, init: { kind: 'gaussian', scale: cfg.scale }, seed: 0 },
      optimizer: cfg.batch === null ? { kind: 'gd', lr: cfg.lr, weight_decay: 0 } : { kind: 'sgd', lr: cfg.lr, batch: cfg.batch, weight_decay: 0 },
    };
  if (cfg.model === 'relu2')
    return {
      rootSeed: 0, seed: 0, steps, record,
      data: { kind: 'teacher', n: cfg.n, p: cfg.p, k: 1, noise: 0, test: 0, activation: 'relu', neurons: 2, seed: 0 },
      model: { kind: 'relu2', width: cfg.width, init: { kind: 'gaussian', scale: cfg.scale }, seed: 0 },
      optimizer: { kind: 'label_noise', lr: cfg.lr, delta: cfg.delta, batch: cfg.batch, weight_decay: 0 },
    };
  if (cfg.model === 'linear2') return linear2Spec([cfg.n, cfg.p, cfg.l, cfg.k], { steps, record, scale: cfg.scale, lr: cfg.lr, delta: cfg.delta });
  return {
    rootSeed: 0, seed: 0, steps, record,
    data: { kind: 'sparse', n: cfg.n, d: cfg.d, s: 3, noise: 0, test: 0, seed: 0 },
    model: { kind: 'diagonal', alpha: 0.1, seed: 0 },
    optimizer: { kind: 'sgd', lr: cfg.lr, batch: 1, weight_decay: 0 },
  };
}

/** full-batch label-noise GD on linear2 at (n, p, l, k) from a linear teacher: the bench rows' run,
 *  and the one whose step and record bench/stepParts.ts and bench/recordParts.ts take apart */
export function linear2Spec([n, p, l, k]: number[], o: { steps: number; record: number; scale: number; lr: number; delta: number; test?: number }): RunSpec {
  return {
    rootSeed: 0, seed: 0, steps: o.steps, record: o.record,
    data: { kind: 'teacher', n, p, k, noise: 0, test: o.test ?? 0, activation: 'linear', neurons: 1, seed: 0 },
    model: { kind: 'linear2', width: l, init: { kind: 'gaussian', scale: o.scale }, seed: 0 },
    optimizer: { kind: 'label_noise', lr: o.lr, delta: o.delta, batch: null, weight_decay: 0 },
  };
}

/** steps of ~`seconds` of bare stepping (the bench's run length), from a timed sample */
export function calibrateSteps(cfg: BenchConfig, step: () => void): number {
  // first steps (compilation) before any timing: a slow first batch of 16 ends the doubling at
  // once (seen once: 35,700 steps at (1000, 5, 10, 2), where ~7·10⁵ run in a second)
  for (let i = 0; i < 16; i++) step();
  let m = 16;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < m; i++) step();
    if (performance.now() - t0 > 50) break;
    m *= 2;
  }
  const t0 = performance.now();
  for (let i = 0; i < m; i++) step();
  const perStep = (performance.now() - t0) / m;
  return Math.max(200, Math.round((cfg.seconds * 1000) / perStep / 100) * 100);
}
