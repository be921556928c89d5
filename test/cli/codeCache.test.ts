// dist/check.js and dist/run.js are loaded through V8's code caches the build makes
// (src/cli/codeCache.ts): each cache is accepted, the command prints and writes the same as
// without it, and a damaged cache is refused by V8 and changes nothing but the time.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT, runProcess, tempDir } from './helpers';

beforeAll(() => ensureBuilt(), 600_000);

const FIG1 = join(ROOT, 'examples/01-varre-fig1.sgdexp');
// a file with a diagnostic (an info on GD's stability limit)
const NOTED = join(ROOT, 'examples/04-even-diagonal.sgdexp');
const env = { SGDEXP_CODE_CACHE_DEBUG: '1' };
/** A copy of dist/ to change the cache in (the work tree's dist/ stays as built). */
function distCopy(): string {
  const d = join(tempDir('codecache'), 'dist');
  cpSync(join(ROOT, 'dist'), d, { recursive: true });
  return d;
}
const check = (dist: string, file: string) => runProcess(process.execPath, [join(dist, 'cli.js'), 'check', file], { env });

describe('the code cache of dist/check.js', () => {
  it('is made by the build and accepted; the check prints what it prints without it', async () => {
    expect(existsSync(join(ROOT, 'dist/check.js.cache'))).toBe(true);
    const dist = distCopy();
    for (const file of [FIG1, NOTED]) {
      const withCache = await check(dist, file);
      expect(withCache.stderr).toMatch(/^code cache accepted: /m);
      rmSync(join(dist, 'check.js.cache'));
      const without = await check(dist, file);
      expect(without.stderr).not.toMatch(/code cache/);
      expect([withCache.code, withCache.stdout, withCache.stderr.replace(/^code cache .*\n/m, '')]).toEqual([without.code, without.stdout, without.stderr]);
      cpSync(join(ROOT, 'dist/check.js.cache'), join(dist, 'check.js.cache'));
    }
  });

  it('a damaged cache is refused and the check is unchanged', async () => {
    const dist = distCopy();
    const good = await check(dist, FIG1);
    writeFileSync(join(dist, 'check.js.cache'), Buffer.alloc(4096, 7));
    const bad = await check(dist, FIG1);
    expect(bad.stderr).toMatch(/^code cache rejected: /m);
    expect([bad.code, bad.stdout]).toEqual([good.code, good.stdout]);
  });
});

describe('the code cache of dist/run.js', () => {
  /** a run of FIG1 into its own output and results cache; `fresh` empties the results cache first */
  const run = async (dist: string, dir: string, fresh: boolean) => {
    if (fresh) rmSync(join(dir, 'cache'), { recursive: true, force: true });
    const r = await runProcess(process.execPath, [join(dist, 'cli.js'), 'run', '-q', '--format', 'json', '--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), FIG1], { env });
    const json = JSON.parse(readFileSync(join(dir, 'out', '01-varre-fig1.json'), 'utf8')) as Record<string, unknown>;
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, json };
  };
  // what may differ between two runs of the same file: when and how long
  const timeless = (j: Record<string, unknown>) => JSON.stringify(j, (k, v) => (/^(created|wall|wallMs|elapsed|time_ms|started|finished)$/.test(k) ? undefined : v));

  it('is made by the build and accepted by a cold run and a re-run, which write what they write without it', async () => {
    expect(existsSync(join(ROOT, 'dist/run.js.cache'))).toBe(true);
    const dist = distCopy();
    const dir = tempDir('codecache-run');
    const cold = await run(dist, dir, true);
    const again = await run(dist, dir, false);
    for (const r of [cold, again]) expect(r.stderr).toMatch(/^code cache accepted: .*run\.js\.cache$/m);
    rmSync(join(dist, 'run.js.cache'));
    const coldWithout = await run(dist, dir, true);
    const againWithout = await run(dist, dir, false);
    for (const r of [coldWithout, againWithout]) expect(r.stderr).not.toMatch(/code cache/);
    expect([cold.code, timeless(cold.json)]).toEqual([coldWithout.code, timeless(coldWithout.json)]);
    expect([again.code, timeless(again.json)]).toEqual([againWithout.code, timeless(againWithout.json)]);
  });

  it('a damaged cache is refused and the run is unchanged', async () => {
    const dist = distCopy();
    const dir = tempDir('codecache-run-bad');
    const good = await run(dist, dir, true);
    writeFileSync(join(dist, 'run.js.cache'), Buffer.alloc(4096, 7));
    const bad = await run(dist, dir, true);
    expect(bad.stderr).toMatch(/^code cache rejected: .*run\.js\.cache$/m);
    expect([bad.code, timeless(bad.json)]).toEqual([good.code, timeless(good.json)]);
  });
});
