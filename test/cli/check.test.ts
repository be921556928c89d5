// `sgdexp check`: the output format editors and CI annotators parse, and the exit codes.
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, sgdexp, tempDir } from './helpers';

const LINE = /^(.+):(\d+):(\d+): (error|warning|info|hint): (.+)$/;

beforeAll(() => ensureBuilt(), 600_000);

describe('sgdexp check', () => {
  it('accepts every bundled example: exit 0, no errors', async () => {
    const r = await sgdexp(['check', 'examples']);
    const n = readdirSync('examples').filter((f) => f.endsWith('.sgdexp')).length;
    expect(r.stderr).toMatch(new RegExp(`${n} files checked: 0 errors`));
    for (const line of r.stdout.split('\n').filter(Boolean)) expect(line).toMatch(LINE);
    expect(r.stdout).not.toMatch(/: error: /);
    expect(r.code).toBe(0);
  });

  it('reports an error at its 1-based line and column and exits 1', async () => {
    const dir = tempDir('check');
    const bad = join(dir, 'bad.sgdexp');
    // line 3, column 8: the unknown function
    writeFileSync(bad, '# a comment\ndata = teacher(n = 40, p = 10)\nnet  = linearr(width = 20)\n');
    const good = join(dir, 'good.sgdexp');
    writeFileSync(good, 'data = teacher(n = 40, p = 10)\n');
    const r = await sgdexp(['check', good, bad]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter(Boolean);
    for (const l of lines) expect(l).toMatch(LINE);
    const err = lines.find((l) => l.includes(': error: '))!;
    const [, file, line, col] = LINE.exec(err)!;
    expect(file).toBe(bad);
    expect([Number(line), Number(col)]).toEqual([3, 8]);
    expect(err).toMatch(/linearr/);
    expect(err).toMatch(/linear2/); // "did you mean"
  });

  it('warnings alone exit 0', async () => {
    const dir = tempDir('check');
    const f = join(dir, 'w.sgdexp');
    // width 5 < p + k = 11: det(θᵀθ) ≡ 0, a warning (language.md)
    writeFileSync(f, 'data = teacher(n = 40, p = 10, k = 1)\nnet = linear2(width = 5)\nr = train(net, data, gd(lr = 0.01), steps = 100)\nplot logdet(r)\n');
    const r = await sgdexp(['check', f]);
    expect(r.stdout).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: warning: .*width = 5 < p \\+ k = 11`, 'm'));
    expect(r.code).toBe(0);
  });

  it('broken, binary and oversized files give diagnostics, not crashes', async () => {
    const dir = tempDir('check');
    const broken = join(dir, 'broken.sgdexp');
    writeFileSync(broken, 'data = teacher(n = 40, p = \nplot loss(( ]\n"unterminated\n');
    const binary = join(dir, 'binary.sgdexp');
    writeFileSync(binary, Buffer.from([0, 255, 1, 2, 0xc3, 0x28, 10, 0, 61, 61]));
    const huge = join(dir, 'huge.sgdexp');
    writeFileSync(huge, '# x\n'.repeat(400_000)); // 1.6 MB of comments
    const big = join(dir, 'big.sgdexp');
    writeFileSync(big, 'data = teacher(n = 1e9, p = 1000)\nnet = linear2(width = 2000)\nr = train(net, data, gd(lr = 0.01), steps = 1e6)\nplot loss(r)\n');
    for (const f of [broken, binary, huge, big]) {
      const r = await sgdexp(['check', f]);
      expect(r.code, f).toBe(1);
      expect(r.stderr).not.toMatch(/internal error|TypeError|RangeError|at .*\.js:\d+/);
      expect(r.stdout.split('\n').filter(Boolean).every((l) => LINE.test(l))).toBe(true);
    }
    expect((await sgdexp(['check', huge])).stdout).toMatch(/huge\.sgdexp:1:1: error: file is 1,600,000 bytes \(1\.5 MB\); experiment files are limited to 1 MB/);
    // the estimate is stated (language.md: "the estimated memory and time exceed the limit, with the figures")
    expect((await sgdexp(['check', big])).stdout).toMatch(/big\.sgdexp:\d+:\d+: error: .*\d/);
  });

  it('a file one byte over the limit is one diagnostic; a megabyte of NULs a handful', async () => {
    const dir = tempDir('check');
    const over = join(dir, 'over.sgdexp');
    writeFileSync(over, Buffer.alloc((1 << 20) + 1, 0x20));
    const r = await sgdexp(['check', over]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([`${over}:1:1: error: file is 1,048,577 bytes (1.0 MB); experiment files are limited to 1 MB (1,048,576 bytes)`]);
    const nul = join(dir, 'nul.sgdexp');
    writeFileSync(nul, Buffer.alloc(1 << 20, 0));
    const n = await sgdexp(['check', nul]);
    expect(n.code).toBe(1);
    expect(n.stdout.trim().split('\n')).toEqual([`${nul}:1:1: error: 1048576 unexpected characters '\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0…'`]);
  });

  it('a device is refused as bad usage, without reading it', async () => {
    // /dev/zero never ends: reading it whole never returns
    const r = await sgdexp(['check', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a regular file or directory: \/dev\/zero/);
  });

  it('bad usage exits 2', async () => {
    expect((await sgdexp([])).code).toBe(2);
    expect((await sgdexp(['check'])).code).toBe(2);
    expect((await sgdexp(['check', 'no/such/file.sgdexp'])).code).toBe(2);
    expect((await sgdexp(['frobnicate'])).code).toBe(2);
    expect((await sgdexp(['run', 'examples', '--format', 'gif'])).code).toBe(2);
    expect((await sgdexp(['run', 'examples', '--shard', '3/2'])).code).toBe(2);
    expect((await sgdexp(['run', 'examples', '--jobs', 'many'])).code).toBe(2);
    expect((await sgdexp(['merge', 'a.json'])).code).toBe(2); // -o is required
    const help = await sgdexp(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/check.*\n.*run.*\n.*merge/s);
  });
});
