// The value hash of a run, for early cutoff: a node whose new value hashes as its previous one
// is backdated, and the plots keyed on it stay reused. Keys live in src/core/keys.ts.
import { canonicalJson, Hasher } from '../keys';

/**
 * The recorded numbers themselves (bit patterns, so -0/NaN/ulps all count), the status and the
 * theory. Hashing ~10⁵ doubles costs well under a millisecond, negligible next to the training
 * it summarises.
 */
export function hashRunValue(v: {
  status: string;
  message: string | null;
  step: number[];
  time: number[];
  metrics: Record<string, number[] | number[][]>;
  theory: Record<string, number>;
}): string {
  const h = new Hasher();
  h.update(canonicalJson({ status: v.status, message: v.message, theory: v.theory }));
  const put = (name: string, xs: readonly number[]) => h.update(`|${name}:${xs.length}:`).numbers(xs);
  put('step', v.step);
  put('time', v.time);
  for (const k of Object.keys(v.metrics).sort()) {
    const s = v.metrics[k];
    if (s.length > 0 && Array.isArray(s[0])) {
      h.update(`|${k}:rows${s.length}`);
      (s as number[][]).forEach((row, i) => put(`${k}.${i}`, row));
    } else put(k, s as number[]);
  }
  return h.digest();
}
