// Loading the WebAssembly SIMD kernels (kernels.wat) and giving a model the memory they work in.
//
// The module is compiled once per thread, synchronously (new WebAssembly.Module: the core runs
// in Node's main thread, worker threads and the CLI, never on a browser main thread). Each model
// that uses it gets its own Instance over its own Memory, sized once at construction for all of
// its buffers (an Arena): the memory never grows afterwards, so the Float64Array views the model
// keeps on it are never detached (memory.grow would detach every view of every model sharing it).
//
// The kernels give the same bits as the scalar ones in ../kernels.ts (kernels.wat header), so
// the path only changes speed. It is off when:
//   - the engine has no WebAssembly SIMD (WebAssembly.validate of the bytes fails),
//   - SGDEXP_SIMD=0 is set in the environment, or setSimdEnabled(false) was called,
//   - a model is built with `simd: false` (Linear2Options).
import { KERNELS_WASM_BASE64 } from './kernels.wasm';
import type { Rng } from '../rng';
import type { GkKernels } from '../svdValues';

interface Exports {
  gemm(m: number, n: number, kk: number, A: number, ars: number, acs: number, B: number, ldb: number, C: number, ldc: number, f: number, mode: number, tri: number, IN: number): void;
  rowCombine(out: number, inp: number, nr: number, d: number, C: number, cr: number, cs: number, src: number, ns: number, len: number): void;
  peak(n: number): number;
  lqApply(W: number, m: number, len: number, j: number, vtv: number): void;
  gkLeft(at: number, m: number, n: number, k: number): void;
  gkRight(at: number, e: number, work: number, m: number, n: number, k: number): void;
  gkValues(at: number, s: number, e: number, work: number, m: number, n: number): void;
  log(x: number): number;
  gaussFill(st: number, out: number, n: number): void;
  mbAccumulate(X: number, Y: number, perm: number, b: number, p: number, k: number, Pt: number, Mt: number, G: number, sd: number, res: number): number;
}

let compiled: WebAssembly.Module | null | undefined;
let enabled = readEnv();

function readEnv(): boolean {
  const env = typeof process !== 'undefined' ? process.env?.SGDEXP_SIMD : undefined;
  return env !== '0' && env !== 'false' && env !== 'off';
}

/** the module's bytes (the generated base64 of kernels.wat) */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  const s = atob(KERNELS_WASM_BASE64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** the compiled module, or null when this engine has no WebAssembly SIMD */
function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = kernelBytes();
      if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** whether models built now use the SIMD kernels (engine support and the switches above) */
export function simdAvailable(): boolean {
  return enabled && module() !== null;
}

/** process-wide switch (tests, benches); returns the previous value. SGDEXP_SIMD=0 sets it off. */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** bytes before the arrays: a stream's state for gaussFill (0..15), then the ziggurat table
 *  (kernels.wat's data segment, 64..6216: scripts/gen-ziggurat.mjs TABLE_END) */
export const ARENA_BASE = 6224;
const STATE_BYTES = ARENA_BASE;

/** the largest arena a model may ask for (beyond it the model stays scalar) */
const MAX_BYTES = 1 << 30;

/**
 * One model's memory and kernel instance. `arrays` are Float64Array views on the memory, in the
 * order of the requested lengths, each 16-byte aligned; kernels take views of this arena plus
 * element offsets. Returns null from create() when SIMD is off or the sizes are too large.
 */
export class Arena {
  readonly arrays: Float64Array[];
  private readonly x: Exports;
  private readonly buffer: ArrayBuffer;
  /** a stream's state while gaussFill draws (kernels.wat: s0..s3) */
  private readonly st32: Uint32Array;

  private constructor(lengths: number[], mod: WebAssembly.Module) {
    let bytes = STATE_BYTES;
    const offsets = lengths.map((n) => {
      const o = bytes;
      bytes += Math.ceil((n * 8) / 16) * 16;
      return o;
    });
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    this.x = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as Exports;
    this.buffer = memory.buffer;
    this.arrays = lengths.map((n, i) => new Float64Array(memory.buffer, offsets[i], n));
    this.st32 = new Uint32Array(memory.buffer, 0, 4);
  }

  static create(lengths: number[]): Arena | null {
    const mod = enabled ? module() : null;
    if (!mod) return null;
    const bytes = lengths.reduce((s, n) => s + Math.ceil((n * 8) / 16) * 16, STATE_BYTES);
    if (!(bytes <= MAX_BYTES)) return null;
    try {
      return new Arena(lengths, mod);
    } catch {
      // e.g. the engine's address space for wasm memories is used up: the scalar path, same bits
      return null;
    }
  }

  private ptr(v: Float64Array, off: number): number {
    if (v.buffer !== this.buffer) throw new Error('simd: array is not in this arena');
    return v.byteOffset + off * 8;
  }

  /**
   * C[i·ldc + c] (=, or += f·) Σ_{j<kk} A[i·ars + j·acs]·B[j·ldb + c], i < m, c < n, each sum
   * in order j = 0, 1, … from +0 (as gemmSeq in ../kernels.ts). add: C += f·S (lowerDotsAdd's
   * C + f·S). tri: B[j·ldb + c] = 0 for j > c, and those terms are skipped (same bits).
   */
  gemm(m: number, n: number, kk: number, A: Float64Array, aOff: number, ars: number, acs: number, B: Float64Array, bOff: number, ldb: number, C: Float64Array, cOff: number, ldc: number, add: { f: number; tri: boolean } | null = null): void {
    this.x.gemm(m, n, kk, this.ptr(A, aOff), ars, acs, this.ptr(B, bOff), ldb, this.ptr(C, cOff), ldc, add ? add.f : 0, add ? 1 : 0, add?.tri ? 1 : 0, 0);
  }

  /** ../kernels.ts rowCombine, same arguments and bits (all arrays in this arena) */
  rowCombine(out: Float64Array, outOff: number, inp: Float64Array, inOff: number, nr: number, d: number, C: Float64Array, cr: number, cs: number, src: Float64Array, srcOff: number, ns: number, len: number): void {
    this.x.rowCombine(this.ptr(out, outOff), this.ptr(inp, inOff), nr, d, this.ptr(C, 0), cr, cs, this.ptr(src, srcOff), ns, len);
  }

  /**
   * out[off + t] = rng.gauss() for t < n, in order, and rng advanced as those calls would:
   * the same bits (kernels.wat gaussFill: the same xoshiro128** and ziggurat, fdlibm's log).
   */
  gaussFill(rng: Rng, out: Float64Array, off: number, n: number): void {
    const s = rng.getState();
    const st32 = this.st32;
    st32[0] = s[0];
    st32[1] = s[1];
    st32[2] = s[2];
    st32[3] = s[3];
    this.x.gaussFill(0, this.ptr(out, off), n);
    s[0] = st32[0];
    s[1] = st32[1];
    s[2] = st32[2];
    s[3] = st32[3];
    rng.setState(s);
  }

  /**
   * linear2's minibatch sum (kernels.wat mbAccumulate): for the first b indices of perm, the
   * residuals against Pᵀ, their squares' sum (returned), label noise sd·G (G null: none) and
   * Mᵀ += e·x. The bits of the scalar loop in linear2.ts.
   */
  mbAccumulate(X: Float64Array, Y: Float64Array, perm: Float64Array, b: number, p: number, k: number, Pt: Float64Array, Mt: Float64Array, G: Float64Array | null, sd: number, res: Float64Array): number {
    return this.x.mbAccumulate(this.ptr(X, 0), this.ptr(Y, 0), this.ptr(perm, 0), b, p, k, this.ptr(Pt, 0), this.ptr(Mt, 0), G ? this.ptr(G, 0) : 0, sd, this.ptr(res, 0));
  }

  /** fdlibm's log in WebAssembly (tests: it must equal Math.log bit for bit) */
  /** one reflection of ../linalg.ts lqFactor on a column-major W (m rows, len columns) of this
   *  arena: reflector j applied to rows j+1… (kernels.wat lqApply: the scalar loop's bits) */
  lqApply(W: Float64Array, m: number, len: number, j: number, vtv: number): void {
    this.x.lqApply(this.ptr(W, 0), m, len, j, vtv);
  }

  /** ../svdValues.ts golubKahanValuesT's kernels on at (n×m), e (n), work (m) of this arena */
  gkKernels(at: Float64Array, e: Float64Array, work: Float64Array, m: number, n: number): GkKernels {
    const x = this.x, pa = this.ptr(at, 0), pe = this.ptr(e, 0), pw = this.ptr(work, 0);
    return { e, work, left: (k) => x.gkLeft(pa, m, n, k), right: (k) => x.gkRight(pa, pe, pw, m, n, k) };
  }

  /**
   * ../svdValues.ts golubKahanValuesT(at, m, n) whole in WebAssembly (kernels.wat gkValues: its
   * hypotenuse loops and QR sweeps too, the same operations in the same order: the same bits),
   * on at (n×m, overwritten), s (min(m + 1, n): the values, returned), e (n), work (m) of this arena.
   */
  gkValues(at: Float64Array, s: Float64Array, e: Float64Array, work: Float64Array, m: number, n: number): Float64Array {
    this.x.gkValues(this.ptr(at, 0), this.ptr(s, 0), this.ptr(e, 0), this.ptr(work, 0), m, n);
    return s;
  }

  log(x: number): number {
    return this.x.log(x);
  }

  /** the register-only f64x2 rate (bench) */
  peak(rounds: number): number {
    return this.x.peak(rounds);
  }
}
