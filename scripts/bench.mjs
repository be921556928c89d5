// Stepping-core benchmark (issue 2), medians over repeats. For each configuration:
//   ours: steps/s of runTraining, bare (no recording) and with metrics recorded 1000 times per
//         10⁵ steps (record = steps/100), in a fresh Node process;
//   numpy: a plain numpy implementation of the same step (bench/numpy_ref.py), in the same bench
//         run: "naive" (X @ (W1 @ W2), n×k noise) and "n-indep" (the XᵀX/Cholesky form we use).
// Ratios are ours(bare)/numpy. The machine's 2 cores may be shared: the load average is printed.
// Usage: node scripts/bench.mjs [--seconds 1] [--reps 5] [--quick]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const quick = process.argv.includes('--quick');
const seconds = Number(arg('--seconds', quick ? '0.3' : '1'));
const reps = Number(arg('--reps', quick ? '3' : '5'));

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-bench-'));
const out = join(dir, 'numeric.cjs');
await build({ entryPoints: [join(root, 'bench/numeric.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });

const configs = [
  { name: 'label-noise GD, linear2 (n,p,l,k) = (1000, 5, 10, 2)', model: 'linear2', n: 1000, p: 5, l: 10, k: 2, lr: 0.01, delta: 1 },
  { name: 'label-noise GD, linear2 (100, 10, 20, 1)', model: 'linear2', n: 100, p: 10, l: 20, k: 1, lr: 0.01, delta: 1 },
  { name: 'label-noise GD, linear2 (200, 50, 100, 5)', model: 'linear2', n: 200, p: 50, l: 100, k: 5, lr: 0.002, delta: 1 },
  { name: 'label-noise GD, linear2 (1000, 100, 200, 10)', model: 'linear2', n: 1000, p: 100, l: 200, k: 10, lr: 0.001, delta: 1 },
  { name: 'SGD (batch 1), diagonal (n, d) = (20, 30)', model: 'diagonal', n: 20, d: 30, lr: 0.01 },
];

// numpy: unset the two OpenBLAS overrides only in its own environment
const pyEnv = { ...process.env };
delete pyEnv.OPENBLAS_CORETYPE;
delete pyEnv.OPENBLAS_L2_SIZE;
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { env: pyEnv }).status === 0;

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (x) => (x >= 1e5 ? x.toExponential(2) : x.toFixed(0));
const rows = [];
console.log(`stepping-core bench: ${reps} reps × ~${seconds}s, medians; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores, shared)`);
for (const c of configs) {
  const cfg = { ...c, seconds, reps };
  const r = spawnSync(process.execPath, [out, JSON.stringify(cfg)], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const ours = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const np = {};
  if (hasNumpy) {
    for (const mode of c.model === 'linear2' ? ['naive', 'nindep'] : ['naive']) {
      const q = spawnSync('python3', [join(root, 'bench/numpy_ref.py'), JSON.stringify({ ...cfg, mode })], { encoding: 'utf8', env: pyEnv });
      if (q.status !== 0) {
        console.error(q.stderr);
        continue;
      }
      np[mode] = median(JSON.parse(q.stdout).steps_per_s);
    }
  }
  const row = {
    config: c.name,
    'ours bare': fmt(ours.bare),
    'ours +rec': fmt(ours.rec),
    'rec cost': `${(((ours.bare / ours.rec) - 1) * 100).toFixed(0)}%`,
    'numpy naive': np.naive ? fmt(np.naive) : '-',
    'ratio naive': np.naive ? (ours.bare / np.naive).toFixed(2) : '-',
    'numpy n-indep': np.nindep ? fmt(np.nindep) : '-',
    'ratio n-indep': np.nindep ? (ours.bare / np.nindep).toFixed(2) : '-',
    records: `${ours.records}/${ours.steps}`,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log();
console.table(rows);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
