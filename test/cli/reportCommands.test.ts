// `sgdexp render` of a merged shard document, the source in the HTML report, --max-time and
// --max-memory, `check -q`, and `run` on a file with errors (no report, exit 1).
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, readDoc, sgdexp, tempDir } from './helpers';

beforeAll(() => ensureBuilt(), 600_000);

// a comment with what HTML must escape; records every step, so the merged JSON is over 1 MB
// (the size `run` refuses as an experiment file)
const SOURCE = [
  '# a < b & "c" > d',
  'data = teacher(n = 20, p = 2)',
  'net = linear2(width = 3)',
  'r = train(net, data, gd(lr = [0.01, 0.02]), steps = 20000, record = 10000)',
  'plot loss(r, y = log)',
  'expect final(loss, r[lr = 0.02]) < final(loss, r[lr = 0.01])',
  '',
].join('\n');

const BIG = 'data = teacher(n = 1e9, p = 1000)\nnet = linear2(width = 2000)\nr = train(net, data, gd(lr = 0.01), steps = 1e6)\nplot loss(r)\n';

describe('sgdexp render', () => {
  it('draws the figures and the report of a merged shard document, with the source escaped', async () => {
    const dir = tempDir('render');
    const file = join(dir, 'sweep.sgdexp');
    writeFileSync(file, SOURCE);
    const cache = tempDir('render-cache');
    const parts: string[] = [];
    for (const i of [1, 2]) {
      const o = join(dir, `shard${i}`);
      const r = await sgdexp(['run', file, '--shard', `${i}/2`, '--out', o, '--cache-dir', cache, '--format', 'json', '-q']);
      expect(r.code, r.stderr).toBe(0);
      parts.push(join(o, 'sweep.json'));
    }
    const merged = join(dir, 'merged.json');
    expect((await sgdexp(['merge', ...parts, '-o', merged])).code).toBe(0);
    expect(statSync(merged).size).toBeGreaterThan(1 << 20);
    // what `run` says of it: too large for an experiment file
    expect((await sgdexp(['run', merged, '--out', join(dir, 'nope'), '--no-cache'])).code).toBe(1);
    const out = join(dir, 'figures');
    const r = await sgdexp(['render', merged, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(['merged-plot1.svg', 'merged-plot1.png', 'merged.csv', 'merged.html']));
    const html = readFileSync(join(out, 'merged.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('# a &lt; b &amp; &quot;c&quot; &gt; d');
    expect(html).not.toContain('# a < b');
    // the claim, checked at merge, is in the report
    expect(html).toMatch(/✓ line 6/);
    expect(Object.keys(readDoc(merged).runs)).toHaveLength(2);
  });

  it('refuses a shard alone and what is not a results document', async () => {
    const dir = tempDir('render-bad');
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const r = await sgdexp(['render', junk, '--out', join(dir, 'o')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/junk\.json: not a results document/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe('sgdexp run', () => {
  it("the HTML report ends with the experiment's source, escaped", async () => {
    const dir = tempDir('report-src');
    const file = join(dir, 'small.sgdexp');
    writeFileSync(file, SOURCE.replace('steps = 20000, record = 10000', 'steps = 50'));
    const r = await sgdexp(['run', file, '--out', join(dir, 'out'), '--no-cache', '--format', 'html', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'out', 'small.html'), 'utf8');
    expect(html).toMatch(/<h2>Source<\/h2>\n<pre class="source"><code># a &lt; b &amp; &quot;c&quot; &gt; d\ndata = teacher/);
  });

  it('a file with errors is not run: no outputs, exit 1, the errors named', async () => {
    const dir = tempDir('run-errors');
    const file = join(dir, 'bad.sgdexp');
    writeFileSync(file, 'data = teacher(n = 40, p = 10)\nnet  = linearr(width = 20)\nr = train(net, data, gd(lr = 0.01), steps = 10)\nplot loss(r)\n');
    const out = join(dir, 'out');
    const r = await sgdexp(['run', file, '--out', out, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.sgdexp:2:8: error: unknown function 'linearr'/);
    expect(r.stderr).toMatch(/bad\.sgdexp: not run: 1 error .*linearr.*; no outputs written/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('--max-time and --max-memory raise the limits; the refusal says how', async () => {
    const dir = tempDir('limits');
    const file = join(dir, 'big.sgdexp');
    writeFileSync(file, BIG);
    const refused = await sgdexp(['check', file]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/too large to run: .*; raise the limits with --max-time SECONDS and --max-memory SIZE/);
    // ≈ 119 days and 7.3 TB: accepted under limits above both, for a run and for the file
    const raised = await sgdexp(['check', file, '--max-time', '200d', '--max-memory', '10TB']);
    expect(raised.stdout).not.toMatch(/too large/);
    expect(raised.code, raised.stdout).toBe(0);
    // a limit can be lowered too: a tiny run refused under a millisecond
    const small = join(dir, 'small.sgdexp');
    writeFileSync(small, 'data = teacher(n = 200, p = 20)\nnet = linear2(width = 30)\nr = train(net, data, gd(lr = 0.01), steps = 100000)\n');
    expect((await sgdexp(['check', small])).code).toBe(0);
    expect((await sgdexp(['check', small, '--max-time', '0.001'])).stdout).toMatch(/too large to run: .*limit 0.0010 s/);
    const bad = await sgdexp(['run', small, '--max-memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-memory expects a positive amount/);
  });
});

describe('sgdexp check -q', () => {
  it('is accepted like run -q: the diagnostics, no summary line, the same exit code', async () => {
    const dir = tempDir('check-q');
    const file = join(dir, 'big.sgdexp');
    writeFileSync(file, BIG);
    const r = await sgdexp(['check', '-q', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/big\.sgdexp:3:5: error: /);
    expect(r.stderr).toBe('');
    expect((await sgdexp(['check', '--quiet', 'examples'])).code).toBe(0);
  });
});
