// Data generators. Every draw comes from the data stream keyed by (rootSeed, data seed, 'data'),
// split further by role (teacher, train inputs, label noise, test set) so that e.g. changing n
// keeps the teacher and the held-out test set.
//
// Regression data are stored rescaled (docs/theory.md §1): X ← X/√n, Y ← Y/√n, so that
// L = ½‖Y − f(X)‖²_F is the mean-squared loss ½·(1/n)Σᵢ‖yᵢ − f(xᵢ)‖² of the raw data and
// tr(XᵀX) ≈ p. The test set is rescaled by 1/√n_test the same way, so test loss is the same mean.
// Rescaling commutes with every model here (linear ones, and ReLU by positive homogeneity).

import type { DataSpec } from './spec';
import { Rng } from './rng';
import { matmulTN, symLambdaMax } from './linalg';
import { csvSplit } from './csvData';

export interface RegressionData {
  kind: 'regression';
  n: number;
  p: number;
  k: number;
  ntest: number;
  /** n×p, rescaled by 1/√n */
  X: Float64Array;
  /** n×k, rescaled by 1/√n (includes the data's own label noise) */
  Y: Float64Array;
  /** ntest×p and ntest×k, rescaled by 1/√ntest; test labels are clean */
  Xtest: Float64Array;
  Ytest: Float64Array;
  /** XᵀX (p×p), XᵀY (p×k), ‖Y‖²_F: all that full-batch linear steps need (docs/theory.md §2) */
  XtX: Float64Array;
  XtY: Float64Array;
  yy: number;
  trXtX: number;
  /** linear teacher U* (p×k); null for a ReLU teacher */
  U: Float64Array | null;
  /** ReLU teacher neurons w*_j (neurons×p, unit norm); null for a linear teacher */
  Wstar: Float64Array | null;
  /** unit teacher directions (count×p) for the alignment metric */
  directions: Float64Array;
  ndirections: number;
}

export interface CompletionData {
  kind: 'completion';
  rows: number;
  cols: number;
  /** rows×cols, observed values (0 where missing) */
  target: Float64Array;
  /** flat indices i·cols + j of the observed entries, increasing */
  observed: Int32Array;
  /** flat indices of the missing entries */
  missing: Int32Array;
  /** the full matrix when known (random low-rank; or the unique rank-1 completion of a given matrix), else null */
  truth: Float64Array | null;
}

export type Dataset = RegressionData | CompletionData;

export class DataError extends Error {}

function need(cond: boolean, msg: string): void {
  if (!cond) throw new DataError(msg);
}
const isPosInt = (x: number) => Number.isInteger(x) && x >= 1;

/** Regression data in raw units, before the 1/√n rescaling (teacher, sparse, csv). */
export interface RawRegression {
  n: number;
  p: number;
  k: number;
  ntest: number;
  X: Float64Array;
  Y: Float64Array;
  Xtest: Float64Array;
  Ytest: Float64Array;
  U: Float64Array | null;
  Wstar: Float64Array | null;
  directions: Float64Array;
  ndirections: number;
}

export function makeData(spec: DataSpec, rootSeed: number): Dataset {
  if (spec.kind === 'completion') return makeCompletion(spec, rootSeed);
  return rescaled(rawRegression(spec, rootSeed));
}

/**
 * A data file's rows: the last `targets` columns are Y. The test rows are a uniform subset of
 * round(test · rows) drawn from the data stream (partial Fisher–Yates); the training rows keep
 * the file's order, so a file holding a teacher's training set, read with test = 0, gives the
 * teacher's X and Y bit for bit (test/core/csvData.test.ts).
 */
function csvRegression(spec: Extract<DataSpec, { kind: 'csv' }>, rootSeed: number): RawRegression {
  const rows = spec.values;
  need(rows.length >= 1, 'csv: the file has no rows');
  const cols = rows[0]!.length;
  const k = spec.targets;
  need(isPosInt(k) && k < cols, `csv: targets = ${k} must leave an input column (the file has ${cols})`);
  need(rows.every((r) => r.length === cols), 'csv: rows of different lengths');
  const p = cols - k;
  const { n, ntest } = csvSplit(rows.length, spec.test);
  const isTest = new Uint8Array(rows.length);
  if (ntest > 0) {
    const r = Rng.stream(rootSeed, spec.seed, 'data', 5);
    const idx = Int32Array.from({ length: rows.length }, (_, i) => i);
    for (let i = 0; i < ntest; i++) {
      const j = i + r.int(rows.length - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
      isTest[idx[i]!] = 1;
    }
  }
  const X = new Float64Array(n * p), Y = new Float64Array(n * k);
  const Xtest = new Float64Array(ntest * p), Ytest = new Float64Array(ntest * k);
  let a = 0, b = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const [x, y, at] = isTest[i] ? [Xtest, Ytest, b++] : [X, Y, a++];
    for (let j = 0; j < p; j++) x[at * p + j] = row[j]!;
    for (let c = 0; c < k; c++) y[at * k + c] = row[p + c]!;
  }
  return { n, p, k, ntest, X, Y, Xtest, Ytest, U: null, Wstar: null, directions: new Float64Array(0), ndirections: 0 };
}

/** The generated data sets (teacher, sparse) and data files (csv) in raw units. */
export function rawRegression(spec: Exclude<DataSpec, { kind: 'completion' }>, rootSeed: number): RawRegression {
  if (spec.kind === 'csv') return csvRegression(spec, rootSeed);
  const seed = spec.seed;
  const sub = (role: number) => Rng.stream(rootSeed, seed, 'data', role);
  let n: number, p: number, k: number, ntest: number, noise: number;
  let U: Float64Array | null = null;
  let Wstar: Float64Array | null = null;
  let directions: Float64Array;
  let ndirections: number;
  if (spec.kind === 'teacher') {
    ({ n, p, k, noise } = spec);
    ntest = spec.test;
    need(isPosInt(n) && isPosInt(p) && isPosInt(k), `teacher: n, p, k must be positive integers (got n=${n}, p=${p}, k=${k})`);
    const rt = sub(1);
    if (spec.activation === 'relu') {
      need(k === 1, `teacher(activation = relu) has one output: k must be 1 (got ${k})`);
      const m = spec.neurons;
      need(isPosInt(m), `teacher: neurons must be a positive integer (got ${m})`);
      // teacher neurons: Gaussian directions normalised to unit norm; y = Σⱼ relu(w*ⱼᵀx)
      Wstar = rt.fillGauss(new Float64Array(m * p));
      for (let j = 0; j < m; j++) normalizeRow(Wstar, j, p);
      directions = Wstar;
      ndirections = m;
    } else {
      U = rt.fillGauss(new Float64Array(p * k)); // U* ~ N(0, 1) (docs/theory.md §1)
      directions = new Float64Array(k * p);
      for (let c = 0; c < k; c++) for (let i = 0; i < p; i++) directions[c * p + i] = U[i * k + c];
      for (let c = 0; c < k; c++) normalizeRow(directions, c, p);
      ndirections = k;
    }
  } else {
    // sparse: s-sparse β* with N(0, 1) values on a uniformly drawn support (Even et al., Fig. 1)
    n = spec.n;
    p = spec.d;
    k = 1;
    noise = spec.noise;
    ntest = spec.test;
    need(isPosInt(n) && isPosInt(p), `sparse: n and d must be positive integers (got n=${n}, d=${p})`);
    need(Number.isInteger(spec.s) && spec.s >= 0 && spec.s <= p, `sparse: s must be an integer in [0, d] (got ${spec.s})`);
    const rt = sub(1);
    const idx = Array.from({ length: p }, (_, i) => i);
    for (let i = 0; i < spec.s; i++) {
      const j = i + rt.int(p - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    U = new Float64Array(p);
    for (let i = 0; i < spec.s; i++) U[idx[i]] = rt.gauss();
    directions = Float64Array.from(U);
    if (spec.s > 0) normalizeRow(directions, 0, p);
    ndirections = 1;
  }
  need(Number.isInteger(ntest) && ntest >= 0, `test must be a non-negative integer (got ${ntest})`);
  need(Number.isFinite(noise) && noise >= 0, `noise must be ≥ 0 (got ${noise})`);

  const teacherOut = (x: Float64Array, xo: number, out: Float64Array, oo: number) => {
    if (U) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < p; i++) s += x[xo + i] * U[i * k + c];
        out[oo + c] = s;
      }
    } else {
      let s = 0;
      for (let j = 0; j < ndirections; j++) {
        let h = 0;
        for (let i = 0; i < p; i++) h += Wstar![j * p + i] * x[xo + i];
        if (h > 0) s += h;
      }
      out[oo] = s;
    }
  };

  const X = sub(2).fillGauss(new Float64Array(n * p));
  const Y = new Float64Array(n * k);
  for (let r = 0; r < n; r++) teacherOut(X, r * p, Y, r * k);
  if (noise > 0) {
    const rn = sub(3);
    for (let t = 0; t < n * k; t++) Y[t] += noise * rn.gauss();
  }
  const Xtest = sub(4).fillGauss(new Float64Array(ntest * p));
  const Ytest = new Float64Array(ntest * k);
  for (let r = 0; r < ntest; r++) teacherOut(Xtest, r * p, Ytest, r * k);
  return { n, p, k, ntest, X, Y, Xtest, Ytest, U, Wstar, directions, ndirections };
}

/** Rescaled by 1/√n (the test set by 1/√n_test) in place, with what full-batch steps read. */
function rescaled(raw: RawRegression): RegressionData {
  const { n, p, k, ntest, X, Y, Xtest, Ytest, U, Wstar, directions, ndirections } = raw;

  const sn = 1 / Math.sqrt(n);
  for (let t = 0; t < X.length; t++) X[t] *= sn;
  for (let t = 0; t < Y.length; t++) Y[t] *= sn;
  if (ntest > 0) {
    const st = 1 / Math.sqrt(ntest);
    for (let t = 0; t < Xtest.length; t++) Xtest[t] *= st;
    for (let t = 0; t < Ytest.length; t++) Ytest[t] *= st;
  }
  const XtX = matmulTN(X, X, n, p, p);
  const XtY = matmulTN(X, Y, n, p, k);
  let yy = 0;
  for (let t = 0; t < Y.length; t++) yy += Y[t] * Y[t];
  let trXtX = 0;
  for (let i = 0; i < p; i++) trXtX += XtX[i * p + i];
  return { kind: 'regression', n, p, k, ntest, X, Y, Xtest, Ytest, XtX, XtY, yy, trXtX, U, Wstar, directions, ndirections };
}

function normalizeRow(A: Float64Array, row: number, len: number): void {
  let s = 0;
  for (let i = 0; i < len; i++) s += A[row * len + i] ** 2;
  const f = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < len; i++) A[row * len + i] *= f;
}

function makeCompletion(spec: Extract<DataSpec, { kind: 'completion' }>, rootSeed: number): CompletionData {
  if (spec.observed) {
    const rows = spec.observed.length;
    need(rows >= 1, 'completion: observed must have at least one row');
    const cols = spec.observed[0].length;
    need(cols >= 1 && spec.observed.every((r) => r.length === cols), 'completion: observed must be a rectangular matrix');
    const target = new Float64Array(rows * cols);
    const obs: number[] = [];
    const mis: number[] = [];
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const v = spec.observed[i][j];
        if (v === null) mis.push(i * cols + j);
        else {
          need(Number.isFinite(v), `completion: entry (${i}, ${j}) is not a finite number`);
          target[i * cols + j] = v;
          obs.push(i * cols + j);
        }
      }
    need(obs.length > 0, 'completion: no observed entry');
    const observed = Int32Array.from(obs);
    return { kind: 'completion', rows, cols, target, observed, missing: Int32Array.from(mis), truth: rank1Completion(target, observed, rows, cols) };
  }
  const { rows, cols, rank, fraction } = spec;
  need(isPosInt(rows) && isPosInt(cols) && isPosInt(rank), `completion: rows, cols, rank must be positive integers`);
  need(fraction > 0 && fraction <= 1, `completion: fraction must be in (0, 1] (got ${fraction})`);
  // A* = U Vᵀ/√rank with U, V ~ N(0, 1): entries of unit variance
  const r1 = Rng.stream(rootSeed, spec.seed, 'data', 1);
  const Uf = r1.fillGauss(new Float64Array(rows * rank));
  const Vf = r1.fillGauss(new Float64Array(cols * rank));
  const truth = new Float64Array(rows * cols);
  const sr = 1 / Math.sqrt(rank);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let c = 0; c < rank; c++) s += Uf[i * rank + c] * Vf[j * rank + c];
      truth[i * cols + j] = s * sr;
    }
  // exactly round(fraction·rows·cols) observed entries, a uniform subset (partial Fisher–Yates)
  const total = rows * cols;
  const m = Math.max(1, Math.min(total, Math.round(fraction * total)));
  const r2 = Rng.stream(rootSeed, spec.seed, 'data', 2);
  const idx = Int32Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + r2.int(total - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const observed = Int32Array.from(idx.subarray(0, m)).sort();
  const missing = Int32Array.from(idx.subarray(m)).sort();
  const target = new Float64Array(total);
  for (const f of observed) target[f] = truth[f];
  return { kind: 'completion', rows, cols, target, observed, missing, truth };
}

/**
 * The rank-1 completion u vᵀ of the observed entries, when it exists and is unique: the bipartite
 * graph rows↔cols of observed entries is connected, every observed entry is non-zero, and the
 * propagated u, v reproduce every observed entry (relative 1e-9). Wang & Jacot's 2×2 example
 * ((0,0) = 1, (1,0) = ε, (1,1) = 1) gives 1/ε at (0,1).
 */
export function rank1Completion(target: Float64Array, observed: Int32Array, rows: number, cols: number): Float64Array | null {
  const u = new Float64Array(rows).fill(NaN);
  const v = new Float64Array(cols).fill(NaN);
  for (const f of observed) if (target[f] === 0) return null;
  u[0] = 1;
  let changed = true;
  while (changed) {
    changed = false;
    for (const f of observed) {
      const i = Math.floor(f / cols), j = f % cols;
      if (!Number.isNaN(u[i]) && Number.isNaN(v[j])) { v[j] = target[f] / u[i]; changed = true; }
      else if (Number.isNaN(u[i]) && !Number.isNaN(v[j])) { u[i] = target[f] / v[j]; changed = true; }
    }
  }
  if (u.some(Number.isNaN) || v.some(Number.isNaN)) return null;
  for (const f of observed) {
    const i = Math.floor(f / cols), j = f % cols;
    if (Math.abs(u[i] * v[j] - target[f]) > 1e-9 * Math.abs(target[f])) return null;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = u[i] * v[j];
  return out;
}

/**
 * λ_max(XᵀX) of the rescaled inputs: full-batch GD on a linear model diverges for lr > 2/λ_max
 * (the checker's stability warning). NaN for completion data (no such simple criterion).
 * Above LAMBDA_EXACT_MAX input entries (n·p) the data are not generated (the checker calls this
 * before a run is accepted): the Marchenko–Pastur edge (1 + √(p/n))², which λ_max of Gaussian
 * XᵀX/n approaches for large n, is returned instead.
 */
export const LAMBDA_EXACT_MAX = 2e7;
export function dataLambdaMax(spec: DataSpec, rootSeed: number): number {
  if (spec.kind === 'completion') return NaN;
  if (spec.kind === 'csv') {
    const d = makeData(spec, rootSeed) as RegressionData;
    return symLambdaMax(d.XtX, d.p);
  }
  const n = spec.n, p = spec.kind === 'teacher' ? spec.p : spec.d;
  if (!(n >= 1 && p >= 1)) return NaN;
  if (n * p > LAMBDA_EXACT_MAX) return (1 + Math.sqrt(p / n)) ** 2;
  if (!(Number.isInteger(n) && Number.isInteger(p))) return NaN;
  // only the inputs: X has its own stream (role 2), so drawing it alone gives the same X, and
  // the same XᵀX bit for bit, as makeData, without the teacher, the labels or the test set
  // (a test set of 10⁸ rows would cost gigabytes on every keystroke)
  const X = Rng.stream(rootSeed, spec.seed, 'data', 2).fillGauss(new Float64Array(n * p));
  const sn = 1 / Math.sqrt(n);
  for (let t = 0; t < X.length; t++) X[t] *= sn;
  return symLambdaMax(matmulTN(X, X, n, p, p), p);
}
