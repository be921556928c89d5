// Where the time of the linear2 label-noise step or of one record goes, part by part, at the
// bench's wide sizes: `step` times each part of Linear2.step on the model's own buffers
// (bench/stepParts.ts); `record` each part of metrics() next to one step (bench/recordParts.ts,
// sizes with l ≥ p + k). CPU µs per call, the minimum of 9 timings (bench/cpuTime.ts).
// Usage: node scripts/bench-parts.mjs step|record [n,p,l,k ...]   (default: 200,50,100,5 1000,100,200,10)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const what = process.argv[2];
if (what !== 'step' && what !== 'record') {
  console.error('usage: node scripts/bench-parts.mjs step|record [n,p,l,k ...]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `sgdexp-${what}parts-`));
const out = join(dir, 'parts.cjs');
await build({ entryPoints: [join(root, `bench/${what}Parts.ts`)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const shapes = process.argv.slice(3).length ? process.argv.slice(3).map((s) => `[${s}]`) : ['[200,50,100,5]', '[1000,100,200,10]'];
console.log(`linear2 ${what === 'step' ? 'step' : 'record (metrics)'} parts, CPU µs per call (min of 9 timings); load average ${load()}`);
const rows = {};
for (const shape of shapes) {
  const o = spawnSync(process.execPath, [out, shape], { encoding: 'utf8', cwd: root });
  if (o.status !== 0) {
    console.error(o.stderr);
    process.exit(1);
  }
  const r = JSON.parse(o.stdout.trim());
  const size = `(${r.n},${r.p},${r.l},${r.k})`;
  const put = (row, v) => ((rows[row] ??= {})[size] = v);
  // each part as a share of the whole it belongs to: the step, or metrics()
  const whole = what === 'step' ? r.step : r.metrics;
  for (const [name, us] of Object.entries(r.parts)) put(name, `${us.toFixed(2)} (${((100 * us) / whole).toFixed(0)}%)`);
  put('sum of parts', r.sum.toFixed(2));
  if (what === 'record') {
    put('whole metrics()', r.metrics.toFixed(1));
    // the bench's schedule (scripts/bench.mjs): one record per 100 steps
    put('record / 100 steps', `${(r.metrics / r.step).toFixed(1)}%`); // 100·metrics / (100·step)
  }
  put(what === 'step' ? 'whole step' : 'one step', r.step.toFixed(2));
}
console.table(rows);
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
