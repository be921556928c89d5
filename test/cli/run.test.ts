// `sgdexp run` on every bundled example: the outputs exist and each figure shows what its
// paper shows, read from the results JSON. Then: cache, --json, --shard + merge, divergence,
// broken and oversized files.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsDoc, RunResult } from '../../src/core/results';
import { ensureBuilt, last, readDoc, ROOT, sgdexp, slope, tempDir, type Result } from './helpers';

const EXAMPLES = ['01-varre-fig1', '02-logdet-rate', '03-relu-alignment', '04-even-diagonal', '05-wang-jacot-rank-jump'];

let out: string;
let cache: string;
let first: Result;
const docs: Record<string, ResultsDoc> = {};

beforeAll(async () => {
  await ensureBuilt();
  out = tempDir('run-out');
  cache = tempDir('run-cache');
  first = await sgdexp(['run', 'examples', '--out', out, '--cache-dir', cache, '--jobs', '2']);
  for (const e of EXAMPLES) if (existsSync(join(out, `${e}.json`))) docs[e] = readDoc(join(out, `${e}.json`));
}, 300_000);

const scalar = (r: RunResult, m: string) => r.metrics[m] as number[];
const vector = (r: RunResult, m: string) => r.metrics[m] as number[][];

describe('sgdexp run examples/', () => {
  it('finishes with exit 0 and writes JSON, CSV, SVG + PNG per plot and HTML per file', async () => {
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(out);
    for (const e of EXAMPLES) {
      const doc = docs[e];
      expect(doc.format).toBe('sgdexp-results');
      expect(doc.version).toBe(1);
      expect(doc.file).toBe(`examples/${e}.sgdexp`);
      for (const r of Object.values(doc.runs)) {
        expect(['done', 'diverged']).toContain(r.status);
        for (const s of Object.values(r.metrics)) expect(s.length).toBe(r.step.length);
      }
      expect(doc.plots.length).toBeGreaterThan(0);
      for (let i = 1; i <= doc.plots.length; i++) {
        expect(files).toContain(`${e}-plot${i}.svg`);
        const png = readFileSync(join(out, `${e}-plot${i}.png`));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
      }
      const csv = readFileSync(join(out, `${e}.csv`), 'utf8').split('\n');
      expect(csv[0]).toMatch(/^run,.*status,step,time,metric,index,value$/);
      const html = readFileSync(join(out, `${e}.html`), 'utf8');
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(doc.plots.length);
    }
    expect(files).toContain('index.html');
  });

  it('Varre Fig. 1: log det flat under GD, falling at the theorem rate under label noise', async () => {
    const { gd, ln } = docs['01-varre-fig1'].runs;
    const ldG = scalar(gd, 'logdet');
    const ldL = scalar(ln, 'logdet');
    const rate = ln.theory.logdet_rate_per_step;
    // −2η²δ·k·tr(XᵀX) with η = 0.02, δ = 2, k = 2, tr(XᵀX) ≈ p = 5 (inputs rescaled by 1/√n:
    // tr(XᵀX) = ‖X‖²_F/n, a mean of n·p χ²₁ variables over n, within 10 % of p for n = 1000)
    const expected = -2 * 0.02 ** 2 * 2 * 2 * 5;
    expect(Math.abs(rate / expected - 1)).toBeLessThan(0.1);
    const dropL = last(ldL) - ldL[0];
    expect(dropL).toBeLessThan(0.9 * rate * last(ln.step));
    // GD: only the O(η²‖R‖²) discretisation drift, two orders below the label-noise drop
    expect(Math.abs(last(ldG) - ldG[0])).toBeLessThan(0.01 * Math.abs(dropL));
    // slope over the second half (after the transient): the theorem's rate within 5 %
    // (docs/theory.md §4: the O(h) discretisation term is 1–3 % at η ≤ 0.02)
    const h = ln.step.findIndex((s) => s >= last(ln.step) / 2);
    const measured = slope(ln.step.slice(h), ldL.slice(h));
    expect(Math.abs(measured / rate - 1)).toBeLessThan(0.05);
    // the small singular values of W1 collapse under label noise, not under GD
    const svL = last(vector(ln, 'sv_W1'));
    const svG = last(vector(gd, 'sv_W1'));
    expect(svL.length).toBe(5);
    expect(Math.min(...svL)).toBeLessThan(1e-2 * Math.min(...svG));
  });

  it('the theorem rate over a sweep of δ: slope ∝ δ, within 5 % of −2η²δ·k·tr(XᵀX)', async () => {
    const runs = Object.values(docs['02-logdet-rate'].runs);
    expect(runs.map((r) => r.member?.delta)).toEqual([0.5, 1, 2, 4]);
    const excess: number[] = [];
    for (const r of runs) {
      const rate = r.theory.logdet_rate_per_step;
      const h = r.step.findIndex((s) => s >= last(r.step) / 2);
      const measured = slope(r.step.slice(h), scalar(r, 'logdet').slice(h));
      expect(Math.abs(measured / rate - 1), `δ = ${r.member?.delta}`).toBeLessThan(0.05);
      expect(rate / r.member!.delta).toBeCloseTo(runs[0].theory.logdet_rate_per_step / 0.5, 10);
      // the second figure's points: the whole run's log det change against the theorem's. The
      // start is included, where the residual R is large and GD's own drift −2η²‖R‖² per step
      // (docs/theory.md §4) adds to the noise's: an excess independent of δ, so relatively largest at
      // small δ (measured: 3.5, 3.0, 2.4, 1.8 % for δ = 0.5, 1, 2, 4)
      const ld = scalar(r, 'logdet');
      excess.push((last(ld) - ld[0]) / (rate * last(r.step)) - 1);
    }
    for (const e of excess) expect(e).toBeGreaterThan(0);
    for (const e of excess) expect(e).toBeLessThan(0.08);
    for (let i = 1; i < excess.length; i++) expect(excess[i]).toBeLessThan(excess[i - 1]);
    const fin = docs['02-logdet-rate'].plots[1];
    expect([fin.kind, fin.metric, fin.x, fin.theory]).toEqual(['final', 'logdet', 'delta', true]);
  });

  it('ReLU: the neurons align with the teacher more under label noise than under GD', async () => {
    const { gd, ln } = docs['03-relu-alignment'].runs;
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const aG = mean(last(vector(gd, 'alignment')));
    const aL = mean(last(vector(ln, 'alignment')));
    expect(aL).toBeGreaterThan(aG + 0.05);
  });

  it("Even et al. Fig. 1: SGD's best test loss is below GD's; Fig. 2–3 drawn from gain and distance", async () => {
    const doc = docs['04-even-diagonal'];
    const best = (name: string) =>
      Math.min(
        ...Object.entries(doc.runs)
          .filter(([k, r]) => k.startsWith(`${name}[`) && r.status === 'done')
          .map(([, r]) => last(scalar(r, 'test_loss'))),
      );
    // Even et al., Fig. 1: near its limit SGD's test loss falls orders of magnitude below GD's
    // best (measured here: 5.6e-6 vs 1.4e-2); asserted with room for the noise of the SGD runs
    expect(best('sgd')).toBeLessThan(0.05 * best('gd'));
    // Fig. 2, each near its own limit: GD's Gain is heterogeneous, SGD's homogeneous. The spread
    // is the coefficient of variation over the 30 coordinates (measured: GD 1.86, SGD 0.56; the
    // paper's argument: GD's first gradients are ≈ β*² on the support, SGD's Θ(‖β*‖²) everywhere)
    const g = doc.runs['gd[lr=0.7]'], s = doc.runs['sgd[lr=0.2]'];
    const cv = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) / m;
    };
    expect(last(vector(g, 'gain')).length).toBe(30);
    expect(cv(last(vector(g, 'gain')))).toBeGreaterThan(2 * cv(last(vector(s, 'gain'))));
    expect(doc.plots[1].runs).toEqual(['gd[lr=0.7]', 'sgd[lr=0.2]']);
    expect(doc.plots[1].y).toBe('log');
    // Fig. 3: both approach β*; SGD, whose implicit bias is closer to ℓ1, ends nearer
    // (measured: from ‖β*‖ = 2.40 to 0.18 for GD, 0.014 for SGD)
    for (const r of [g, s]) expect(last(scalar(r, 'distance'))).toBeLessThan(0.1 * scalar(r, 'distance')[0]);
    expect(last(scalar(s, 'distance'))).toBeLessThan(last(scalar(g, 'distance')));
  });

  it('Wang–Jacot: SGD jumps to rank 1 and stays; GD at the same stepsize stays at rank 2', async () => {
    const { sgd, gd, park } = docs['05-wang-jacot-rank-jump'].runs;
    // small-step GD parks the weights at rank 2; both continue from there
    expect(last(scalar(park, 'sv_ratio'))).toBeGreaterThan(0.1);
    const rs = scalar(sgd, 'sv_ratio');
    const rg = scalar(gd, 'sv_ratio');
    expect(rs[0]).toBeGreaterThan(0.05); // starts at rank 2
    // SGD: once s₂/s₁ has fallen below 1e-6 (rank 1 to numerical precision) it never comes back
    const jump = rs.findIndex((v) => v < 1e-6);
    expect(jump).toBeGreaterThan(0);
    expect(sgd.step[jump]).toBeLessThan(last(sgd.step) / 2);
    expect(Math.max(...rs.slice(jump))).toBeLessThan(1e-6);
    // GD at the same stepsize and weight decay ends at rank 2
    expect(last(rg)).toBeGreaterThan(0.05);
    expect(Math.min(...rg.slice(rg.length >> 1))).toBeGreaterThan(0.05);
    // lowering λ afterwards (offshoots): only the jumped run completes the matrix to rank 1;
    // test_loss = ½·(A₀₁ − 1/ε)², the error on the missing entry
    const { sgd_fine, gd_fine } = docs['05-wang-jacot-rank-jump'].runs;
    expect(last(scalar(sgd_fine, 'test_loss'))).toBeLessThan(1e-2 * last(scalar(gd_fine, 'test_loss')));
    expect(last(scalar(sgd_fine, 'sv_ratio'))).toBeLessThan(1e-6);
  });
});

describe('the New Experiment templates', () => {
  it('check clean and run; only members of a stepsize sweep may diverge (the sweep shows the limit)', async () => {
    const o = tempDir('templates-out');
    const r = await sgdexp(['run', 'templates', '--out', o, '--format', 'json', '--no-cache', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.sgdexp')).map((f) => f.replace(/\.sgdexp$/, '.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const doc = readDoc(join(o, f));
      for (const [k, run] of Object.entries(doc.runs)) {
        if (run.member) expect(['done', 'diverged'], `${f}: ${k}`).toContain(run.status);
        else expect(run.status, `${f}: ${k}: ${run.message}`).toBe('done');
      }
    }
    // the rank-jump template shows the jump it promises
    const rj = readDoc(join(o, '3-rank-jump.json')).runs;
    expect(last(scalar(rj.sgd, 'sv_ratio'))).toBeLessThan(1e-6);
    expect(last(scalar(rj.gd, 'sv_ratio'))).toBeGreaterThan(0.05);
  });
});

describe('cache, --json, shards', () => {
  it('a second run of an unchanged file is served from the disk cache, same results', async () => {
    const out2 = tempDir('run-out2');
    const r = await sgdexp(['run', 'examples/01-varre-fig1.sgdexp', '--out', out2, '--cache-dir', cache, '--format', 'json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(0 computed, 2 from cache\)/);
    const again = readDoc(join(out2, '01-varre-fig1.json'));
    expect(again).toEqual(docs['01-varre-fig1']);
    expect(JSON.parse(r.stdout)).toEqual(again);
    // --no-cache computes again
    const r3 = await sgdexp(['run', 'examples/01-varre-fig1.sgdexp', '--out', out2, '--cache-dir', cache, '--format', 'json', '--no-cache']);
    expect(r3.stderr).toMatch(/\(2 computed, 0 from cache\)/);
  });

  it('outputs already up to date are not drawn again; a missing one is', async () => {
    const o = tempDir('stamps');
    const args = ['run', 'examples/05-wang-jacot-rank-jump.sgdexp', '--out', o, '--cache-dir', cache];
    expect((await sgdexp(args)).code).toBe(0);
    const png = join(o, '05-wang-jacot-rank-jump-plot1.png');
    const t1 = statSync(png).mtimeMs;
    expect((await sgdexp(args)).code).toBe(0);
    expect(statSync(png).mtimeMs).toBe(t1);
    rmSync(png);
    expect((await sgdexp(args)).code).toBe(0);
    expect(existsSync(png)).toBe(true);
  });

  it('--shard i/N computes only its runs, and merge of the shards equals the unsharded run', async () => {
    const fresh = tempDir('shard-cache');
    const parts: string[] = [];
    for (const i of [1, 2]) {
      const o = tempDir(`shard${i}`);
      const r = await sgdexp(['run', 'examples/02-logdet-rate.sgdexp', '--shard', `${i}/2`, '--out', o, '--cache-dir', fresh, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/2 runs: 2 done \(2 computed, 0 from cache\)/);
      parts.push(join(o, '02-logdet-rate.json'));
    }
    expect(Object.keys(readDoc(parts[0]).runs)).toEqual(['ln[delta=0.5]', 'ln[delta=2]']);
    const merged = join(tempDir('merged'), 'm.json');
    const m = await sgdexp(['merge', parts[1], parts[0], '-o', merged]);
    expect(m.code, m.stderr).toBe(0);
    expect(readDoc(merged)).toEqual(docs['02-logdet-rate']);
    // a missing shard is refused
    expect((await sgdexp(['merge', parts[0], '-o', merged])).code).toBe(1);
  });
});

describe('failures are reported, never crashes', () => {
  it('a diverged run is kept and reported; --strict makes it fail', async () => {
    const dir = tempDir('div');
    const f = join(dir, 'div.sgdexp');
    writeFileSync(f, 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 4, init = gaussian(scale = 1))\nok = train(net, data, gd(lr = 0.01), steps = 200)\nboom = train(net, data, gd(lr = 5), steps = 200)\nplot loss(ok, boom, y = log)\n');
    const r = await sgdexp(['run', f, '--out', dir, '--no-cache']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/boom: diverged: diverged at step \d+/);
    const doc = readDoc(join(dir, 'div.json'));
    expect(doc.runs.boom.status).toBe('diverged');
    expect(doc.runs.boom.step.length).toBeGreaterThan(0);
    expect(doc.runs.ok.status).toBe('done');
    expect(existsSync(join(dir, 'div-plot1.png'))).toBe(true);
    expect((await sgdexp(['run', f, '--out', dir, '--no-cache', '--strict'])).code).toBe(1);
  });

  it('broken and oversized files exit 1 with diagnostics', async () => {
    const dir = tempDir('bad');
    const broken = join(dir, 'broken.sgdexp');
    writeFileSync(broken, 'data = teacher(n = 40, p = \nplot loss(( ]\n');
    const big = join(dir, 'big.sgdexp');
    writeFileSync(big, 'data = teacher(n = 1e9, p = 1000)\nnet = linear2(width = 2000)\nr = train(net, data, gd(lr = 0.01), steps = 1e6)\nplot loss(r)\n');
    for (const f of [broken, big]) {
      const r = await sgdexp(['run', f, '--out', dir, '--no-cache']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/:\d+:\d+: error: /);
      expect(r.stderr).not.toMatch(/internal error|TypeError/);
    }
  });
});

describe('several files', () => {
  it('--json prints an array of documents in input order; an empty file is a document with no runs', async () => {
    const dir = tempDir('multi');
    writeFileSync(join(dir, 'b.sgdexp'), 'data = teacher(n = 20, p = 2)\nnet = linear2(width = 3)\nr = train(net, data, gd(lr = 0.05), steps = 50)\n');
    writeFileSync(join(dir, 'a.sgdexp'), '# nothing yet\n');
    const r = await sgdexp(['run', dir, '--out', join(dir, 'out'), '--no-cache', '--json', '--quiet', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const docs = JSON.parse(r.stdout) as ResultsDoc[];
    expect(docs.map((d) => d.file.slice(dir.length + 1))).toEqual(['a.sgdexp', 'b.sgdexp']);
    expect(docs[0].runs).toEqual({});
    expect(docs[1].runs.r.status).toBe('done');
    expect(r.stderr).toBe('');
  });
});

describe('unwritable output', () => {
  it('an --out that cannot be created is a message and exit 1, not a stack trace', async () => {
    const dir = tempDir('unwritable');
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await sgdexp(['run', 'examples/05-wang-jacot-rank-jump.sgdexp', '--out', join(file, 'sub'), '--cache-dir', tempDir('uw-cache')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sgdexp: cannot mkdir .*a-file\/sub: ENOTDIR/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  });
});

describe('shards of a grid', () => {
  it('a 2×3 grid split 4 ways merges back to the unsharded document', async () => {
    const dir = tempDir('grid');
    const f = join(dir, 'grid.sgdexp');
    writeFileSync(
      f,
      'data = sparse(n = 10, d = 8, s = 2)\nnet = diagonal(alpha = 0.1)\n' +
        'g = train(net, data, sgd(lr = [0.01, 0.02], batch = [1, 2, 5]), steps = 300)\nplot loss(g)\n',
    );
    const cache = tempDir('grid-cache');
    const full = await sgdexp(['run', f, '--out', join(dir, 'full'), '--cache-dir', cache, '--format', 'json']);
    expect(full.code, full.stderr).toBe(0);
    const whole = readDoc(join(dir, 'full', 'grid.json'));
    expect(Object.keys(whole.runs).length).toBe(6);
    // each shard with an empty cache: it computes exactly its own members of the grid
    const sizes = [2, 2, 1, 1];
    const parts: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      const o = join(dir, `s${i}`);
      const r = await sgdexp(['run', f, '--shard', `${i}/4`, '--out', o, '--cache-dir', tempDir('grid-shard-cache'), '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(${sizes[i - 1]} computed, 0 from cache)`);
      parts.push(join(o, 'grid.json'));
    }
    expect(parts.map((p) => Object.keys(readDoc(p).runs).length)).toEqual([2, 2, 1, 1]);
    const m = await sgdexp(['merge', ...parts, '-o', '-']);
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toEqual(whole);
  });
});

describe('interrupting', () => {
  it('Ctrl-C cancels the run in flight, writes the document, exits 130', async () => {
    const dir = tempDir('int');
    const f = join(dir, 'long.sgdexp');
    // far more steps than the test waits for
    writeFileSync(f, 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 4)\nr = train(net, data, gd(lr = 0.01), steps = 1e8)\nplot loss(r)\n');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', f, '--out', dir, '--no-cache', '--format', 'json'], { cwd: ROOT });
    let err = '';
    let sent = false; // one SIGINT: a second one quits at once, without writing
    child.stderr.on('data', (d) => {
      err += String(d);
      if (!sent && err.includes(': running')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code, err).toBe(130);
    expect(err).toMatch(/interrupted/);
    expect(readDoc(join(dir, 'long.json')).runs.r.status).toBe('cancelled');
  });
});
