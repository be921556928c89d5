// Where the bundled worker entry sits, in a module of its own: a process that starts a worker
// thread before it loads the engine (the CLI, which hands it to the pool: PoolOptions.threads)
// finds the same file as the pool without loading the pool.
import { join } from 'node:path';

export function defaultWorkerScript(): string {
  if (process.env.SGDEXP_WORKER) return process.env.SGDEXP_WORKER;
  // bundled: dist/server.js, dist/cli.js and dist/worker.js sit side by side
  const here = typeof __dirname !== 'undefined' ? __dirname : process.cwd();
  return join(here, 'worker.js');
}
