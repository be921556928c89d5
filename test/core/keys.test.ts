// Keys of offshoot chains cost O(N): a child's key refers to its parent's key, never re-hashes
// the parent's spec (hashing the nested `from` chain at every link and every message made a
// 500-link chain cost minutes). Counted in bytes hashed and canonicalJson calls, not timed.
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/core/lower';
import { keyStats, runKeys, specKey } from '../../src/core/keys';
import type { RunSpec } from '../../src/core/spec';
import { call, num, program, ref } from '../graph/helpers';

function chain(n: number) {
  const defs: [string, 'data' | 'model' | 'run', ReturnType<typeof call>][] = [
    ['data', 'data', call('teacher', { n: num(10), p: num(3) })],
    ['net', 'model', call('linear2', { width: num(4) })],
  ];
  for (let i = 0; i < n; i++) {
    defs.push([`r${i}`, 'run', call('train', { model: ref(i === 0 ? 'net' : `r${i - 1}`), data: ref('data'), optimizer: call('gd', { lr: num(0.01) }), steps: num(5) })]);
  }
  return program({ defs, plots: [['loss', [ref(`r${n - 1}`)]]] });
}

/** Work to lower a chain and to key its last link once more after a thread crossing (a copy). */
function cost(n: number) {
  const p = chain(n);
  keyStats.bytesHashed = 0;
  keyStats.canonicalCalls = 0;
  const l = lowerProgram(p);
  const last = l.runs.at(-1)!;
  expect(last.own).not.toBeNull();
  const copy = structuredClone(last.spec) as RunSpec;
  expect(runKeys(copy)).toEqual({ key: last.key, prefixKey: last.prefixKey });
  return { bytes: keyStats.bytesHashed, calls: keyStats.canonicalCalls };
}

describe('keys of offshoot chains', () => {
  it('a chain of 500 links keys with a linear number of canonicalJson calls and bytes hashed', () => {
    const small = cost(100);
    const large = cost(500);
    // linear: ×5; the nested-chain keys grew as N² per link (×25 and more)
    expect(large.calls / small.calls).toBeLessThan(6);
    expect(large.bytes / small.bytes).toBeLessThan(6);
    expect(large.bytes / 500).toBeLessThan(10_000);
  });

  it("a child's key changes with its parent's spec and horizon", () => {
    const l = lowerProgram(chain(3));
    const [a, b, c] = l.runs.map((r) => r.spec);
    expect(specKey(c)).toBe(specKey(structuredClone(c)));
    expect(specKey({ ...c, from: { ...b, steps: 6 } })).not.toBe(specKey(c));
    expect(specKey({ ...c, from: { ...b, from: { ...a, seed: 1 } } })).not.toBe(specKey(c));
    expect(specKey({ ...c, steps: 99, record: 7 })).toBe(specKey(c));
  });
});
