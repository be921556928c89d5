// When `sgdexp run` starts a worker thread before it loads the run stack (prestart.ts): only
// when every run will surely be computed — no disk cache, or one that holds nothing yet — so a
// run served from the cache never pays for a thread it does not use.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { surelyComputes } from '../../src/cli/prestart';
import { tempDir } from './helpers';

describe('surelyComputes', () => {
  it('without the cache, or with a cache folder that is missing or empty', () => {
    const dir = tempDir('prestart');
    expect(surelyComputes({ cache: false, cacheDir: dir })).toBe(true);
    expect(surelyComputes({ cache: true, cacheDir: join(dir, 'none') })).toBe(true);
    mkdirSync(join(dir, 'empty'));
    expect(surelyComputes({ cache: true, cacheDir: join(dir, 'empty') })).toBe(true);
  });

  it('not with a cache folder that holds anything', () => {
    const dir = tempDir('prestart');
    writeFileSync(join(dir, 'entry'), '');
    expect(surelyComputes({ cache: true, cacheDir: dir })).toBe(false);
    // a file where the folder should be: the engine will say so, not this guess
    expect(surelyComputes({ cache: true, cacheDir: join(dir, 'entry') })).toBe(false);
  });
});
