// Seeded, splittable random streams: the only source of randomness in the stepping core.
//
// Generator: xoshiro128** (Blackman & Vigna, 2018), 32-bit state words, period 2^128 − 1,
// implemented with Math.imul and >>> 0 so every operation is exact integer arithmetic:
// the same seed gives the same bits on any machine and any JS engine.
// Seeding: a stream is keyed by (rootSeed, ownSeed, purpose[, extra]) — never by a name or a
// position in the file — so two runs that share a model share its initialisation exactly and
// runs that differ only in the optimiser see common data. The key's float64 bit patterns are
// folded into a 32-bit hash with murmur3's finaliser, and the four state words are drawn from
// splitmix32 started at that hash (the seeding procedure recommended for xoshiro).
// Uniforms: 53-bit doubles in [0, 1) from two outputs: ((a >>> 5)·2^26 + (b >>> 6)) / 2^53.
// Gaussians: Marsaglia's polar method (u, v uniform on (−1, 1)², s = u²+v² ∈ (0, 1),
// z = u·√(−2 ln s / s)), both values of a pair used (the second cached). Only +, ×, √ and
// Math.log are involved; V8 implements Math.log with its fdlibm port (base/ieee754), which
// is platform-independent, so Gaussian draws are reproducible bit for bit under Node/VS Code.

export type Purpose = 'data' | 'init' | 'noise';
const PURPOSE_ID: Record<Purpose, number> = { data: 0x64617461, init: 0x696e6974, noise: 0x6e6f6973 };

/** Plain, structured-clonable snapshot of a stream: [s0, s1, s2, s3, hasSpare (0|1), spare]. */
export type RngState = number[];

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** 32-bit hash of a sequence of numbers (by their exact float64 bits; −0 folded to 0). */
export function hashNumbers(xs: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    f64[0] = x === 0 ? 0 : x;
    h = fmix32((h ^ u32[0]) + 0x7f4a7c15);
    h = fmix32((h ^ u32[1]) + 0x2545f491);
  }
  return h;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private hasSpare = false;
  private spare = 0;

  /** A stream keyed by (rootSeed, ownSeed, purpose, ...extra). */
  static stream(rootSeed: number, ownSeed: number, purpose: Purpose, ...extra: number[]): Rng {
    return Rng.fromHash(hashNumbers([rootSeed, ownSeed, PURPOSE_ID[purpose], ...extra]));
  }

  static fromHash(h: number): Rng {
    const r = new Rng();
    // splitmix32
    let x = h >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    r.s0 = next();
    r.s1 = next();
    r.s2 = next();
    r.s3 = next();
    if ((r.s0 | r.s1 | r.s2 | r.s3) === 0) r.s0 = 1; // the all-zero state is the one fixed point
    return r;
  }

  static fromState(s: RngState): Rng {
    const r = new Rng();
    r.setState(s);
    return r;
  }

  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3, this.hasSpare ? 1 : 0, this.spare];
  }

  setState(s: RngState): void {
    this.s0 = s[0] >>> 0;
    this.s1 = s[1] >>> 0;
    this.s2 = s[2] >>> 0;
    this.s3 = s[3] >>> 0;
    this.hasSpare = s[4] === 1;
    this.spare = s[5];
  }

  /** xoshiro128**: next 32-bit output. */
  nextU32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    this.s0 = n0 >>> 0;
    this.s1 = n1 >>> 0;
    this.s2 = n2 >>> 0;
    this.s3 = n3 >>> 0;
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, n) (bias ≤ n / 2^53, negligible for every n used here). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal N(0, 1) by Marsaglia's polar method. */
  gauss(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Fill `out` with iid N(0, scale²) draws. */
  fillGauss(out: Float64Array, scale = 1, offset = 0, count = out.length - offset): Float64Array {
    for (let i = 0; i < count; i++) out[offset + i] = scale * this.gauss();
    return out;
  }
}
