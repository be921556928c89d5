// Content hashes for graph nodes. A node's key is the hash of what determines its value
// (built-in, canonical arguments, the keys of its inputs, its seed streams), never of its
// name, position or formatting: two definitions that mean the same thing share a key, so a
// rename or a comment edit finds every value already memoised (issue 4, point 1).
import { createHash } from 'node:crypto';

/**
 * Bumped whenever the meaning of a cached value changes (stepping core, metrics, cache
 * layout). It is mixed into every run key, so old disk entries simply stop matching.
 *   2 — deep_linear label noise on the rescaled entries (raw std √(N·δ), deep_linear.ts header)
 *   3 — linear2: blocked Cholesky-noise kernel from p ≥ 16 (summation order), imbalance from Σσ⁴ (last bits)
 *   4 — diagonal gain_norm = Σ|Gainᵢ| (was the signed sum, negative near divergence); linear2
 *       imbalance when the cheap form cancels: from the LQ factor (last bits), ±Inf states +Inf
 */
export const ENGINE_VALUE_VERSION = 4;

/**
 * Deterministic JSON: object keys sorted, `undefined` fields dropped, non-finite numbers
 * spelled out (JSON.stringify would turn NaN and ±Infinity into null and make them collide).
 */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return Object.is(v, -0) ? '0' : JSON.stringify(v);
    return `"${String(v)}"`;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (ArrayBuffer.isView(v)) return canonicalJson(Array.from(v as unknown as ArrayLike<number>));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(String(v));
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Short content hash (128 bits of SHA-256) of a canonical JSON rendering. */
export function hashOf(v: unknown): string {
  return sha256(canonicalJson(v)).slice(0, 32);
}

/**
 * Value hash of a run's result, for early cutoff: the recorded numbers themselves (bit
 * patterns, so -0/NaN/ulps all count), the status and the theory. Hashing ~10⁵ doubles costs
 * well under a millisecond, negligible next to the training it summarises.
 */
export function hashRunValue(v: {
  status: string;
  message: string | null;
  step: number[];
  time: number[];
  metrics: Record<string, number[] | number[][]>;
  theory: Record<string, number>;
}): string {
  const h = createHash('sha256');
  h.update(canonicalJson({ status: v.status, message: v.message, theory: v.theory }));
  const put = (name: string, xs: readonly number[]) => {
    h.update(`|${name}:${xs.length}:`);
    h.update(new Uint8Array(Float64Array.from(xs).buffer));
  };
  put('step', v.step);
  put('time', v.time);
  for (const k of Object.keys(v.metrics).sort()) {
    const s = v.metrics[k];
    if (s.length > 0 && Array.isArray(s[0])) {
      h.update(`|${k}:rows${s.length}`);
      (s as number[][]).forEach((row, i) => put(`${k}.${i}`, row));
    } else put(k, s as number[]);
  }
  return h.digest('hex').slice(0, 32);
}
