// A worker thread started at the top of `sgdexp run`, before dist/run.js loads, when the runs
// will surely be computed: a thread takes tens of milliseconds to boot and load dist/worker.js,
// which then overlap loading the run stack and checking the file instead of following them
// (the engine adopts it: PoolOptions.threads). A run served from the cache starts none — a
// thread it never uses would only take CPU from it.
import type { Worker } from 'node:worker_threads';
import { existsSync, opendirSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { defaultWorkerScript } from '../core/graph/workerScript';

export function defaultCacheDir(): string {
  if (process.env.SGDEXP_CACHE_DIR) return process.env.SGDEXP_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'sgdexp');
}

/** Whether every run will be computed, known before any file is read: without the disk cache,
 *  or with one that holds nothing yet (a first run, a CI job's fresh cache). */
export function surelyComputes(o: { cache: boolean; cacheDir: string | null }): boolean {
  if (!o.cache) return true;
  const dir = o.cacheDir ?? defaultCacheDir();
  let d;
  try {
    d = opendirSync(dir);
  } catch {
    return !existsSync(dir);
  }
  try {
    return d.readSync() === null;
  } finally {
    d.closeSync();
  }
}

/** One worker thread, unref'd until the pool adopts it (a command that ends before opening the
 *  engine is not kept alive by it), or null when there is no worker script to start. */
export function prestartWorker(): Worker | null {
  const script = defaultWorkerScript();
  if (!existsSync(script)) return null;
  // required here, not imported: `--version` and `check` do not load worker_threads
  const { Worker: W } = require('node:worker_threads') as typeof import('node:worker_threads');
  const w = new W(script);
  w.unref();
  // a thread that fails to start is an 'error' event: without a listener it would throw; once
  // adopted the pool's own listeners see it, and before that the pool drops an exited thread
  w.on('error', () => {});
  return w;
}
