// Benchmark of the command-line runner, medians over repeats; every measurement is a fresh
// process (what a user or CI pays, start-up included).
//   1. start-up: `sgdexp --version` and `sgdexp check FILE` against a bare `node -e 0`, in turn
//      (A B C A B C …), each ratio taken round by round so a drifting machine cancels out
//      (target: at most 1.5×)
//   2. the Fig. 1 example (examples/01-varre-fig1.sgdexp, every format): a cold run (empty disk
//      cache), a re-run of the unchanged file (cache and outputs up to date; target: at most
//      0.25× the cold run) and a run served from the cache whose outputs must all be drawn again;
//      with the phases of each (SGDEXP_TIMING=1, src/cli/timing.ts) — drawing (figures, PNG,
//      HTML) against computing (the engine in the cold run)
//   3. `sgdexp run examples/` cold and cached
//   4. against numpy, whole process: bench/fig1-whole.sgdexp (Varre et al.'s Fig. 1 sizes: one
//      label-noise run of 10⁵ steps, ~1000 records, JSON out, no cache) against its plain numpy
//      twin bench/fig1_numpy.py (same steps, same recorded metrics, JSON out), in turn; the ratio
//      is taken round by round (target: at most 0.3×)
// Usage: node scripts/bench-cli.mjs [--repeats 5] [--jobs N] [--build | --release] [--only start,fig1,examples,numpy]
//   --release benchmarks the minified release bundles (it rebuilds dist/ that way).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const repeats = Number(arg('--repeats', '5'));
const jobs = arg('--jobs', null);
const release = process.argv.includes('--release');
const only = new Set(arg('--only', 'start,fig1,examples,numpy').split(','));
if (!existsSync(join(root, 'dist/cli.js')) || process.argv.includes('--build') || release)
  spawnSync('node', ['scripts/build.mjs', ...(release ? ['--release'] : [])], { cwd: root, stdio: 'inherit', env: { ...process.env, SGDEXP_QUIET: '1' } });

const CLI = join(root, 'dist/cli.js');
const FIG1 = 'examples/01-varre-fig1.sgdexp';

// Wall time, and the CPU time (user + sys) of the process and its worker threads from
// /usr/bin/time when it exists: on a shared, loaded machine the CPU time is the steadier figure.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// `times` > 1 runs the command that many times in a row and gives the time of one: /usr/bin/time
// counts CPU time in hundredths of a second, too coarse for one start-up of a few tens of ms.
function timeNode(nodeArgs, env = {}, times = 1) {
  const argv = times > 1 ? ['sh', '-c', `for i in $(seq ${times}); do "$@" >/dev/null 2>&1 || exit 1; done`, 'sh', process.execPath, ...nodeArgs] : [process.execPath, ...nodeArgs];
  const t0 = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'BENCH-CPU %U %S', ...argv], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } })
    : spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = (performance.now() - t0) / times;
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`node ${nodeArgs.join(' ')} exited ${r.status}`);
  }
  const m = /BENCH-CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  const phases = {};
  const t = /^timing: (.*)$/m.exec(r.stderr ?? '');
  if (t) for (const [, k, v] of t[1].matchAll(/(\w+) (\d+) ms/g)) phases[k] = Number(v);
  return { ms, cpu: m ? ((Number(m[1]) + Number(m[2])) * 1000) / times : NaN, phases };
}
const sgdexp = (args, env, times) => timeNode([CLI, ...args, ...(args[0] === 'run' ? ['--quiet', ...(jobs ? ['--jobs', jobs] : [])] : [])], env, times);
const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const ratio = (as, bs, f) => median(as.map((a, i) => f(a) / f(bs[i])));
const line = (label, xs, extra = '') => {
  const c = xs.every((x) => Number.isFinite(x.cpu)) ? `   CPU ${fmt(median(xs.map((x) => x.cpu)))}` : '';
  console.log(`  ${label.padEnd(36)} wall ${fmt(median(xs.map((x) => x.ms))).padStart(7)}${c}${extra}`);
};
const temp = (tag) => mkdtempSync(join(tmpdir(), `sgdexp-bench-${tag}-`));

console.log(`sgdexp CLI benchmark (${release ? 'release' : 'development'} bundles; medians of wall and CPU time; jobs ${jobs ?? 'default'})`);

// 1. start-up
if (only.has('start')) {
  const startRounds = Math.max(repeats * 2, 11);
  const BATCH = 5;
  const start = { node: [], version: [], check: [] };
  timeNode(['-e', '0']);
  sgdexp(['--version']);
  for (let i = 0; i < startRounds; i++) {
    start.node.push(timeNode(['-e', '0'], {}, BATCH));
    start.version.push(sgdexp(['--version'], {}, BATCH));
    start.check.push(sgdexp(['check', FIG1], {}, BATCH));
  }
  console.log(`start-up (${startRounds} rounds in turn, each ${BATCH} starts in a row; ratios to node -e 0 round by round, target ≤ 1.5×)`);
  const vsNode = (xs) => `   ×${ratio(xs, start.node, (x) => x.ms).toFixed(2)} wall, ×${ratio(xs, start.node, (x) => x.cpu).toFixed(2)} CPU`;
  line('node -e 0', start.node);
  line('sgdexp --version', start.version, vsNode(start.version));
  line(`sgdexp check ${FIG1.replace('examples/', '')}`, start.check, vsNode(start.check));
}

// 2. the Fig. 1 example, every format, with its phases
if (only.has('fig1')) {
  const fig = { cold: [], rerun: [], redraw: [] };
  for (let i = 0; i < repeats; i++) {
    const cache = temp('cache');
    const out = temp('out');
    try {
      const args = ['run', FIG1, '--out', out, '--cache-dir', cache];
      fig.cold.push(sgdexp(args, { SGDEXP_TIMING: '1' }));
      fig.rerun.push(sgdexp(args, { SGDEXP_TIMING: '1' }));
      rmSync(out, { recursive: true, force: true });
      fig.redraw.push(sgdexp(args, { SGDEXP_TIMING: '1' }));
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }
  console.log(`Fig. 1 example, every format (${repeats} repeats)`);
  line('cold (empty cache)', fig.cold);
  line('re-run, unchanged (cache + outputs)', fig.rerun, `   ×${ratio(fig.rerun, fig.cold, (x) => x.ms).toFixed(2)} of cold wall, ×${ratio(fig.rerun, fig.cold, (x) => x.cpu).toFixed(2)} CPU (target ≤ 0.25×)`);
  line('from the cache, outputs drawn', fig.redraw);
  const PH = ['start', 'open', 'check', 'engine', 'digest', 'json', 'csv', 'figures', 'png', 'html', 'close', 'total'];
  console.log(`  phases (median ms)  ${PH.map((p) => p.padStart(8)).join('')}`);
  for (const [label, xs] of [['cold', fig.cold], ['re-run', fig.rerun], ['from cache, drawn', fig.redraw]])
    console.log(`  ${label.padEnd(19)} ${PH.map((p) => median(xs.map((x) => x.phases[p] ?? NaN)).toFixed(0).padStart(8)).join('')}`);
  const drawing = (x) => (x.phases.figures ?? 0) + (x.phases.png ?? 0) + (x.phases.html ?? 0);
  console.log(`  drawing (figures + png + html) ${fmt(median(fig.cold.map(drawing)))} vs computing (engine, cold) ${fmt(median(fig.cold.map((x) => x.phases.engine ?? NaN)))}: ×${median(fig.cold.map((x) => drawing(x) / x.phases.engine)).toFixed(2)} (target < 1×)`);
}

// 3. every example
if (only.has('examples')) {
  const all = { cold: [], cached: [] };
  for (let i = 0; i < repeats; i++) {
    const cache = temp('cache');
    const out = temp('out');
    try {
      all.cold.push(sgdexp(['run', 'examples', '--out', out, '--cache-dir', cache]));
      all.cached.push(sgdexp(['run', 'examples', '--out', out, '--cache-dir', cache]));
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }
  console.log(`run examples/ (${repeats} repeats)`);
  line('cold', all.cold);
  line('cached', all.cached, `   ×${ratio(all.cached, all.cold, (x) => x.ms).toFixed(2)} of cold wall`);
}

// 4. against numpy, whole process
if (only.has('numpy')) {
  const pyEnv = { ...process.env };
  // OpenBLAS's defaults (the two overrides some shells set would slow it down or speed it up)
  delete pyEnv.OPENBLAS_CORETYPE;
  delete pyEnv.OPENBLAS_L2_SIZE;
  if (spawnSync('python3', ['-c', 'import numpy'], { env: pyEnv }).status !== 0) console.log('against numpy: skipped (python3 with numpy not found)');
  else {
    const ours = [];
    const theirs = [];
    const timePy = (out) => {
      const t0 = performance.now();
      const argv = ['python3', join(root, 'bench/fig1_numpy.py'), out];
      const r = TIME ? spawnSync(TIME, ['-f', 'BENCH-CPU %U %S', ...argv], { cwd: root, encoding: 'utf8', env: pyEnv }) : spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: pyEnv });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`fig1_numpy.py exited ${r.status}: ${r.stderr}`);
      const m = /BENCH-CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
      return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
    };
    for (let i = 0; i < repeats; i++) {
      const out = temp('out');
      try {
        ours.push(sgdexp(['run', 'bench/fig1-whole.sgdexp', '--format', 'json', '--no-cache', '--out', out]));
        theirs.push(timePy(join(out, 'numpy.json')));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(`against numpy, whole process: Fig. 1 sizes, 10⁵ label-noise steps, ~1000 records, JSON out (${repeats} rounds in turn)`);
    line('python3 bench/fig1_numpy.py', theirs);
    line('sgdexp run bench/fig1-whole.sgdexp', ours, `   ×${ratio(ours, theirs, (x) => x.ms).toFixed(2)} of numpy wall, ×${ratio(ours, theirs, (x) => x.cpu).toFixed(2)} CPU (target ≤ 0.3×)`);
  }
}

console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
