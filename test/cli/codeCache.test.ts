// dist/check.js is loaded through V8's code cache the build makes (src/cli/codeCache.ts): the
// cache is accepted, the check prints the same as without it, and a damaged cache is refused by
// V8 and changes nothing but the time.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
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
