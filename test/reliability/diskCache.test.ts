// Reliability (c): the CLI's disk cache (src/core/graph/diskCache.ts through dist/cli.js
// --cache-dir) under damage: truncated, garbage and wrong-version entries, a read-only cache
// folder, 10,000 junk files, two processes on one file at once, and kill -9 during a run and
// during a cache write. After each, a cached run's `runs` must equal a --no-cache run's bit for
// bit. Entries are found by walking the cache folder, whatever its layout inside.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, readDoc, runProcess, tempDir } from '../cli/helpers';

// Five small runs (a family of three and two single runs): each CLI run well under a second.
const SMALL = `seed = 3
data = teacher(n = 40, p = 4, k = 1)
net  = linear2(width = 6)
gd   = train(net, data, gd(lr = 0.05), steps = 300, record = 30)
ln   = train(net, data, label_noise(lr = 0.05, delta = 0.5), steps = [200, 300, 400], record = 30)
sg   = train(net, data, sgd(lr = 0.05, batch = 4), steps = 300, record = 30)
plot loss(gd, ln, sg)
`;
// Longer runs, one worker: a kill lands between the first stored entry and the last.
const SLOW = `seed = 5
data = teacher(n = 200, p = 8, k = 2)
net  = linear2(width = 12)
a = train(net, data, label_noise(lr = [0.02, 0.021, 0.022, 0.023, 0.024, 0.025], delta = 0.5), steps = 12000, record = 600)
plot loss(a)
`;

let root: string;
const dirs = { n: 0 };
const fresh = (tag: string) => {
  const d = join(root, `${tag}-${++dirs.n}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const write = (name: string, text: string) => {
  const f = join(root, name);
  writeFileSync(f, text);
  return f;
};

interface Run {
  code: number;
  stderr: string;
  runs: string;
}
/** One CLI run to a fresh output folder; its document's `runs`, serialised. */
async function cli(file: string, cache: string | null, opts: { uid?: number } = {}): Promise<Run> {
  const out = fresh('out');
  if (opts.uid !== undefined) chmodSync(out, 0o777);
  const args = [CLI, 'run', file, '--out', out, '--format', 'json', '-q', '--jobs', '1', ...(cache ? ['--cache-dir', cache] : ['--no-cache'])];
  const r = await runProcess(process.execPath, args, { uid: opts.uid, gid: opts.uid });
  const json = join(out, file.split('/').pop()!.replace(/\.sgdexp$/, '.json'));
  return { code: r.code, stderr: r.stderr, runs: existsSync(json) ? JSON.stringify(readDoc(json).runs) : `(no ${json}; stderr: ${r.stderr})` };
}

/** Every file below `dir`, recursively. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
const entries = (cache: string) => walk(cache).filter((f) => f.endsWith('.run'));

let small: string;
let slow: string;
let reference: { small: string; slow: string };
const counts: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
  root = tempDir('reliability-cache');
  chmodSync(root, 0o755);
  small = write('small.sgdexp', SMALL);
  slow = write('slow.sgdexp', SLOW);
  const a = await cli(small, null);
  const b = await cli(slow, null);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  reference = { small: a.runs, slow: b.runs };
  expect(Object.keys(JSON.parse(reference.small))).toHaveLength(5);
}, 600_000);
afterAll(() => {
  console.log(`reliability(c): ${counts.join('; ')}`);
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A populated cache folder and its entries. */
async function populated(): Promise<{ cache: string; files: string[] }> {
  const cache = fresh('cache');
  const r = await cli(small, cache);
  expect(r.runs).toBe(reference.small);
  const files = entries(cache);
  expect(files.length, `entries in ${cache}: ${walk(cache).join(', ')}`).toBeGreaterThanOrEqual(3);
  return { cache, files };
}

/** The cached run equals the --no-cache run, and the cache holds valid entries again. */
async function expectRecovered(cache: string, what: string, file = small, ref = () => reference.small): Promise<void> {
  const r = await cli(file, cache);
  expect(r.code, `${what}: exit code; stderr: ${r.stderr}`).toBe(0);
  expect(r.runs, `${what}: runs after recovery differ from --no-cache`).toBe(ref());
  const again = await cli(file, cache);
  expect(again.runs, `${what}: the second cached run differs from --no-cache`).toBe(ref());
}

describe('reliability (c): the disk cache under damage', () => {
  it('truncated, garbage and wrong-version entries are recomputed', async () => {
    let damaged = 0;
    for (const damage of ['truncated', 'garbage', 'wrong format', 'wrong engine'] as const) {
      const { cache, files } = await populated();
      for (const f of files) {
        const buf = readFileSync(f);
        if (damage === 'truncated') truncateSync(f, Math.floor(buf.length / 2));
        else if (damage === 'garbage') writeFileSync(f, createHash('sha512').update(f).digest());
        else {
          // a well-formed entry with a valid checksum but another format or engine version, and
          // other numbers: served by mistake, it would show in the comparison below
          const jl = buf.readUInt32LE(12);
          const json = JSON.parse(buf.subarray(52, 52 + jl).toString('utf8'));
          if (damage === 'wrong engine') json.engine = `${json.engine}-old`;
          const loss = json.value?.trajectory?.metrics?.loss as number[] | undefined;
          if (loss) json.value.trajectory.metrics.loss = loss.map((x) => (typeof x === 'number' ? x * 2 + 1 : x));
          const j = Buffer.from(JSON.stringify(json));
          const ck = buf.subarray(52 + jl);
          const head = Buffer.from(buf.subarray(0, 52));
          if (damage === 'wrong format') head.writeUInt32LE(buf.readUInt32LE(8) + 1, 8);
          head.writeUInt32LE(j.length, 12);
          createHash('sha256').update(j).update(ck).digest().copy(head, 20);
          writeFileSync(f, Buffer.concat([head, j, ck]));
        }
        damaged++;
      }
      // the index files beside the entries too
      for (const f of walk(cache).filter((x) => x.endsWith('.json'))) writeFileSync(f, damage === 'truncated' ? '{"format":' : '\u0000\u0001garbage');
      await expectRecovered(cache, damage);
    }
    counts.push(`${damaged} damaged entries recomputed`);
  });

  it('a read-only cache folder (populated or empty) serves or skips, never fails', async () => {
    // root ignores permission bits: the CLI runs as `nobody` so the folder is really read-only
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const { cache } = await populated();
    for (const f of [cache, ...walk(cache)]) chmodSync(f, statSync(f).isDirectory() ? 0o555 : 0o444);
    const empty = fresh('ro-empty');
    chmodSync(empty, 0o555);
    let ok = 0;
    for (const dir of [cache, empty]) {
      const r = await cli(small, dir, { uid });
      expect(r.code, `read-only ${dir}: ${r.stderr}`).toBe(0);
      expect(r.runs, `read-only ${dir}`).toBe(reference.small);
      ok++;
    }
    expect(readdirSync(empty)).toEqual([]);
    for (const f of [cache, ...walk(cache)]) chmodSync(f, statSync(f).isDirectory() ? 0o755 : 0o644);
    counts.push(`${ok} runs on read-only cache folders${uid !== undefined ? ' (as nobody)' : ''}`);
  });

  it('10,000 junk files in the cache folder', async () => {
    const { cache } = await populated();
    const junk = 10_000;
    for (let i = 0; i < junk; i++) {
      const name = [`${i.toString(16).padStart(32, '0')}.run`, `junk-${i}`, `${i}.run.1.x.tmp`, `prefix-${i}.json`, `doc-${i}.json`][i % 5];
      writeFileSync(join(cache, name), i % 3 ? `junk ${i}` : '');
    }
    await expectRecovered(cache, '10,000 junk files');
    counts.push(`${junk} junk files, ${walk(cache).length} files after two runs`);
  });

  it('two CLI processes on the same file and cache at once', async () => {
    const cache = fresh('cache');
    const out = [fresh('out'), fresh('out')];
    const codes = await Promise.all(
      out.map(
        (o) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const p = spawn(process.execPath, [CLI, 'run', small, '--out', o, '--format', 'json', '-q', '--jobs', '1', '--cache-dir', cache]);
            let stderr = '';
            p.stderr.on('data', (d) => (stderr += d));
            p.on('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const [i, c] of codes.entries()) {
      expect(c.code, c.stderr).toBe(0);
      expect(JSON.stringify(readDoc(join(out[i], 'small.json')).runs), `process ${i + 1}`).toBe(reference.small);
    }
    await expectRecovered(cache, 'after two concurrent processes');
    counts.push(`2 concurrent processes, ${entries(cache).length} entries`);
  });

  it('kill -9 in the middle of a run, then in the middle of a cache write', async () => {
    // during a run: as soon as the first entry is stored (fs.watch: an event, not a delay)
    const cache = fresh('cache');
    // The kill follows an event: a file-system event under the cache folder, or a scan of the
    // tree between the child's turns (which sees entries in sub-folders made after the watch
    // began). `required`: the CLI ending first fails the test; otherwise null (a write may be
    // too quick to catch, and the half files below stand in for it).
    const killAt = async (cache: string, until: (f: string) => boolean, what: string, required: boolean): Promise<string | null> => {
      const p = spawn(process.execPath, [CLI, 'run', slow, '--out', fresh('out'), '--format', 'json', '-q', '--jobs', '1', '--cache-dir', cache], { stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
      let done = false;
      const seen = await new Promise<string | null>((resolve, reject) => {
        const hit = (f: string) => {
          if (done) return;
          done = true;
          p.kill('SIGKILL');
          w.close();
          resolve(f);
        };
        const w = watch(cache, { recursive: true }, (_e, f) => void (f && until(String(f)) && hit(String(f))));
        const scan = () => {
          if (done) return;
          const f = walk(cache).find(until);
          if (f) hit(f);
          else setTimeout(scan, 2);
        };
        scan();
        void exited.then((code) => {
          if (done) return;
          done = true;
          w.close();
          if (required) reject(new Error(`${what}: awaited a ${what} in ${cache} while the CLI ran; it exited (code ${code}) first, leaving: ${walk(cache).join(', ')}`));
          else resolve(null);
        });
      });
      await exited;
      return seen;
    };
    const first = await killAt(cache, (f) => f.endsWith('.run'), 'stored entry', true);
    const afterRun = entries(cache).length;
    expect(afterRun, `entries after the kill (first event: ${first})`).toBeLessThan(6);
    await expectRecovered(cache, 'kill -9 during a run', slow, () => reference.slow);

    // during a write: kill when a temporary file appears (the write may or may not have ended)
    const cache2 = fresh('cache');
    const tmp = await killAt(cache2, (f) => f.endsWith('.tmp'), 'temporary file', false);
    const leftovers = walk(cache2).filter((f) => f.endsWith('.tmp'));
    // and, for certain, what a kill mid-write leaves: a half temporary file older than any live
    // writer, and (on a file system without atomic rename) a half file under an entry's name
    let planted = 0;
    for (const valid of entries(cache).slice(0, 2)) {
      const half = readFileSync(valid).subarray(0, 40);
      const at = join(cache2, valid.slice(cache.length));
      mkdirSync(join(at, '..'), { recursive: true });
      const t = `${at}.99999.abc.tmp`;
      writeFileSync(t, half);
      utimesSync(t, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
      writeFileSync(at, half);
      planted += 2;
    }
    expect(planted).toBe(4);
    await expectRecovered(cache2, 'kill -9 during a cache write', slow, () => reference.slow);
    expect(walk(cache2).filter((f) => f.endsWith('.99999.abc.tmp')), 'a stale temporary file survives').toEqual([]);
    counts.push(
      `kill -9 after the first stored entry (${afterRun} of 6 stored), kill -9 at a temporary file (${tmp ? tmp.split('/').pop() : 'none seen before the CLI ended'}, ${leftovers.length} left behind, ${planted} half files planted): both recovered bit for bit`,
    );
  });
});
