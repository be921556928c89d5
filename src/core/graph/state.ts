// The hash of a run's final state as an offshoot continuing from it reads it: the part of an
// offshoot's cache key that stands for its parent (lower.ts offshootKeys).
//
// An offshoot starts from its parent's checkpoint, of which the stepping core reads only the
// parameter arrays (numeric/run.ts: every array but the minibatch permutation `perm`; the noise
// stream and the permutation are the offshoot's own, the trajectory and spec key are not read
// beyond a consistency check). So the hash covers exactly those arrays, bit for bit: a parent
// whose record count, or whose never-drawn noise seed, changed ends in the same state and leaves
// its offshoots' keys unchanged. A checkpoint the core's format does not describe (an in-thread
// test runner's) is hashed as bytes: equal bytes, equal state.
import { createHash } from 'node:crypto';
import { deserializeCheckpoint, type Checkpoint } from '../numeric/run';
import { sha256 } from './hash';

const STATE_FORMAT = 1;

/** Hash of the arrays of a checkpoint an offshoot reads. */
export function checkpointStateHash(c: Checkpoint): string {
  const h = createHash('sha256');
  h.update(`offshoot-state:${STATE_FORMAT}`);
  for (const k of Object.keys(c.arrays).sort()) {
    if (k === 'perm') continue;
    const a = Float64Array.from(c.arrays[k]);
    h.update(`|${k}:${a.length}:`);
    h.update(new Uint8Array(a.buffer));
  }
  return h.digest('hex').slice(0, 32);
}

/** The same hash from a serialised checkpoint (a value read from the disk cache, or from a runner
 *  that did not report it). */
export function stateHashOfBytes(b: Uint8Array): string {
  const c = deserializeCheckpoint(b);
  return c ? checkpointStateHash(c) : `bytes:${sha256(b).slice(0, 32)}`;
}
