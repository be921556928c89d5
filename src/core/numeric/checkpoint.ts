// Binary checkpoint format for the disk cache (little-endian):
//   "SGDC" | u32 format version (1) | u32 header length H | u32 hash of everything after byte 16
//   | H bytes of UTF-8 JSON header | padding to 8 | float64 blocks
// The JSON header holds the structure; every numeric array (parameters, the trajectory's steps,
// times and metric series, the RNG state) lives in a float64 block referenced as {"$b": i}, so
// NaN/±Infinity and exact bits survive. Anything malformed — wrong magic or version, bad hash,
// truncated blocks, unexpected shapes — deserialises to null; it never throws.

import type { Checkpoint } from './run';
import type { Trajectory } from './trajectory';
import { VELOCITY_PREFIX } from './momentum';

const MAGIC = [0x53, 0x47, 0x44, 0x43]; // "SGDC"

/**
 * What an offshoot reads of its parent's checkpoint, sorted by name: every parameter array but
 * the minibatch permutation `perm` and a heavy-ball velocity (the permutation, the velocity and the noise stream are the offshoot's own;
 * the trajectory and the spec key are not read beyond a consistency check). run.ts starts an
 * offshoot from exactly these; graph/state.ts hashes exactly these into the offshoot's key.
 */
export function offshootReads(c: Pick<Checkpoint, 'arrays'>): [string, Float64Array][] {
  return Object.keys(c.arrays)
    .filter((k) => k !== 'perm' && !k.startsWith(VELOCITY_PREFIX))
    .sort()
    .map((k) => [k, c.arrays[k]]);
}

// Integrity checksum of a checkpoint's body (not a key: FNV-1a with murmur3's finaliser,
// 32 bits, enough to reject a truncated or bit-rotten file).
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5 >>> 0;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return mix(h ^ b.length);
}

interface Ref {
  $b: number;
}

export function serializeCheckpoint(c: Checkpoint): Uint8Array {
  const blocks: Float64Array[] = [];
  const ref = (a: ArrayLike<number>): Ref => {
    blocks.push(Float64Array.from(a));
    return { $b: blocks.length - 1 };
  };
  const metrics: Record<string, { kind: 's'; data: Ref } | { kind: 'v'; lengths: Ref; data: Ref }> = {};
  for (const [k, v] of Object.entries(c.trajectory.metrics)) {
    const arr = v as (number | number[])[];
    if (arr.some((x) => Array.isArray(x))) {
      const lens = arr.map((x) => (Array.isArray(x) ? x.length : 0));
      metrics[k] = { kind: 'v', lengths: ref(lens), data: ref(arr.flatMap((x) => (Array.isArray(x) ? x : []))) };
    } else metrics[k] = { kind: 's', data: ref(arr as number[]) };
  }
  const arrays: Record<string, Ref> = {};
  for (const [k, v] of Object.entries(c.arrays)) arrays[k] = ref(v);
  const header = {
    version: c.version,
    specKey: c.specKey,
    step: c.step,
    record: c.record,
    rng: ref(c.rng),
    arrays,
    trajectory: { step: ref(c.trajectory.step), time: ref(c.trajectory.time), metrics },
    blocks: blocks.map((b) => b.length),
  };
  const hb = new TextEncoder().encode(JSON.stringify(header));
  const headEnd = 16 + hb.length;
  const dataStart = Math.ceil(headEnd / 8) * 8;
  const total = dataStart + 8 * blocks.reduce((s, b) => s + b.length, 0);
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  buf.set(MAGIC, 0);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, hb.length, true);
  buf.set(hb, 16);
  let off = dataStart;
  for (const b of blocks) for (let i = 0; i < b.length; i++, off += 8) dv.setFloat64(off, b[i], true);
  dv.setUint32(12, hashBytes(buf.subarray(16)), true);
  return buf;
}

export function deserializeCheckpoint(b: Uint8Array): Checkpoint | null {
  try {
    if (!(b instanceof Uint8Array) || b.length < 16) return null;
    for (let i = 0; i < 4; i++) if (b[i] !== MAGIC[i]) return null;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (dv.getUint32(4, true) !== 1) return null;
    const hl = dv.getUint32(8, true);
    if (16 + hl > b.length) return null;
    if (dv.getUint32(12, true) !== hashBytes(b.subarray(16))) return null;
    const h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(16, 16 + hl)));
    if (!h || h.version !== 1 || typeof h.specKey !== 'string' || !Number.isInteger(h.step) || typeof h.record !== 'number') return null;
    if (!Array.isArray(h.blocks) || !h.blocks.every((n: unknown) => Number.isInteger(n) && (n as number) >= 0)) return null;
    const dataStart = Math.ceil((16 + hl) / 8) * 8;
    const total = h.blocks.reduce((s: number, n: number) => s + n, 0);
    if (dataStart + 8 * total !== b.length) return null;
    const blocks: Float64Array[] = [];
    let off = dataStart;
    for (const n of h.blocks as number[]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++, off += 8) a[i] = dv.getFloat64(off, true);
      blocks.push(a);
    }
    const get = (r: unknown): Float64Array => {
      const i = (r as Ref | null)?.$b;
      if (!Number.isInteger(i) || i! < 0 || i! >= blocks.length) throw new Error('bad ref');
      return blocks[i!];
    };
    const arrays: Record<string, Float64Array> = {};
    for (const [k, r] of Object.entries(h.arrays ?? {})) arrays[k] = get(r);
    const step = Array.from(get(h.trajectory?.step));
    const time = Array.from(get(h.trajectory?.time));
    if (time.length !== step.length) return null;
    const metrics: Trajectory['metrics'] = {};
    for (const [k, m] of Object.entries(h.trajectory.metrics ?? {}) as [string, { kind: string; data: Ref; lengths?: Ref }][]) {
      const data = get(m.data);
      if (m.kind === 's') {
        if (data.length !== step.length) return null;
        metrics[k] = Array.from(data);
      } else if (m.kind === 'v') {
        const lens = get(m.lengths);
        if (lens.length !== step.length) return null;
        const rows: number[][] = [];
        let o = 0;
        for (const n of lens) {
          if (!Number.isInteger(n) || n < 0 || o + n > data.length) return null;
          rows.push(Array.from(data.subarray(o, o + n)));
          o += n;
        }
        if (o !== data.length) return null;
        metrics[k] = rows;
      } else return null;
    }
    const rng = Array.from(get(h.rng));
    if (rng.length !== 6) return null;
    return { version: 1, specKey: h.specKey, step: h.step, record: h.record, arrays, rng, trajectory: { step, time, metrics } };
  } catch {
    return null;
  }
}
