import { describe, expect, it } from 'vitest';
import { recordSteps } from '../../src/core/schedule';

describe('record schedule', () => {
  it('is prefix-stable: schedule(M) below N is contained in schedule(N)', () => {
    for (const [n, m] of [[1000, 2000], [777, 100000], [5000, 5001], [10, 1e5], [20000, 1e6]]) {
      const sn = new Set(recordSteps(n, 1000));
      for (const t of recordSteps(m, 1000)) if (t < n) expect(sn.has(t), `${t} of ${m} in ${n}`).toBe(true);
    }
  });
  it('records about `record` points, early and late, with 0 and the final step', () => {
    const s = recordSteps(100000, 1000);
    expect(s[0]).toBe(0);
    expect(s.at(-1)).toBe(100000);
    expect(s.length).toBeGreaterThan(500);
    expect(s.length).toBeLessThan(1500);
    expect(s.filter((t) => t <= 100).length).toBeGreaterThan(50); // early dynamics visible
  });
  it('records every step when asked', () => {
    expect(recordSteps(50, 51)).toEqual(Array.from({ length: 51 }, (_, i) => i));
  });
});
