// The hash of a run's final state as an offshoot continuing from it reads it: the part of an
// offshoot's cache key that stands for its parent (lower.ts offshootKeys).
//
// An offshoot starts from its parent's checkpoint, of which the stepping core reads only what
// numeric/checkpoint.ts `offshootReads` lists (every parameter array but the minibatch
// permutation). So the hash covers exactly those arrays, bit for bit: a parent
// whose record count, or whose never-drawn noise seed, changed ends in the same state and leaves
// its offshoots' keys unchanged. A checkpoint the core's format does not describe (an in-thread
// test runner's) is hashed as bytes: equal bytes, equal state.
import { deserializeCheckpoint, offshootReads, type Checkpoint } from '../numeric/run';
import { Hasher, hashBytes } from '../keys';

const STATE_FORMAT = 1;

/** Hash of the arrays of a checkpoint an offshoot reads (numeric/checkpoint.ts offshootReads). */
export function checkpointStateHash(c: Checkpoint): string {
  const h = new Hasher().update(`offshoot-state:${STATE_FORMAT}`);
  for (const [k, a] of offshootReads(c)) h.update(`|${k}:${a.length}:`).numbers(a);
  return h.digest();
}

/** The same hash from a serialised checkpoint (a value read from the disk cache, or from a runner
 *  that did not report it). */
export function stateHashOfBytes(b: Uint8Array): string {
  const c = deserializeCheckpoint(b);
  return c ? checkpointStateHash(c) : `bytes:${hashBytes(b)}`;
}
