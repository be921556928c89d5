// Running the built `sgdexp` binary (dist/cli.js) as a user would, from the repository root.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResultsDoc } from '../../src/core/results';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

/** Builds dist/ once per test process when it is missing or older than the CLI sources
 *  (`npm test` builds first, so this is normally a no-op). flock: test files run in parallel.
 *  Asynchronous, like every child process here: a synchronous spawn blocks the test worker's
 *  event loop, and on a loaded machine vitest's own RPC to the worker then times out. */
export async function ensureBuilt(): Promise<void> {
  const stale = !existsSync(CLI) || !['worker.js', 'check.js', 'run.js', 'render.js'].every((f) => existsSync(join(ROOT, 'dist', f))) || newestSource() > statSync(CLI).mtimeMs;
  if (!stale) return;
  const r = await run('flock', ['/tmp/sgdexp-cli-test-build.lock', 'node', 'scripts/build.mjs'], { cwd: ROOT, env: { SGDEXP_QUIET: '1' } });
  if (r.code !== 0) throw new Error(`building dist/ failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
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

/** Runs the built CLI to completion. No time limit of its own: the test's timeout (minutes)
 *  bounds it, and a machine whose cores are busy makes it slower, not wrong. */
export function sgdexp(args: string[], opts: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<Result> {
  return run(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], opts);
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** run as this user and group (tests that need permissions to bite run as root) */
  uid?: number;
  gid?: number;
}

/** A child process to completion, asynchronously (see ensureBuilt): exit code (128 + signal
 *  number when killed), stdout, stderr. */
export function runProcess(cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  return run(cmd, args, opts);
}

function run(cmd: string, args: string[], opts: RunOptions): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : -1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
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
