// Stepping-core benchmark, medians over rounds. For each configuration, every round
// runs, back to back (so a shared machine's load hits all alike):
//   ours : steps/s of runTraining in a fresh Node process, bare (no recording);
//   numpy: a plain numpy implementation of the same step (bench/numpy_ref.py): "naive"
//          (X @ (W1 @ W2), n×k noise: what one writes first) and "n-indep" (the XᵀX/Cholesky
//          form the TS core uses). Ratio = ours bare / numpy.
// Each round also runs ours with SGDEXP_SIMD=0 (the scalar kernels: same bits, src/core/numeric/wasm)
// for the SIMD/scalar ratio, measured side by side. At the end, GFLOP/s of each kernel of the
// linear2 step (SIMD and scalar) at the two large sizes, next to the engine's f64x2 peak.
// numpy columns: best (default threads / 1 thread). Wall-clock medians are the headline; CPU-time medians are printed too, since the 2 cores may
// be shared (the load average is printed before and after).
// After the rounds, once per configuration, "record": the recording's share of a run with metrics
// recorded 1000 times per 10⁵ steps (record = steps/100), measured in one process
// (bench/recordShare.ts: CPU time of one record against the steps between two records,
// interleaved; min / median of ≥ 7 rounds). It replaces the comparison of two runs' steps/s (with
// and without records), whose medians swung more than a record weighs (3–22 % at one size in
// three runs).
// Configs 5–8: deep_linear and relu2 at wide sizes (no numpy reference), ours vs SGDEXP_SIMD=0:
// their step's dense products go through the gemm (src/core/numeric/products.ts).
// Usage: node scripts/bench.mjs [--seconds 1] [--rounds 5] [--quick] [--only N]
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
const rounds = Number(arg('--rounds', quick ? '3' : '5'));
const only = arg('--only', null);

const dir = mkdtempSync(join(tmpdir(), 'sgdexp-bench-'));
const out = join(dir, 'numeric.cjs');
await build({ entryPoints: [join(root, 'bench/numeric.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
const shareOut = join(dir, 'recordShare.cjs');
await build({ entryPoints: [join(root, 'bench/recordShare.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: shareOut, logLevel: 'warning' });
const kernelsOut = join(dir, 'kernels.cjs');
await build({ entryPoints: [join(root, 'bench/kernels.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: kernelsOut, logLevel: 'warning' });
const scalarEnv = { ...process.env, SGDEXP_SIMD: '0' };

import { configs } from './bench-configs.mjs';
const withScalar = new Set(['linear2', 'deep_linear', 'relu2']);
const withNumpy = new Set(['linear2', 'diagonal']);

// numpy: unset the two OpenBLAS overrides only in its own environment. It runs twice: with
// OpenBLAS's default threads and with OPENBLAS_NUM_THREADS=1 (on a loaded 2-core machine the
// threaded BLAS can be 20× slower: measured); the ratio uses the faster of the two.
const pyEnv = { ...process.env };
delete pyEnv.OPENBLAS_CORETYPE;
delete pyEnv.OPENBLAS_L2_SIZE;
const pyEnv1 = { ...pyEnv, OPENBLAS_NUM_THREADS: '1' };
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { env: pyEnv }).status === 0;

const median = (a) => (a.length ? [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] : NaN);
const fmt = (x) => (!Number.isFinite(x) ? '-' : x >= 1e5 ? x.toExponential(2) : x.toFixed(0));
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? (a / b).toFixed(2) : '-');
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`stepping-core bench: ${rounds} rounds × ~${seconds}s per measurement, medians; load average ${load()} (2 cores, shared)`);
const rows = [];
for (const [ci, c] of configs.entries()) {
  if (only !== null && String(ci) !== only) continue;
  const cfg = { ...c, seconds, reps: 1 };
  const m = { scalar: [], bare: [], bareCpu: [], naive: [], nindep: [], naiveCpu: [], nindepCpu: [], naiveDflt: [], naive1T: [], nindepDflt: [], nindep1T: [] };
  let steps = 0;
  for (let r = 0; r < rounds; r++) {
    const o = spawnSync(process.execPath, [out, JSON.stringify(cfg)], { encoding: 'utf8', cwd: root });
    if (o.status !== 0) {
      console.error(o.stderr);
      process.exit(1);
    }
    const ours = JSON.parse(o.stdout.trim().split('\n').at(-1));
    if (withScalar.has(c.model)) {
      const sc = spawnSync(process.execPath, [out, JSON.stringify(cfg)], { encoding: 'utf8', cwd: root, env: scalarEnv });
      if (sc.status === 0) m.scalar.push(...JSON.parse(sc.stdout.trim().split('\n').at(-1)).bare);
    }
    for (const key of ['bare', 'bareCpu']) m[key].push(...ours[key]);
    steps = ours.steps;
    if (!hasNumpy || !withNumpy.has(c.model)) continue;
    for (const mode of c.model === 'linear2' ? ['naive', 'nindep'] : ['naive']) {
      let best = null;
      for (const env of [pyEnv, pyEnv1]) {
        const q = spawnSync('python3', [join(root, 'bench/numpy_ref.py'), JSON.stringify({ ...cfg, mode })], { encoding: 'utf8', env });
        if (q.status !== 0) {
          console.error(q.stderr);
          continue;
        }
        const res = JSON.parse(q.stdout);
        m[`${mode}${env === pyEnv ? 'Dflt' : '1T'}`].push(res.steps_per_s[0]);
        if (!best || res.steps_per_s[0] > best.steps_per_s[0]) best = res;
      }
      if (!best) continue;
      m[mode].push(best.steps_per_s[0]);
      m[`${mode}Cpu`].push(best.steps_per_cpu_s[0]);
    }
  }
  const med = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, median(v)]));
  const sh = spawnSync(process.execPath, [shareOut, JSON.stringify(cfg), String(Math.max(rounds, 7))], { encoding: 'utf8', cwd: root });
  if (sh.status !== 0) {
    console.error(sh.stderr);
    process.exit(1);
  }
  const share = JSON.parse(sh.stdout.trim().split('\n').at(-1));
  const row = {
    config: c.name,
    'ours bare': fmt(med.bare),
    'scalar bare': fmt(med.scalar),
    'x scalar': ratio(med.bare, med.scalar),
    // the record's share, one process (min / median of its interleaved rounds)
    record: `${pct(share.share.min)} / ${pct(share.share.median)}`,
    'np naive': `${fmt(med.naive)} (${fmt(med.naiveDflt)}/${fmt(med.naive1T)})`,
    'x naive': ratio(med.bare, med.naive),
    'np n-indep': `${fmt(med.nindep)} (${fmt(med.nindepDflt)}/${fmt(med.nindep1T)})`,
    'x n-indep': ratio(med.bare, med.nindep),
    'x naive (cpu)': ratio(med.bareCpu, med.naiveCpu),
    'x n-indep (cpu)': ratio(med.bareCpu, med.nindepCpu),
    'records/steps': `${share.records}/${share.steps}`,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log();
console.table(rows);
if (only === null || only === 'kernels') {
  console.log('\nlinear2 step kernels, GFLOP/s per CPU second (median of 7): SIMD (f64x2) / scalar; peak = f64x2 mul+add on registers');
  const krows = [];
  for (const shape of [[50, 100, 5], [100, 200, 10]]) {
    const o = spawnSync(process.execPath, [kernelsOut, JSON.stringify(shape)], { encoding: 'utf8', cwd: root });
    if (o.status !== 0) {
      console.error(o.stderr);
      continue;
    }
    const r = JSON.parse(o.stdout.trim());
    const row = { '(p,l,k)': `(${shape.join(',')})` };
    for (const [name, [simd, scalar]] of Object.entries(r.kernels)) row[name] = `${simd.toFixed(2)} / ${scalar.toFixed(2)}`;
    row.peak = r.peak.toFixed(1);
    krows.push(row);
  }
  console.table(krows);
}
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
