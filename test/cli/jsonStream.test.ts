// The streamed JSON writer: byte for byte JSON.stringify, in bounded chunks, to files and streams.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createHash } from 'node:crypto';
import { CHUNK_CHARS, jsonChunks, jsonDigest, jsonTextIfFits, textDigest, writeJson, writeJsonFile } from '../../src/cli/jsonStream';
import { ROOT, tempDir } from './helpers';

const FIXTURES = join(ROOT, 'test/webview/fixtures');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(FIXTURES, f), 'utf8'))] as const);

/** what JSON.stringify must agree with: its corner cases, at every depth the writer walks */
const odd = () => {
  const bare = Object.create(null) as Record<string, unknown>;
  bare.z = 1;
  bare.a = [undefined, () => 1, Symbol('s'), NaN];
  return {
    format: 'sgdexp-results', skipped: undefined, fn: () => 0, sym: Symbol('x'),
    runs: {
      'r[lr=0.1]': { status: 'done', message: null, step: [0, 1, 2], metrics: { loss: [1, -0, NaN], sv: [[Infinity, -Infinity], [5e-324, 1e21]], gap: [undefined, null] }, u: undefined },
      'ü "quoted" \\ \n\t\u2028 \ud800': { when: new Date(0), big: new Float64Array([1, 2]), m: new Map([[1, 2]]), j: { toJSON: () => ({ swapped: true }) }, bare, e: {}, l: [] },
      [String(2)]: { order: 'integer keys first' },
    },
    plots: [{ runs: ['a', 'b'], options: { x: 'step' } }, [[[[[[[[1]]]]]]]]],
    nested: [[{ a: [{ b: [{ c: [{ d: 1 }] }] }] }]],
    n: 3, b: false, s: '',
  };
};

describe('streamed JSON', () => {
  it('writes exactly what JSON.stringify writes: the results fixtures, an array of them, and its corner cases', () => {
    expect(fixtures.length).toBeGreaterThan(3);
    const values: unknown[] = [...fixtures.map(([, d]) => d), fixtures.map(([, d]) => d), odd(), [odd(), undefined], 'text', 1.5, null, []];
    for (const v of values) {
      const want = JSON.stringify(v);
      expect([...jsonChunks(v)].join('')).toBe(want);
      expect([...jsonChunks(v, 7)].join('')).toBe(want); // chunk boundaries anywhere
      expect(jsonDigest(v)).toBe(createHash('sha256').update(want + '\n').digest('hex'));
      // the one-string path the CLI takes when the text fits: the same text, the same digest
      expect(jsonTextIfFits(v)).toBe(want + '\n');
      expect(textDigest(jsonTextIfFits(v)!)).toBe(jsonDigest(v));
    }
  });

  it('to a file and to a stream: the same bytes, with the final newline', async () => {
    const dir = tempDir('json');
    for (const [name, doc] of fixtures) {
      const f = join(dir, name);
      await writeJsonFile(f, doc);
      expect(readFileSync(f, 'utf8')).toBe(JSON.stringify(doc) + '\n');
    }
    const out = new PassThrough({ highWaterMark: 1024 }); // a small buffer: the writer waits for drain
    const got: Buffer[] = [];
    out.on('data', (b: Buffer) => got.push(b));
    const all = fixtures.map(([, d]) => d);
    await writeJson(out, all);
    expect(Buffer.concat(got).toString('utf8')).toBe(JSON.stringify(all) + '\n');
  });

  it('never holds the whole text: a document of many small runs comes in chunks of bounded size', () => {
    const runs: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) runs[`r[seed=${i}]`] = { status: 'done', message: null, step: [0, 10, 100], time: [0, 1, 10], metrics: { loss: [1, 0.5, 0.25] }, theory: {} };
    const doc = { format: 'sgdexp-results', version: 1, file: 'sweep.sgdexp', seed: 0, runs, plots: [] };
    let total = 0;
    let chunks = 0;
    let longest = 0;
    const h = createHash('sha256');
    for (const c of jsonChunks(doc)) {
      total += c.length;
      chunks++;
      longest = Math.max(longest, c.length);
      h.update(c);
    }
    expect(total).toBeGreaterThan(100 * CHUNK_CHARS);
    // a chunk is CHUNK_CHARS plus at most one run's text
    expect(longest).toBeLessThan(CHUNK_CHARS + 1000);
    expect(chunks).toBeGreaterThan(total / (CHUNK_CHARS + 1000));
    expect(h.digest('hex')).toBe(createHash('sha256').update(JSON.stringify(doc)).digest('hex'));
  });
});
