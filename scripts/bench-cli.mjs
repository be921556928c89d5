// Benchmark of the command-line runner (issue 6), medians over repeats:
//   1. `sgdexp run examples/` cold (empty disk cache)
//   2. `sgdexp run examples/` cached (second run, same cache)
//   3. the Fig. 1 example (examples/01-varre-fig1.sgdexp) cold — target < 5 s
// Each measurement is a fresh process (what a user or CI pays, start-up included), writing
// every output format. Usage: node scripts/bench-cli.mjs [--repeats 3] [--jobs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const repeats = Number(arg('--repeats', '3'));
const jobs = arg('--jobs', null);
if (!existsSync(join(root, 'dist/cli.js')) || process.argv.includes('--build'))
  spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit', env: { ...process.env, SGDEXP_QUIET: '1' } });

// Wall time, and the CPU time (user + sys) of the process and its worker threads from
// /usr/bin/time when it exists: on a shared, loaded machine the CPU time is the steadier figure.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
function time(args) {
  const cli = [join(root, 'dist/cli.js'), ...args, '--quiet', ...(jobs ? ['--jobs', jobs] : [])];
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'BENCH-CPU %U %S', process.execPath, ...cli], { cwd: root, encoding: 'utf8' })
    : spawnSync(process.execPath, cli, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`sgdexp ${args.join(' ')} exited ${r.status}`);
  }
  const m = /BENCH-CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = { allCold: [], allCached: [], fig1Cold: [] };
for (let i = 0; i < repeats; i++) {
  const cache = mkdtempSync(join(tmpdir(), 'sgdexp-bench-cache-'));
  const out = mkdtempSync(join(tmpdir(), 'sgdexp-bench-out-'));
  try {
    results.allCold.push(time(['run', 'examples', '--out', out, '--cache-dir', cache]));
    results.allCached.push(time(['run', 'examples', '--out', out, '--cache-dir', cache]));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  const cache1 = mkdtempSync(join(tmpdir(), 'sgdexp-bench-cache-'));
  try {
    results.fig1Cold.push(time(['run', 'examples/01-varre-fig1.sgdexp', '--out', out, '--cache-dir', cache1]));
  } finally {
    rmSync(cache1, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const line = (label, xs, extra = '') => {
  const wall = xs.map((x) => x.ms);
  const cpu = xs.map((x) => x.cpu);
  const c = cpu.every(Number.isFinite) ? `   CPU ${fmt(median(cpu))}` : '';
  console.log(`  ${label.padEnd(22)} ${fmt(median(wall))}${c}   [${wall.map(fmt).join(', ')}]${extra}`);
};
console.log(`sgdexp CLI benchmark (${repeats} repeats, medians of wall time and of CPU time; every format written; jobs ${jobs ?? 'default'})`);
console.log(`  load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`);
line('run examples/ cold', results.allCold);
line('run examples/ cached', results.allCached);
line('Fig. 1 example cold', results.fig1Cold, '  (target < 5 s)');
