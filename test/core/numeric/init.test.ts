// orthogonal(scale) and balanced(scale) (init.ts): the weights a run starts from are
// semi-orthogonal times scale, resp. satisfy W1ᵀW1 = W2W2ᵀ (every consecutive pair of
// deep_linear), to 1e-12; gaussian runs draw exactly as before (the golden test pins that).
import { describe, expect, it } from 'vitest';
import { runTraining } from '../../../src/core/numeric/run';
import type { InitSpec, ModelSpec, RunSpec } from '../../../src/core/spec';
import { gd, spec, teacher } from './helpers';

const init = (kind: InitSpec['kind'], scale: number): InitSpec => ({ kind, scale });
const completion = { kind: 'completion', observed: null, rows: 5, cols: 4, rank: 1, fraction: 0.6, seed: 0 } as const;

/** AᵀA (transposeFirst) or AAᵀ of a row-major rows×cols matrix. */
function gram(A: Float64Array | number[], rows: number, cols: number, transposeFirst: boolean): number[][] {
  const n = transposeFirst ? cols : rows;
  const G = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (transposeFirst) for (let t = 0; t < rows; t++) s += A[t * cols + i] * A[t * cols + j];
      else for (let t = 0; t < cols; t++) s += A[i * cols + t] * A[j * cols + t];
      G[i][j] = s;
    }
  return G;
}
const maxDiff = (A: number[][], B: number[][]) => Math.max(...A.flatMap((r, i) => r.map((x, j) => Math.abs(x - B[i][j]))));
const eye = (n: number, s2: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? s2 : 0)));
/** semi-orthogonal times scale: QᵀQ = s²I if rows ≥ cols, else QQᵀ = s²I */
const orthoError = (A: Float64Array | number[], rows: number, cols: number, s: number) =>
  maxDiff(gram(A, rows, cols, rows >= cols), eye(Math.min(rows, cols), s * s));

async function start(model: ModelSpec, data: RunSpec['data']): Promise<Record<string, Float64Array>> {
  const o = await runTraining(spec(data, model, gd(0.01), 0, 2));
  expect(o.status, o.message ?? '').toBe('done');
  return o.checkpoint!.arrays;
}
/** linear2's θᵀ rows: W1 (p×l) rows, then W2's columns: W2 (l×k) */
function linear2Weights(T: Float64Array, p: number, k: number, l: number) {
  const W1 = T.slice(0, p * l);
  const W2 = new Float64Array(l * k);
  for (let j = 0; j < l; j++) for (let c = 0; c < k; c++) W2[j * k + c] = T[(p + c) * l + j];
  return { W1, W2 };
}

describe('orthogonal(scale)', () => {
  it('linear2: W1 (p×l) and W2 (l×k) are semi-orthogonal × scale to 1e-12, in both shapes', async () => {
    for (const [p, k, l] of [[4, 2, 7], [9, 3, 5], [3, 1, 3]]) {
      const { W1, W2 } = linear2Weights((await start({ kind: 'linear2', width: l, init: init('orthogonal', 0.7), seed: 2 }, teacher(20, p, k))).theta, p, k, l);
      expect(orthoError(W1, p, l, 0.7)).toBeLessThan(1e-12);
      expect(orthoError(W2, l, k, 0.7)).toBeLessThan(1e-12);
    }
  });
  it('deep_linear and relu2: every weight matrix semi-orthogonal × scale to 1e-12', async () => {
    const a = await start({ kind: 'deep_linear', depth: 3, width: 6, init: init('orthogonal', 1.3), seed: 0 }, completion);
    const dims = [4, 6, 6, 5];
    for (let m = 1; m <= 3; m++) expect(orthoError(a[`W${m}`], dims[m], dims[m - 1], 1.3)).toBeLessThan(1e-12);
    const r = await start({ kind: 'relu2', width: 8, init: init('orthogonal', 0.5), seed: 0 }, teacher(20, 3, 1, { activation: 'relu', neurons: 2 }));
    expect(orthoError(r.W, 8, 3, 0.5)).toBeLessThan(1e-12);
    expect(orthoError(r.a, 8, 1, 0.5)).toBeLessThan(1e-12);
  });
});

describe('balanced(scale)', () => {
  it('linear2: W1ᵀW1 = W2W2ᵀ to 1e-12 (and the imbalance metric starts at ~0)', async () => {
    for (const [p, k, l] of [[4, 2, 7], [9, 3, 5], [5, 2, 1]]) {
      const model: ModelSpec = { kind: 'linear2', width: l, init: init('balanced', 0.8), seed: 1 };
      const { W1, W2 } = linear2Weights((await start(model, teacher(20, p, k))).theta, p, k, l);
      const A = gram(W1, p, l, true), B = gram(W2, l, k, false);
      expect(maxDiff(A, B)).toBeLessThan(1e-12);
      // not trivially zero: W1ᵀW1 has min(p, k, l) eigenvalues s² = 0.64, so trace = 0.64·r
      const tr = A.reduce((s, row, i) => s + row[i], 0);
      expect(tr).toBeCloseTo(0.64 * Math.min(p, k, l), 12);
      const o = await runTraining(spec(teacher(20, p, k), model, gd(0.01), 0, 2));
      expect(o.trajectory.metrics.imbalance[0] as number).toBeLessThan(1e-12);
    }
  });
  it('deep_linear: W_{m+1}ᵀW_{m+1} = W_mW_mᵀ for every m, to 1e-12', async () => {
    const a = await start({ kind: 'deep_linear', depth: 4, width: 3, init: init('balanced', 1.1), seed: 0 }, completion);
    const dims = [4, 3, 3, 3, 5];
    for (let m = 1; m < 4; m++) {
      const up = gram(a[`W${m + 1}`], dims[m + 1], dims[m], true);
      const down = gram(a[`W${m}`], dims[m], dims[m - 1], false);
      expect(maxDiff(up, down)).toBeLessThan(1e-12);
    }
  });
  it('relu2 refuses it with a message (the checker says so first)', async () => {
    const o = await runTraining(spec(teacher(20, 3, 1, { activation: 'relu' }), { kind: 'relu2', width: 4, init: init('balanced', 1), seed: 0 }, gd(0.01), 1, 2));
    expect(o.status).toBe('error');
    expect(o.message).toMatch(/balanced/);
  });
});
