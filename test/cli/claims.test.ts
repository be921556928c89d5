// `sgdexp run` and claims: each printed with its values, written to the JSON and the HTML, and a
// failed one (or one on a diverged run) makes the exit status 1.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, readDoc, sgdexp, tempDir } from './helpers';

beforeAll(ensureBuilt, 240_000);

const BASE = 'data = teacher(n = 50, p = 3)\nnet = linear2(width = 4, init = gaussian(scale = 1))\nok = train(net, data, gd(lr = 0.01), steps = 200)\n';

describe('claims in sgdexp run', () => {
  it('a held claim exits 0; flipping it to a failing one exits 1 and says failed in the JSON and HTML', async () => {
    const dir = tempDir('claims');
    const f = join(dir, 'c.sgdexp');
    writeFileSync(f, BASE + 'expect final(loss, ok) < max(loss, ok)\n');
    const held = await sgdexp(['run', f, '--out', dir, '--format', 'json,html']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr).toMatch(/c\.sgdexp: 1 run: 1 done \(/); // one run, not "1 runs"
    expect(held.stderr).toMatch(/c\.sgdexp:4 ✓ final\(loss, ok\) = \S+ < max\(loss, ok\) = \S+\n/);
    expect(readDoc(join(dir, 'c.json')).claims).toMatchObject([{ line: 4, text: 'final(loss, ok) < max(loss, ok)', status: 'held', message: null }]);

    writeFileSync(f, BASE + 'expect final(loss, ok) > max(loss, ok)\n');
    const failed = await sgdexp(['run', f, '--out', dir, '--format', 'json,html']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/c\.sgdexp:4 ✗ the claim does not hold: final\(loss, ok\) = \S+ > max\(loss, ok\) = \S+\n/);
    const c = readDoc(join(dir, 'c.json')).claims![0];
    expect(c.status).toBe('failed');
    expect(c.values.left).toBeLessThan(c.values.right!);
    expect(readFileSync(join(dir, 'c.html'), 'utf8')).toMatch(/<li class="failed">✗ line 4: <code>final\(loss, ok\) &gt; max\(loss, ok\)<\/code>/);
  });

  it('a claim on a diverged run fails and says the run diverged', async () => {
    const dir = tempDir('claims-div');
    const f = join(dir, 'd.sgdexp');
    writeFileSync(f, BASE + 'boom = train(net, data, gd(lr = 5), steps = 200)\nexpect final(loss, boom) < 1\n');
    const r = await sgdexp(['run', f, '--out', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/d\.sgdexp:5 ✗ boom diverged at step \d+ \(loss = \S+\): final\(loss, boom\) has no final value, so the claim fails/);
    expect(readDoc(join(dir, 'd.json')).claims![0].status).toBe('failed');
  });
});
