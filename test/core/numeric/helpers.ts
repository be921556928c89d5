import type { DataSpec, ModelSpec, OptimizerSpec, RunSpec } from '../../../src/core/spec';

export const teacher = (n: number, p: number, k: number, extra: Partial<Extract<DataSpec, { kind: 'teacher' }>> = {}): DataSpec => ({
  kind: 'teacher', n, p, k, noise: 0, test: 100, activation: 'linear', neurons: 1, seed: 0, ...extra,
});
export const linear2 = (width: number, scale = 1, seed = 0): ModelSpec => ({ kind: 'linear2', width, init: { kind: 'gaussian', scale }, seed });
export const gd = (lr: number, weight_decay = 0): OptimizerSpec => ({ kind: 'gd', lr, weight_decay });
export const sgd = (lr: number, batch: number, weight_decay = 0): OptimizerSpec => ({ kind: 'sgd', lr, batch, weight_decay });
export const ln = (lr: number, delta: number, batch: number | null = null, weight_decay = 0): OptimizerSpec => ({ kind: 'label_noise', lr, delta, batch, weight_decay });

export function spec(data: DataSpec, model: ModelSpec, optimizer: OptimizerSpec, steps: number, record = 100, extra: Partial<RunSpec> = {}): RunSpec {
  return { rootSeed: 1, seed: 0, data, model, optimizer, steps, record, ...extra };
}

/** Bitwise deep equality (Object.is on numbers, so NaN = NaN and 0 ≠ −0), with a path on failure. */
export function bitwiseDiff(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${a} ≠ ${b}`;
  if (a instanceof Float64Array && b instanceof Float64Array) return bitwiseDiff(Array.from(a), Array.from(b), path);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = bitwiseDiff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka} ≠ ${kb}`;
    for (const k of ka) {
      const d = bitwiseDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
}

export const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
