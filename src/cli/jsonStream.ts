// JSON written piece by piece, byte for byte what JSON.stringify writes, without ever holding the
// whole text: a document of 10⁶ small runs is longer than V8's largest string (~512 MB), and
// `JSON.stringify(doc)` then throws "Invalid string length" and nothing is written.
//
// Containers are walked down to MAX_DEPTH (array of documents → document → runs → run → metrics →
// metric series); below that, and for arrays of primitives, JSON.stringify writes the piece.
// The walk keeps JSON.stringify's rules: keys in Object.keys order; a property whose value is
// undefined, a function or a symbol is left out, an array element of those is `null`; an object
// with toJSON is written by JSON.stringify itself.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

const MAX_DEPTH = 6;
/** pieces are joined into chunks of about this many UTF-16 units before they are handed out */
export const CHUNK_CHARS = 1 << 16;

const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** worth walking into: a plain object, or an array holding containers */
function walkable(v: unknown): boolean {
  if (isPlainObject(v)) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (x !== null && typeof x === 'object') return true;
  return false;
}

function* pieces(v: unknown, depth: number): Generator<string> {
  if (depth >= MAX_DEPTH || !walkable(v)) {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  if (Array.isArray(v)) {
    yield '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) yield ',';
      const x = v[i];
      if (skipped(x)) yield 'null';
      else yield* pieces(x, depth + 1);
    }
    yield ']';
    return;
  }
  const o = v as Record<string, unknown>;
  yield '{';
  let first = true;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (skipped(x)) continue;
    yield (first ? '' : ',') + JSON.stringify(k) + ':';
    first = false;
    yield* pieces(x, depth + 1);
  }
  yield '}';
}

/** The JSON text of `value` (as JSON.stringify(value)), in chunks of about `chunkChars`. */
export function* jsonChunks(value: unknown, chunkChars = CHUNK_CHARS): Generator<string> {
  let buf: string[] = [];
  let n = 0;
  for (const p of pieces(value, 0)) {
    if (p.length >= chunkChars) {
      if (n > 0) yield buf.join('');
      buf = [];
      n = 0;
      yield p;
      continue;
    }
    buf.push(p);
    n += p.length;
    if (n >= chunkChars) {
      yield buf.join('');
      buf = [];
      n = 0;
    }
  }
  if (n > 0) yield buf.join('');
}

/** SHA-256 of JSON.stringify(value) + '\n', computed chunk by chunk. */
export function jsonDigest(value: unknown): string {
  const h = createHash('sha256');
  for (const c of jsonChunks(value)) h.update(c);
  return h.update('\n').digest('hex');
}

/**
 * JSON.stringify(value) + '\n' as one string when it fits in one, else null (then the chunked
 * functions above): the documents of most files are far below V8's largest string, and one
 * JSON.stringify, hashed and written as it is, costs a fraction of the chunked walk, done once
 * for the digest and once more for the file.
 */
export function jsonTextIfFits(value: unknown): string | null {
  try {
    return JSON.stringify(value) + '\n';
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** SHA-256 of a text, as jsonDigest gives for the value whose jsonTextIfFits it is. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes JSON.stringify(value) + '\n' to a stream chunk by chunk, waiting whenever it is full. */
export async function writeJson(out: Writable, value: unknown): Promise<void> {
  for (const c of jsonChunks(value)) {
    if (!out.write(c)) await drained(out);
  }
  if (!out.write('\n')) await drained(out);
}

/** Writes JSON.stringify(value) + '\n' to a file, streamed. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  await Promise.race([writeJson(out, value), failed]);
  out.end();
  await Promise.race([new Promise<void>((r) => out.once('finish', () => r())), failed]);
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', fail);
      out.off('close', done);
      resolve();
    };
    const fail = (e: Error) => {
      out.off('drain', done);
      out.off('close', done);
      reject(e);
    };
    out.once('drain', done);
    out.once('error', fail);
    out.once('close', done);
  });
}
