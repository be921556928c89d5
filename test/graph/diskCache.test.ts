import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_SUBDIR, DiskCache } from '../../src/core/graph/diskCache';
import { makeRunValue, type RunValue } from '../../src/core/graph/runValue';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'sgdexp-disk-'));
  dirs.push(d);
  return d;
};

const value = (key: string, steps = 3): RunValue =>
  makeRunValue({
    key, prefixKey: 'ab'.repeat(16), steps, record: 1000, status: 'diverged', message: 'diverged at step 3 (loss = Infinity)',
    divergedAt: 3, lastFiniteStep: 2, notes: [],
    trajectory: { step: [0, 1, 2], time: [0, 0.1, 0.2], metrics: { loss: [1, -0, Infinity], logdet: [NaN, -Infinity, 5e-324], sv_W1: [[3, 2], [3.5, 1], [4, 0]] } },
    theory: { rate: -0.5 }, stepsDone: 2, checkpoint: new Uint8Array([1, 2, 3, 250]),
  });

describe('disk cache', () => {
  it('round-trips a value bit for bit (NaN, ±Infinity, -0, subnormals) with its checkpoint', () => {
    const c = new DiskCache(fresh());
    const v = value('0123abcd');
    c.set(v);
    const back = c.get('0123abcd')!;
    expect(back.valueHash).toBe(v.valueHash);
    expect(Object.is(back.trajectory.metrics.loss[1], -0)).toBe(true);
    expect(back.trajectory.metrics.logdet).toEqual([NaN, -Infinity, 5e-324]);
    expect([...back.checkpoint!]).toEqual([1, 2, 3, 250]);
    expect(c.prefixEntries('ab'.repeat(16))).toEqual([{ key: '0123abcd', steps: 3 }]);
  });

  it('ignores and deletes foreign, truncated, bit-flipped or misplaced files; never throws', () => {
    const dir = fresh();
    const c = new DiskCache(dir);
    c.set(value('aaaa'));
    c.set(value('bbbb'));
    const f = (k: string) => join(c.dir, `${k}.run`);
    // a valid file under another key's name: the key inside does not match
    renameSync(f('bbbb'), f('cccc'));
    expect(c.get('cccc')).toBeNull();
    const good = readFileSync(f('aaaa'));
    for (const bad of [Buffer.from('hello'), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])])]) {
      writeFileSync(f('aaaa'), bad);
      expect(c.get('aaaa')).toBeNull();
    }
    const flipped = Buffer.from(good);
    flipped[60] ^= 1;
    writeFileSync(f('aaaa'), flipped);
    expect(c.get('aaaa')).toBeNull();
    expect(c.stats.corrupt).toBe(5);
    expect(readdirSync(c.dir).filter((x) => x.endsWith('.run'))).toEqual([]);
    expect(c.get('not/a/key')).toBeNull();
    // an unusable folder (a file in its place) disables the cache instead of failing
    const file = join(fresh(), 'plain');
    writeFileSync(file, 'x');
    const broken = new DiskCache(join(file, 'sub'));
    broken.set(value('dddd'));
    expect(broken.get('dddd')).toBeNull();
  });

  it('prunes the least recently written files beyond its budget', () => {
    const dir = fresh();
    const one = (() => {
      const c = new DiskCache(dir);
      c.set(value('eeee'));
      return readFileSync(join(c.dir, 'eeee.run')).length;
    })();
    const c = new DiskCache(dir, 3.5 * one);
    for (const k of ['f001', 'f002', 'f003', 'f004', 'f005']) c.set(value(k));
    c.prune();
    const left = readdirSync(c.dir).filter((x) => x.endsWith('.run')).sort();
    expect(left.length).toBeLessThanOrEqual(3);
  });

  it('removes temporary files left by a crashed writer (older than a minute), at start and when pruning', () => {
    const dir = join(fresh(), CACHE_SUBDIR);
    mkdirSync(dir);
    const old = (name: string) => {
      writeFileSync(join(dir, name), 'half a file');
      const t = (Date.now() - 5 * 60_000) / 1000;
      utimesSync(join(dir, name), t, t);
    };
    old('aaaa.run.123.x1.tmp');
    old('doc-0123.json.456.tmp');
    writeFileSync(join(dir, 'bbbb.run.789.x2.tmp'), 'being written by another process right now');
    const c = new DiskCache(join(dir, '..'));
    expect(c.dir).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(['bbbb.run.789.x2.tmp']);
    old('prefix-ab.json.1.tmp');
    c.set(value('cccc'));
    c.prune();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual(['bbbb.run.789.x2.tmp']);
    expect(c.get('cccc')).not.toBeNull();
  });

  it("keeps its files in a sub-folder and never deletes a file it did not write, however small its budget", () => {
    const dir = fresh();
    const old = (path: string, text: string) => {
      writeFileSync(path, text);
      const t = (Date.now() - 3600_000) / 1000;
      utimesSync(path, t, t);
    };
    // the user's own files, older than any entry: first in line if pruning looked at them
    const mine = ['big-dataset.json', 'notes.run', 'draft.json.1.tmp', 'ab12.run'];
    for (const n of mine) old(join(dir, n), 'the user\'s own data');
    const c = new DiskCache(dir, 1);
    // inside the sub-folder too: only the names it writes are its own
    const inside = ['big-dataset.json', 'results.json', 'x.run.1.tmp'];
    for (const n of inside) old(join(c.dir, n), 'not the cache\'s');
    for (const k of ['f001', 'f002', 'f003']) c.set(value(k));
    c.setDoc('file:///a.sgdexp', { format: 'sgdexp-results', version: 1, file: 'a.sgdexp', seed: 0, runs: {}, plots: [] });
    c.prune();
    c.pruneTemporary(Date.now() + 3600_000);
    for (const n of mine) expect(readFileSync(join(dir, n), 'utf8')).toBe('the user\'s own data');
    for (const n of inside) expect(readFileSync(join(c.dir, n), 'utf8')).toBe('not the cache\'s');
    // its own entries went, to fit the budget of one byte
    expect(readdirSync(c.dir).filter((f) => /^f00\d\.run$/.test(f))).toEqual([]);
    expect(c.dir).toBe(join(dir, CACHE_SUBDIR));
  });
});
