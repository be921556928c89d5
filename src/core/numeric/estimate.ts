// Resource estimate of a run before it starts (memory in bytes, floating-point operations, and
// seconds at a conservative sustained rate), so callers can refuse oversized experiments with
// figures. Counts follow each model's step (see the model files): multiply-adds count 2 flops,
// a Gaussian draw ≈ 30 flops. Offshoots add their parent's cost.

import type { DataSpec, RunSpec } from './spec';
import { csvSplit } from './csvData';
import { recordSteps } from './schedule';

/** sustained rate assumed for the estimate (measured ~1 GFLOP/s on the hot loops here; be conservative) */
export const FLOPS_PER_SECOND = 5e8;
const GAUSS = 30;

/** Callers refuse runs above these. */
export const LIMITS: { bytes: number; seconds: number } = { bytes: 1e9, seconds: 1800 };

/**
 * The fixed cost of one run whatever its size: scheduling a worker job, hashing its spec, a
 * cache entry, its series in the results document. Measured: 10⁶ runs of a few steps took
 * 5 min on 2 cores and held 4.2 GB, ≈ 0.3 ms and 4 kB a run; doubled or more to stay conservative.
 */
export const RUN_OVERHEAD: { seconds: number; bytes: number } = { seconds: 1e-3, bytes: 16_384 };

/** Callers refuse files above these: runs in all, their summed time, the memory their results keep. */
export const FILE_LIMITS: { runs: number; seconds: number; bytes: number } = { runs: 100_000, seconds: 6 * 3600, bytes: 2e9 };

/** neurons: the units of a ReLU teacher (0 for a linear one, whose teacher is U*, p × k) */
function dataDims(d: DataSpec): { n: number; p: number; k: number; ntest: number; neurons: number } {
  if (d.kind === 'teacher') return { n: d.n, p: d.p, k: d.k, ntest: d.test, neurons: d.activation === 'relu' ? d.neurons : 0 };
  if (d.kind === 'sparse') return { n: d.n, p: d.d, k: 1, ntest: d.test, neurons: 0 };
  if (d.kind === 'csv') {
    const cols = d.values[0]?.length ?? 0;
    return { ...csvSplit(d.values.length, d.test), p: cols - d.targets, k: d.targets, neurons: 0 };
  }
  const rows = d.observed ? d.observed.length : d.rows;
  const cols = d.observed ? (d.observed[0]?.length ?? 0) : d.cols;
  return { n: rows * cols, p: Math.max(rows, cols), k: 1, ntest: 0, neurons: 0 };
}

const num = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);

/** `kept`: the bytes a finished run keeps (its trajectory, twice, and the per-run overhead). */
export function estimateCost(spec: RunSpec): { bytes: number; flops: number; seconds: number; kept: number } {
  const { n: n0, p: p0, k: k0, ntest: t0, neurons: m0 } = dataDims(spec.data);
  const n = num(n0), p = num(p0), k = num(k0), ntest = num(t0), neurons = num(m0);
  const steps = num(spec.steps);
  const records = Math.min(steps + 1, Math.max(2, Math.ceil(num(spec.record) * 1.5) + 2));
  const o = spec.optimizer;
  const batch = o.kind === 'sgd' ? o.batch : o.kind === 'label_noise' ? o.batch : null;
  const b = batch === null || batch >= n ? n : num(batch);
  const full = b === n;
  const noisy = (o.kind === 'label_noise' || o.kind === 'sgf') && o.delta > 0;

  // data: X, Y, test set, XᵀX, XᵀY, the teacher (U*, or the ReLU neurons and their
  // directions); its generation: Gaussians, the teacher's outputs on the training and the test
  // inputs (a ReLU teacher: every neuron on every sample), label noise, XᵀX and XᵀY
  const teacher = neurons > 0 ? neurons * p : p * k;
  let bytes = 8 * (n * (p + k) + ntest * (p + k) + p * p + p * k + 2 * teacher);
  let flops = GAUSS * ((n + ntest) * p + teacher + n * k) + 2 * (n + ntest) * teacher + 2 * n * p * p + 2 * n * p * k;
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
    // alignment: every student neuron against every teacher direction (k of a linear teacher)
    perRecord = (n + ntest) * (2 * w * p + 2 * w * k) + 20 * w * p * Math.min(w, p) + 2 * w * p * Math.max(neurons, k);
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
  const trajectory = 8 * records * recordWidth * 2; // trajectory (and its copy in the checkpoint)
  bytes += trajectory;
  flops += steps * perStep + records * perRecord;
  let seconds = flops / FLOPS_PER_SECOND + RUN_OVERHEAD.seconds;
  let kept = trajectory + RUN_OVERHEAD.bytes;
  if (spec.from) {
    const parent = estimateCost(spec.from);
    bytes = Math.max(bytes, parent.bytes);
    flops += parent.flops;
    seconds += parent.seconds;
    kept += parent.kept;
  }
  if (!Number.isFinite(bytes)) bytes = Number.MAX_VALUE;
  if (!Number.isFinite(kept)) kept = Number.MAX_VALUE;
  return { bytes, flops, seconds, kept };
}
