// Resource estimate of a run before it starts (memory in bytes, floating-point operations, and
// seconds at a conservative sustained rate), so callers can refuse oversized experiments with
// figures. Counts follow each model's step (see the model files): multiply-adds count 2 flops,
// a Gaussian draw ≈ 30 flops. Offshoots add their parent's cost.

import type { DataSpec, RunSpec } from './spec';
import { recordSteps } from './schedule';

/** sustained rate assumed for the estimate (measured ~1 GFLOP/s on the hot loops here; be conservative) */
export const FLOPS_PER_SECOND = 5e8;
const GAUSS = 30;

/** Callers refuse runs above these. */
export const LIMITS: { bytes: number; seconds: number } = { bytes: 1e9, seconds: 1800 };

function dataDims(d: DataSpec): { n: number; p: number; k: number; ntest: number } {
  if (d.kind === 'teacher') return { n: d.n, p: d.p, k: d.k, ntest: d.test };
  if (d.kind === 'sparse') return { n: d.n, p: d.d, k: 1, ntest: d.test };
  const rows = d.observed ? d.observed.length : d.rows;
  const cols = d.observed ? (d.observed[0]?.length ?? 0) : d.cols;
  return { n: rows * cols, p: Math.max(rows, cols), k: 1, ntest: 0 };
}

const num = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);

export function estimateCost(spec: RunSpec): { bytes: number; flops: number; seconds: number } {
  const { n: n0, p: p0, k: k0, ntest: t0 } = dataDims(spec.data);
  const n = num(n0), p = num(p0), k = num(k0), ntest = num(t0);
  const steps = num(spec.steps);
  const records = Math.min(steps + 1, Math.max(2, Math.ceil(num(spec.record) * 1.5) + 2));
  const o = spec.optimizer;
  const batch = o.kind === 'sgd' ? o.batch : o.kind === 'label_noise' ? o.batch : null;
  const b = batch === null || batch >= n ? n : num(batch);
  const full = b === n;
  const noisy = (o.kind === 'label_noise' || o.kind === 'sgf') && o.delta > 0;

  // data: X, Y, test set, XᵀX, XᵀY, its generation (Gaussians + XᵀX)
  let bytes = 8 * (n * (p + k) + ntest * (p + k) + p * p + p * k);
  let flops = GAUSS * (n + ntest) * p + 2 * n * p * p + 2 * n * p * k;
  let perStep = 0, perRecord = 0, params = 0, recordWidth = 8;
  const m = spec.model;
  if (m.kind === 'linear2') {
    const l = num(m.width), mm = p + k;
    params = mm * l;
    if (full) perStep = 6 * p * l * k + 2 * p * p * k + (noisy ? (n > p ? p * p * k + GAUSS * p * k : 2 * n * p * k + GAUSS * n * k) : 0);
    else perStep = 6 * p * l * k + 4 * b * p * k + (noisy ? GAUSS * b * k : 0);
    bytes += 8 * (2 * params + (noisy ? p * p + n * k : 0));
    const mn = Math.min(p, l);
    perRecord = 2 * (n + ntest) * p * k + 2 * l * mm * mm + 20 * Math.max(p, l) * mn * mn + 2 * p * p * l;
    recordWidth = 10 + Math.min(p, l) + Math.min(k, l) + Math.min(p, k);
  } else if (m.kind === 'diagonal') {
    params = 3 * p;
    perStep = 4 * b * p + 10 * p + (noisy ? GAUSS * b : 0);
    perRecord = 2 * (n + ntest) * p;
    recordWidth = 8 + p;
  } else if (m.kind === 'relu2') {
    const w = num(m.width);
    params = w * (p + k);
    perStep = b * (6 * w * p + 6 * w * k) + (noisy ? GAUSS * b * k : 0);
    perRecord = (n + ntest) * (2 * w * p + 2 * w * k) + 20 * w * p * Math.min(w, p);
    recordWidth = 8 + 2 * w;
  } else {
    const d = spec.data;
    const rows = d.kind === 'completion' ? (d.observed ? d.observed.length : d.rows) : p;
    const cols = d.kind === 'completion' ? (d.observed ? (d.observed[0]?.length ?? 0) : d.cols) : p;
    const w = num(m.width), L = Math.max(1, num(m.depth));
    const big = Math.max(num(rows), num(cols), w);
    params = L * big * big;
    perStep = 6 * L * big * big * big;
    perRecord = 20 * big * big * big + 2 * L * big * big * big;
    recordWidth = 10 + Math.min(num(rows), num(cols));
  }
  bytes += 8 * 4 * params; // state, double buffer, snapshot, checkpoint copy
  bytes += 8 * records * recordWidth * 2; // trajectory (and its copy in the checkpoint)
  flops += steps * perStep + records * perRecord;
  let seconds = flops / FLOPS_PER_SECOND;
  if (spec.from) {
    const parent = estimateCost(spec.from);
    bytes = Math.max(bytes, parent.bytes);
    flops += parent.flops;
    seconds += parent.seconds;
  }
  if (!Number.isFinite(bytes)) bytes = Number.MAX_VALUE;
  return { bytes, flops, seconds };
}
