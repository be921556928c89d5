// Running the built `sgdexp` binary (dist/cli.js) as a user would, from the repository root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResultsDoc } from '../../src/core/results';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

/** Builds dist/ once per test process when it is missing or older than the CLI sources
 *  (`npm test` builds first, so this is normally a no-op). flock: test files run in parallel. */
export function ensureBuilt(): void {
  const stale = !existsSync(CLI) || !existsSync(join(ROOT, 'dist/worker.js')) || newestSource() > statSync(CLI).mtimeMs;
  if (stale)
    execFileSync('flock', ['/tmp/sgdexp-cli-test-build.lock', 'node', 'scripts/build.mjs'], {
      cwd: ROOT, env: { ...process.env, SGDEXP_QUIET: '1' }, stdio: 'inherit',
    });
}

function newestSource(): number {
  let t = 0;
  const walk = (d: string) => {
    for (const e of require('node:fs').readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'src/cli'));
  walk(join(ROOT, 'src/core'));
  return t;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function sgdexp(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 240_000,
    maxBuffer: 256 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `sgdexp-${tag}-`));
}

export function readDoc(path: string): ResultsDoc {
  return JSON.parse(readFileSync(path, 'utf8')) as ResultsDoc;
}

/** Least-squares slope of y against x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

export function last<T>(a: readonly T[]): T {
  return a[a.length - 1];
}
