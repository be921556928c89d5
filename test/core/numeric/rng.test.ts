import { describe, expect, it } from 'vitest';
import { Rng, hashNumbers } from '../../../src/core/numeric/rng';

describe('random streams', () => {
  it('xoshiro128** matches the reference implementation (state 1,2,3,4)', () => {
    // reference values from Blackman & Vigna's C code (recomputed independently in Python)
    const r = Rng.fromState([1, 2, 3, 4, 0, 0]);
    expect(Array.from({ length: 6 }, () => r.nextU32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('same key, same bits; different purpose or seed, different stream', () => {
    const a = Rng.stream(1, 0, 'noise'), b = Rng.stream(1, 0, 'noise');
    const xa = Array.from({ length: 100 }, () => a.gauss()), xb = Array.from({ length: 100 }, () => b.gauss());
    expect(xa).toEqual(xb);
    const c = Rng.stream(1, 0, 'data'), d = Rng.stream(1, 1, 'noise'), e = Rng.stream(2, 0, 'noise');
    for (const o of [c, d, e]) expect(Array.from({ length: 100 }, () => o.gauss())).not.toEqual(xa);
    expect(hashNumbers([0])).toBe(hashNumbers([-0]));
  });

  it('state snapshots resume the stream exactly (the ziggurat keeps nothing between draws)', () => {
    const r = Rng.stream(3, 4, 'init');
    r.gauss();
    const s = r.getState();
    expect(s.slice(4)).toEqual([0, 0]); // the checkpoint layout of the polar method's spare, unused
    const x = [r.gauss(), r.gauss(), r.uniform()];
    const q = Rng.fromState(s);
    expect([q.gauss(), q.gauss(), q.uniform()]).toEqual(x);
  });

  it('Gaussian draws have the moments of N(0, 1)', () => {
    // N = 2e5: the standard errors are 1/√N = 0.0022 (mean), √(2/N) = 0.0032 (variance),
    // √(96/N) = 0.022 (4th moment); tolerances are 5 standard errors.
    const r = Rng.stream(7, 0, 'noise');
    const N = 200000;
    let m1 = 0, m2 = 0, m4 = 0, tail = 0;
    for (let i = 0; i < N; i++) {
      const z = r.gauss();
      m1 += z; m2 += z * z; m4 += z ** 4;
      if (z > 1.959964) tail++;
    }
    expect(Math.abs(m1 / N)).toBeLessThan(5 * 0.0022);
    expect(Math.abs(m2 / N - 1)).toBeLessThan(5 * 0.0032);
    expect(Math.abs(m4 / N - 3)).toBeLessThan(5 * 0.022);
    // P(Z > 1.96) = 0.025, s.e. √(0.025·0.975/N) = 3.5e-4
    expect(Math.abs(tail / N - 0.025)).toBeLessThan(5 * 3.5e-4);
  });

  it('uniforms lie in [0, 1) and integers in [0, n)', () => {
    const r = Rng.stream(1, 2, 'data');
    const counts = new Array(7).fill(0);
    let inRange = true;
    for (let i = 0; i < 70000; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) inRange = false;
      counts[r.int(7)]++;
    }
    expect(inRange).toBe(true);
    // each count ~ Binomial(70000, 1/7): s.d. ≈ 92.6
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(5 * 92.6);
  });
});
