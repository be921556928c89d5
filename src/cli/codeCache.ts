// Loading a lazy bundle (dist/check.js, dist/run.js) with V8's code cache, made at build time
// (scripts/build.mjs runs the command that loads it with SGDEXP_CODE_CACHE_WRITE=1). Of a `check`'s
// ~45 ms above a bare `node -e 0`, compiling check.js took ~7.5 ms and the functions compiled
// lazily during the check more; with the cache a check measured 0.89× (median of 21, A/B
// alternated); a re-run of the Fig. 1 example served from the results cache took 0.91× the CPU
// time with run.js's cache (median of 15 pairs). V8 refuses a cache made by another V8 version, with other flags or for other
// source text (`cachedDataRejected`), and then compiles as usual: a stale or foreign cache costs
// its read, never a wrong result. Node 22's module.enableCompileCache does the same for every
// module; Node 20 has only vm.Script's cachedData.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The exports of the CommonJS bundle `file` through its code cache `file + '.cache'`, or null
 *  when there is no cache (a development tree: the caller requires the module as usual). */
export function requireWithCodeCache(file: string): unknown {
  const cacheFile = `${file}.cache`;
  const write = process.env.SGDEXP_CODE_CACHE_WRITE === '1';
  if (!existsSync(file) || (!write && !existsSync(cacheFile))) return null;
  const cached = require.cache[file];
  if (cached) return cached.exports;
  let cachedData: Buffer | undefined;
  try {
    cachedData = write ? undefined : readFileSync(cacheFile);
  } catch {
    return null;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (cachedData && process.env.SGDEXP_CODE_CACHE_DEBUG === '1') process.stderr.write(`code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}: ${cacheFile}\n`);
  // after the command: the cache then holds the functions it compiled lazily too
  if (write) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const mod = new Module(file, require.main);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  require.cache[file] = mod;
  try {
    const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  return mod.exports;
}
