// vitest runs TypeScript sources, but a worker thread needs a plain JS file: bundle
// src/core/graph/worker.ts with esbuild (as scripts/build.mjs does for dist/worker.js) into a
// temporary file once per test file. ~100 ms.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function buildWorker(): Promise<{ file: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sgdexp-worker-'));
  const file = join(dir, 'worker.js');
  await build({
    entryPoints: [join(__dirname, '../../src/core/graph/worker.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** OS threads of this process (Linux), or null where /proc is not available. */
export function threadCount(): number | null {
  try {
    return require('node:fs').readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
}

/**
 * The thread count once it has stopped changing: a thread of a worker terminated just before
 * (an earlier test's engine) leaves /proc asynchronously, so a single reading can count it.
 * Reads every 20 ms until three readings agree, for at most `ms`.
 */
export async function settledThreadCount(ms = 1500): Promise<number | null> {
  let last = threadCount();
  if (last === null) return null;
  let same = 0;
  for (let t = 0; t < ms && same < 2; t += 20) {
    await new Promise((r) => setTimeout(r, 20));
    const now = threadCount()!;
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}
