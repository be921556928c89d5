// The WebAssembly SIMD kernels (src/core/numeric/wasm): the committed bytes are the assembly of
// the committed text; each kernel gives the bits of its scalar reference on every remainder
// path; linear2 runs give the same bits with SIMD on, off, and with SIMD unavailable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assemble, moduleText } from '../../../scripts/build-wasm.mjs';
import { gemmSeq, lowerDotsAdd, rowCombine, rowDots } from '../../../src/core/numeric/kernels';
import { Arena, kernelBytes, setSimdEnabled, simdAvailable } from '../../../src/core/numeric/wasm/simd';
import { buildRun } from '../../../src/core/numeric/build';
import { Linear2 } from '../../../src/core/numeric/linear2';
import { Rng } from '../../../src/core/numeric/rng';
import { ZIG_R, ZIG_X } from '../../../src/core/numeric/zigguratTable';
import { runTraining } from '../../../src/core/numeric/run';
import { bitwiseDiff, linear2, ln, sgd, gd, spec, teacher } from './helpers';

const dir = join(__dirname, '../../../src/core/numeric/wasm');
const rng = Rng.stream(7, 0, 'data');
/** Gaussians with a few exact zeros, ±0 and tiny values mixed in (sign-of-zero and underflow paths) */
const fill = (a: Float64Array) => {
  rng.fillGauss(a);
  for (let t = 0; t < a.length; t += 7) a[t] = [0, -0, 1e-300, -1e-300, 3][t % 5];
  return a;
};
const sameBits = (a: Float64Array, b: Float64Array) => {
  for (let t = 0; t < a.length; t++) if (!Object.is(a[t], b[t])) return `index ${t}: ${a[t]} ≠ ${b[t]}`;
  return null;
};

describe('the committed WebAssembly', () => {
  it('kernels.wasm.ts is the wabt assembly of kernels.wat, byte for byte', async () => {
    const bytes = await assemble(readFileSync(join(dir, 'kernels.wat'), 'utf8'));
    expect(Buffer.from(kernelBytes()).equals(Buffer.from(bytes))).toBe(true);
    expect(readFileSync(join(dir, 'kernels.wasm.ts'), 'utf8')).toBe(moduleText(bytes));
  });
  it('validates with SIMD on this engine (Node ≥ 20)', () => {
    expect(WebAssembly.validate(kernelBytes())).toBe(true);
    expect(simdAvailable()).toBe(true);
  });
});

describe('each SIMD kernel gives the bits of its scalar reference', () => {
  const shapes: [number, number, number][] = [];
  for (const m of [1, 2, 3, 4, 5, 8, 9]) for (const n of [1, 2, 3, 4, 5, 6, 7, 9]) for (const kk of [1, 2, 3, 8, 11]) shapes.push([m, n, kk]);
  shapes.push([50, 5, 100], [5, 50, 50], [13, 17, 19]);

  it('gemm (store) = gemmSeq, with row-major and transposed A, offsets and padded strides', () => {
    for (const [m, n, kk] of shapes)
      for (const transA of [false, true]) {
        const ars = transA ? 1 : kk + 1, acs = transA ? m + 2 : 1, ldb = n + 1, ldc = n + 3;
        const ar = Arena.create([3 + m * kk + (m + 2) * kk + kk, 1 + kk * ldb, 2 + m * ldc, 2 + m * ldc])!;
        const [A, B, C, D] = ar.arrays.map(fill);
        D.set(C);
        ar.gemm(m, n, kk, A, 3, ars, acs, B, 1, ldb, C, 2, ldc);
        gemmSeq(m, n, kk, A, 3, ars, acs, B, 1, ldb, D, 2, ldc);
        expect(sameBits(C, D), `${m}×${n}×${kk} transA=${transA}`).toBeNull();
      }
  });

  it('gemm (add f·S, triangular B) = gemmSeq', () => {
    for (const [m, n] of shapes) {
      const kk = n; // square triangular B, as the Cholesky factor
      const ar = Arena.create([m * kk, kk * n, m * n, m * n])!;
      const [A, B, C, D] = ar.arrays.map(fill);
      for (let j = 0; j < kk; j++) for (let c = 0; c < j; c++) B[j * n + c] = 0; // Bᵀ lower: B[j, c] = 0 for j > c
      D.set(C);
      ar.gemm(m, n, kk, A, 0, kk, 1, B, 0, n, C, 0, n, { f: 0.37, tri: true });
      gemmSeq(m, n, kk, A, 0, kk, 1, B, 0, n, D, 0, n, { f: 0.37, tri: true });
      expect(sameBits(C, D), `${m}×${n}`).toBeNull();
    }
  });

  it('gemmSeq is rowDots and lowerDotsAdd, bit for bit (so SIMD = the kernels linear2 ran before)', () => {
    for (const [na, nb, len] of shapes) {
      const A = fill(new Float64Array(na * len)), Bm = fill(new Float64Array(nb * len));
      const ref = new Float64Array(na * nb), got = new Float64Array(na * nb);
      rowDots(A, 0, na, Bm, 0, nb, len, ref, nb);
      const Bt = new Float64Array(len * nb);
      for (let b = 0; b < nb; b++) for (let q = 0; q < len; q++) Bt[q * nb + b] = Bm[b * len + q];
      gemmSeq(na, nb, len, A, 0, len, 1, Bt, 0, nb, got, 0, nb);
      expect(sameBits(got, ref), `rowDots ${na}×${nb}×${len}`).toBeNull();
    }
    for (let p = 1; p <= 13; p++)
      for (const nz of [1, 2, 3, 5]) {
        const L = rng.fillGauss(new Float64Array(p * p)); // finite: the zeros it skips are exact
        for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) L[i * p + j] = 0;
        const Z = rng.fillGauss(new Float64Array(nz * p)), ref = rng.fillGauss(new Float64Array(nz * p)), got = Float64Array.from(ref);
        lowerDotsAdd(Z, nz, L, p, 0.7, ref);
        const LT = new Float64Array(p * p);
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) LT[j * p + i] = L[i * p + j];
        gemmSeq(nz, p, p, Z, 0, p, 1, LT, 0, p, got, 0, p, { f: 0.7, tri: true });
        expect(sameBits(got, ref), `lowerDotsAdd p=${p} nz=${nz}`).toBeNull();
      }
  });

  it('rowCombine (SIMD) = rowCombine (scalar): pairs of rows, the odd row, groups of 4 sources and their remainders, odd lengths', () => {
    for (let nr = 1; nr <= 6; nr++)
      for (let ns = 0; ns <= 9; ns++)
        for (const len of [1, 2, 3, 7, 10]) {
          const ar = Arena.create([2 + nr * len, 1 + ns * len, nr * ns * 3, 3 + nr * len, 3 + nr * len])!;
          const [inp, src, C, o1, o2] = ar.arrays.map(fill);
          o2.set(o1);
          ar.rowCombine(o1, 3, inp, 2, nr, 0.93, C, 3 * ns, 3, src, 1, ns, len);
          rowCombine(o2, 3, inp, 2, nr, 0.93, C, 3 * ns, 3, src, 1, ns, len);
          expect(sameBits(o1, o2), `nr=${nr} ns=${ns} len=${len}`).toBeNull();
        }
  });

  it('rowCombine (SIMD) = scalar on the streamed pairs (1 ≤ ns ≤ 8) and around that bound: W1-update strides, wide odd rows, 1×1', () => {
    // W1 += M·W2ᵀ passes C = Mᵀ with cr = 1, cs = nr; ns = 8 / 9 is the switch to the gemm
    for (const [nr, ns, len] of [[1, 1, 1], [2, 1, 1], [2, 1, 2], [2, 3, 101], [4, 5, 100], [6, 7, 33], [50, 5, 100], [7, 8, 57], [8, 9, 57], [3, 10, 13], [10, 6, 1]]) {
      const ar = Arena.create([nr * len, ns * len, nr * ns, nr * len, nr * len])!;
      const [inp, src, C, o1, o2] = ar.arrays.map(fill);
      o2.set(o1);
      ar.rowCombine(o1, 0, inp, 0, nr, 0.999, C, 1, nr, src, 0, ns, len);
      rowCombine(o2, 0, inp, 0, nr, 0.999, C, 1, nr, src, 0, ns, len);
      expect(sameBits(o1, o2), `nr=${nr} ns=${ns} len=${len}`).toBeNull();
    }
  });

  it("log = Math.log bit for bit (fdlibm's e_log.c, every branch: (0, 1), near 1, subnormals, random bit patterns, ±0, negatives, ∞, NaN)", () => {
    const ar = Arena.create([1])!;
    const f = new Float64Array(1), u = new Uint32Array(f.buffer);
    const xs: number[] = [0, -0, -1, 1, 2, 0.5, Infinity, -Infinity, NaN, 5e-324, 1e-310, Number.MAX_VALUE, 1 - 2 ** -53, 1 + 2 ** -52];
    for (let i = 0; i < 20000; i++) {
      xs.push(rng.uniform(), 1 + (rng.uniform() - 0.5) * 1e-5, 1 + (rng.uniform() - 0.5) * 1e-9, rng.uniform() * 1e-308);
      u[0] = rng.nextU32();
      u[1] = rng.nextU32();
      xs.push(f[0]);
    }
    let bad = 0;
    for (const x of xs) if (!Object.is(ar.log(x), Math.log(x))) bad++;
    expect(bad).toBe(0);
  });

  it('gaussFill = Rng.gauss() calls: the same values and the same stream state after (odd counts, many seeds)', () => {
    const ar = Arena.create([3000])!;
    for (let seed = 0; seed < 40; seed++) {
      const a = Rng.stream(seed, 3, 'noise'), b = Rng.stream(seed, 3, 'noise');
      for (const n of [1, 2, 3, 7, 255, 257, 2999, 1, 0, 5]) {
        ar.gaussFill(a, ar.arrays[0], 1, n);
        const ref = Float64Array.from({ length: n }, () => b.gauss());
        expect(sameBits(ar.arrays[0].subarray(1, 1 + n), ref), `seed ${seed} n ${n}`).toBeNull();
        expect(a.getState()).toEqual(b.getState());
      }
    }
  });

  it("gaussFill = Rng.gauss() on the ziggurat's rare paths: streams whose first attempt falls in the tail, or in a wedge", () => {
    // the first attempt of Rng.gauss from a state: the layer i and u of its two outputs (rng.ts)
    const first = (s: number[]) => {
      const r = Rng.fromState(s);
      const a = r.nextU32(), b = r.nextU32();
      return { i: ((a & 31) << 3) | (b & 7), u: 2 * (((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992) - 1 };
    };
    const ar = Arena.create([4])!;
    const found = { tail: 0, wedge: 0 };
    for (let seed = 0; found.tail < 12 || found.wedge < 40; seed++) {
      const s = Rng.stream(seed, 11, 'noise').getState();
      const { i, u } = first(s);
      if (Math.abs(u) < ZIG_R[i]) continue;
      found[i === 0 ? 'tail' : 'wedge']++;
      const a = Rng.fromState(s), b = Rng.fromState(s);
      ar.gaussFill(a, ar.arrays[0], 0, 3);
      const ref = Float64Array.from({ length: 3 }, () => b.gauss());
      if (i === 0) expect(Math.abs(ref[0])).toBeGreaterThan(ZIG_X[1]);
      expect(sameBits(ar.arrays[0].subarray(0, 3), ref), `seed ${seed} layer ${i}`).toBeNull();
      expect(a.getState()).toEqual(b.getState());
    }
  });

  it('refuses arrays that are not in its memory', () => {
    const ar = Arena.create([4])!;
    expect(() => ar.gemm(1, 1, 1, new Float64Array(1), 0, 1, 1, ar.arrays[0], 0, 1, ar.arrays[0], 0, 1)).toThrow(/not in this arena/);
  });
});

describe('linear2 with the SIMD kernels on and off: the same bits', () => {
  afterEach(() => {
    setSimdEnabled(true);
    vi.unstubAllEnvs();
  });
  // full batch with Cholesky noise (p ≥ 16: the triangular gemm; p < 16: the dot loop), exact
  // noise (n ≤ p), plain GD, minibatches, weight decay; odd sizes, p = 1, k = 1, l = 1
  const cases: Record<string, ReturnType<typeof spec>> = {
    'cholesky noise, p = 17, odd l and k': spec(teacher(60, 17, 3), linear2(9, 0.3), ln(0.02, 1), 30, 10),
    'cholesky noise, p = 20, k = 5, wd': spec(teacher(80, 20, 5), linear2(25, 0.2), ln(0.02, 0.5, null, 0.01), 30, 10),
    'cholesky noise, p = 4 (dot loop)': spec(teacher(50, 4, 2), linear2(6), ln(0.05, 1), 30, 10),
    'exact noise (n ≤ p)': spec(teacher(12, 15, 2), linear2(7, 0.3), ln(0.02, 1), 30, 10),
    'gd, p = 1, k = 1, l = 1': spec(teacher(10, 1, 1), linear2(1), gd(0.05), 30, 10),
    'gd, 1×1 blocks everywhere (p = 1, l = 3, k = 1)': spec(teacher(10, 1, 1), linear2(3), gd(0.05), 30, 10),
    'minibatch label noise, p = 9, k = 3': spec(teacher(40, 9, 3), linear2(11, 0.5), ln(0.02, 1, 5), 30, 10),
    'sgd, p = 33, k = 2': spec(teacher(70, 33, 2), linear2(40, 0.2), sgd(0.01, 7), 30, 10),
    'minibatch label noise, p = 3 (the dot tail only), k = 1': spec(teacher(20, 3, 1), linear2(5), ln(0.02, 1, 3), 30, 10),
    'minibatch label noise, p = 8, k = 4, batch 1': spec(teacher(20, 8, 4), linear2(6, 0.5), ln(0.02, 0.5, 1), 30, 10),
  };
  for (const [name, s] of Object.entries(cases)) {
    it(`${name}: trajectory, parameters and stream state`, async () => {
      const on = await runTraining(s, { linear2: { simd: true } });
      const off = await runTraining(s, { linear2: { simd: false } });
      expect(on.status).toBe('done');
      expect(bitwiseDiff({ t: on.trajectory, c: on.checkpoint }, { t: off.trajectory, c: off.checkpoint })).toBeNull();
    });
  }

  it("step()'s divergence probe has the same bits on both paths (SIMD reads P strided, scalar Pᵀ)", () => {
    for (const s of [cases['cholesky noise, p = 17, odd l and k'], cases['cholesky noise, p = 20, k = 5, wd'], cases['gd, p = 1, k = 1, l = 1']]) {
      const a = buildRun(s, { simd: true }).stepper as Linear2, b = buildRun(s, { simd: false }).stepper as Linear2;
      expect(a.kernels).toBe('simd');
      for (let t = 0; t < 20; t++) {
        const pa = a.step(), pb = b.step();
        expect(Object.is(pa, pb), `step ${t}: ${pa} ≠ ${pb}`).toBe(true);
      }
    }
  });

  it('the path really differs: SIMD when asked (and by default at large sizes), scalar when off or switched off', () => {
    const s = cases['cholesky noise, p = 20, k = 5, wd'];
    expect((buildRun(s, { simd: true }).stepper as Linear2).kernels).toBe('simd');
    expect((buildRun(s, { simd: false }).stepper as Linear2).kernels).toBe('scalar');
    expect((buildRun(spec(teacher(200, 50, 5), linear2(100), ln(0.01, 1), 10), {}).stepper as Linear2).kernels).toBe('simd');
    setSimdEnabled(false);
    expect((buildRun(s, { simd: true }).stepper as Linear2).kernels).toBe('scalar');
  });

  it('resume is bit-identical across paths: N steps on SIMD, resumed to M on scalar (and back) = a fresh M-step run', async () => {
    const s = cases['cholesky noise, p = 20, k = 5, wd'];
    const fresh = await runTraining(s, { linear2: { simd: true } });
    for (const [a, b] of [[true, false], [false, true]]) {
      const half = await runTraining({ ...s, steps: 20 }, { linear2: { simd: a } });
      const resumed = await runTraining(s, { resume: half.checkpoint, linear2: { simd: b } });
      expect(resumed.startStep).toBe(20);
      expect(bitwiseDiff({ t: resumed.trajectory, c: resumed.checkpoint }, { t: fresh.trajectory, c: fresh.checkpoint })).toBeNull();
    }
  });

  it('SGDEXP_SIMD=0 turns the SIMD path off for the process (the fallback), with the same bits', async () => {
    vi.stubEnv('SGDEXP_SIMD', '0');
    vi.resetModules();
    const fresh = await import('../../../src/core/numeric/wasm/simd');
    expect(fresh.simdAvailable()).toBe(false);
    expect(fresh.Arena.create([4])).toBeNull();
    const freshBuild = await import('../../../src/core/numeric/build');
    const freshRun = await import('../../../src/core/numeric/run');
    const s = cases['cholesky noise, p = 17, odd l and k'];
    expect((freshBuild.buildRun(s, { simd: true }).stepper as Linear2).kernels).toBe('scalar');
    const fallback = await freshRun.runTraining(s, { linear2: { simd: true } });
    const on = await runTraining(s, { linear2: { simd: true } });
    expect(bitwiseDiff({ t: fallback.trajectory, c: fallback.checkpoint }, { t: on.trajectory, c: on.checkpoint })).toBeNull();
  });
});
